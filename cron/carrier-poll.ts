import { sql } from "drizzle-orm";
import { z } from "zod";
import { createDb } from "../src/db";
import type { WebhookJob } from "../src/queues/messages";
import { DAY_MS } from "./days";
import { batchSize, type Job } from "./job";

const trackingAnswer = z.object({
  events: z.array(
    z.object({
      eventId: z.string().min(1),
      status: z.enum(["in_transit", "out_for_delivery", "delivered", "exception"]),
      occurredAt: z.string(),
      location: z.string().optional(),
    }),
  ),
});

/**
 * Shipped orders without a tracking update for 24 h: asks the carrier's API and feeds what it says
 * through the shipping webhook's queue (so duplicates are dropped by event id, as for webhooks).
 */
export const carrierPoll: Job = {
  name: "carrier-tracking-poll",
  async run(env, _ctx, now, state) {
    const BATCH = batchSize(env, 50);
    if (!env.CARRIER_API_URL) return { items: 0, errors: 0, detail: { skipped: "CARRIER_API_URL is not set" } };
    const db = createDb(env.DB);
    const quiet = await db.all<{ order_id: string; carrier: string; tracking_number: string }>(sql`
      select e.order_id, e.carrier, e.tracking_number from shipment_events e join orders o on o.id = e.order_id
      where o.status = 'shipped' group by e.order_id having max(e.occurred_at) < ${now.getTime() - DAY_MS}
      order by max(e.occurred_at) limit ${BATCH}`);
    let items = 0;
    let errors = 0;
    for (const shipment of quiet) {
      if (Date.now() > state.deadline) break;
      try {
        const res = await fetch(
          `${env.CARRIER_API_URL}/track/${encodeURIComponent(shipment.carrier)}/${encodeURIComponent(shipment.tracking_number)}`,
        );
        if (!res.ok) throw new Error(`carrier API answered ${res.status}`);
        const answer = trackingAnswer.parse(await res.json());
        for (const event of answer.events) {
          await env.WEBHOOKS.send({
            type: "shipping.event",
            carrier: shipment.carrier,
            event: { ...event, orderId: shipment.order_id, trackingNumber: shipment.tracking_number },
          } satisfies WebhookJob);
        }
        items++;
      } catch (err) {
        errors++;
        console.error(JSON.stringify({ level: "error", msg: "tracking poll failed", orderId: shipment.order_id, error: String(err) }));
      }
    }
    return { items, errors };
  },
};
