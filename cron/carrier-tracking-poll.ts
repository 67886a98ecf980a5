import { z } from "zod";
import { configOf } from "../src/config";
import { createDb } from "../src/db";
import { quietShipments } from "../src/db/order-store";
import type { WebhookJob } from "../src/queues/messages";
import { DAY_MS } from "./days";
import { batchSize, eachUntilDeadline, type Job } from "./job";

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
export const carrierTrackingPoll: Job = {
  name: "carrier-tracking-poll",
  async run({ env, now, state }) {
    const base = configOf(env).carrierApiUrl;
    if (!base) return { items: 0, errors: 0, detail: { skipped: "CARRIER_API_URL is not set" } };
    const quiet = await quietShipments(createDb(env.DB), new Date(now.getTime() - DAY_MS), batchSize(env, 50));
    const { items, errors } = await eachUntilDeadline(
      state,
      quiet,
      async (shipment) => {
        const res = await fetch(`${base}/track/${encodeURIComponent(shipment.carrier)}/${encodeURIComponent(shipment.trackingNumber)}`);
        if (!res.ok) throw new Error(`carrier API answered ${res.status}`);
        const answer = trackingAnswer.parse(await res.json());
        for (const event of answer.events) {
          await env.WEBHOOKS.send({
            type: "shipping.event",
            carrier: shipment.carrier,
            event: { ...event, orderId: shipment.orderId, trackingNumber: shipment.trackingNumber },
          } satisfies WebhookJob);
        }
      },
      { event: "job.tracking_poll_failed", fields: (s) => ({ orderId: s.orderId }) },
    );
    return { items, errors };
  },
};
