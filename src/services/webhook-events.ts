import type { Db } from "../db";
import { findOrder } from "../db/order-store";
import { claimReplay, findEvent, listEvents, releaseReplay, type WebhookEventStatus } from "../db/webhook-event-store";
import type { Bindings } from "../env";
import { conflict, notFound } from "../errors";
import type { StripeEvent, WebhookJob } from "../queues/messages";

/** Stored provider events, newest first. */
export const listWebhookEvents = (db: Db, query: { status?: WebhookEventStatus; limit: number }) => listEvents(db, query);

/** Queues a failed event again (once per failure, even on a double click). */
export async function replayEvent(env: Bindings, db: Db, id: number): Promise<{ id: number; status: "replayed" }> {
  const event = await findEvent(db, id);
  if (!event) throw notFound("Webhook event", id);
  if (event.status !== "failed") throw conflict("not_failed", "Only failed events are replayed; others have taken effect.");
  if (!(await claimReplay(db, id, new Date()))) throw conflict("not_failed", "This event is already being replayed.");
  try {
    await env.WEBHOOKS.send(event.message as WebhookJob);
  } catch (err) {
    await releaseReplay(db, id, new Date());
    throw err;
  }
  return { id, status: "replayed" };
}

/** Settles a local test-provider payment the way Stripe would: an event on the WEBHOOKS queue. */
export async function settleTestPayment(env: Bindings, db: Db, orderId: string, outcome: "succeed" | "fail"): Promise<{ queued: string }> {
  const order = await findOrder(db, orderId);
  if (!order) throw notFound("Order", orderId);
  if (order.paymentProvider !== "test" || !order.paymentId) {
    throw conflict("not_test_payment", "Only payments made with the local test provider can be settled here.");
  }
  const event: StripeEvent = {
    id: `evt_test_${crypto.randomUUID().replace(/-/g, "")}`,
    type: outcome === "succeed" ? "payment_intent.succeeded" : "payment_intent.payment_failed",
    created: Math.floor(Date.now() / 1000),
    data: {
      object: {
        id: order.paymentId,
        object: "payment_intent",
        metadata: { order_id: orderId },
        ...(outcome === "fail" ? { last_payment_error: { message: "test card declined" } } : {}),
      },
    },
  };
  await env.WEBHOOKS.send({ type: "stripe.event", event } satisfies WebhookJob);
  return { queued: event.id };
}
