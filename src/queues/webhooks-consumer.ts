import { createDb, type Db } from "../db";
import {
  findOrder,
  findOrderIdForPayment,
  firstTrackingNumber,
  type OrderRow,
  orderEventStatement,
  orderLinesOf,
  setPaymentIntent,
  shipmentCount,
  shipmentEventStatement,
  orderStatus as statusOf,
} from "../db/order-store";
import { type EventRef, eventSeen, markEventSettled, recordDeadLetter, recordEventStatement } from "../db/webhook-event-store";
import { canTransition, fulfilmentStatusOf, type OrderStatus, reachable, STOCK_LOST } from "../domain/order";
import type { Bindings } from "../env";
import { log } from "../log";
import { providerOf } from "../payments/provider";
import { queueEmail } from "../services/notifications";
import { transitionOrder } from "../services/order-state";
import { cancelUnpaidOrder, lateRefundId, markOrderPaid, settleLostStock } from "../services/orders";
import { completeFullRefund, reconcileProviderRefunds } from "../services/refunds";
import { backoffSeconds } from "./backoff";
import type { StripeEvent, WebhookJob } from "./messages";

/** Why an event could not be applied yet; the message is retried with a delay. */
class NotYet extends Error {}

type Outcome = "processed" | "ignored";

/** What a Stripe event means for its order. */
type StripeEffect = { move: "paid" | "cancelled"; reason?: string } | { refunds: true } | { processing: true };

function effectOf(event: StripeEvent): StripeEffect | undefined {
  const object = event.data.object;
  switch (event.type) {
    case "payment_intent.succeeded":
    case "checkout.session.async_payment_succeeded":
      return { move: "paid" };
    case "checkout.session.completed":
      return object.payment_status === "unpaid" ? { processing: true } : { move: "paid" };
    case "payment_intent.payment_failed":
    case "payment_intent.canceled":
    case "checkout.session.async_payment_failed":
      return { move: "cancelled", reason: object.last_payment_error?.message ?? event.type };
    case "checkout.session.expired":
      return { move: "cancelled", reason: "payment page expired" };
    case "charge.refunded":
      return { refunds: true };
    default:
      return undefined;
  }
}

/** The payment intent an event's object names (Checkout Sessions and charges point to it; intents are it). */
function paymentIntentOf(object: StripeEvent["data"]["object"]): string | null {
  if (object.object === "payment_intent") return object.id;
  return typeof object.payment_intent === "string" ? object.payment_intent : null;
}

async function orderOfStripeObject(db: Db, object: StripeEvent["data"]["object"]): Promise<string | undefined> {
  return findOrderIdForPayment(db, {
    orderId: object.metadata?.order_id,
    paymentId: object.object === "charge" ? null : object.id,
    paymentIntentId: paymentIntentOf(object),
  });
}

/** Re-drives the idempotent effects of the order's current state (stock, emails), whatever delivered the event. */
async function followUps(env: Bindings, db: Db, orderId: string, now: Date) {
  const order = await findOrder(db, orderId);
  if (!order) return;
  const meta = { actor: "webhook", now };
  if (order.status === "paid") {
    await markOrderPaid(env, db, orderId, meta);
    await queueEmail(env, db, { id: `order.confirmation:${orderId}`, type: "order.confirmation", to: order.email, data: { orderId } });
  }
  if (order.status === "cancelled") {
    await cancelUnpaidOrder(env, db, orderId, meta);
    // A payment that found its stock sold: give the money back and tell the shopper (once).
    await settleLostStock(env, db, orderId, meta.actor, now);
  }
  if (order.status === "refunded") await completeFullRefund(env, db, orderId, "webhook", now);
}

/** Applies one move for an event: now if legal, later if it arrived early, never if it would go backwards. */
async function applyMove(
  env: Bindings,
  db: Db,
  orderId: string,
  target: "paid" | "cancelled",
  record: (status: Outcome) => ReturnType<typeof recordEventStatement>,
  reason: string,
  now: Date,
): Promise<Outcome> {
  const current = await statusOf(db, orderId);
  if (!current) throw new NotYet(`order ${orderId} is not visible yet`);
  if (current === target || (!canTransition(current, target) && !reachable(current, target))) {
    await record("ignored");
    return "ignored";
  }
  // A payment failure never cancels an order that is already paid (only staff do that, refunding it).
  if (target === "cancelled" && current !== "pending_payment") {
    await record("ignored");
    return "ignored";
  }
  if (!canTransition(current, target)) throw new NotYet(`order ${orderId} is ${current}; ${target} must wait`);
  const meta = { actor: "webhook", reason, now, alsoRecord: [record("processed")] };
  const moved = target === "paid" ? await markOrderPaid(env, db, orderId, meta) : await cancelUnpaidOrder(env, db, orderId, meta);
  if (!moved.ok) throw new NotYet(`order ${orderId} changed while applying ${target}`);
  return "processed";
}

async function handleStripe(env: Bindings, db: Db, job: Extract<WebhookJob, { type: "stripe.event" }>, now: Date): Promise<void> {
  const { event } = job;
  const ref: EventRef = { provider: "stripe", eventId: event.id };
  const object = event.data.object;
  const orderId = await orderOfStripeObject(db, object);
  const record = (status: Outcome) =>
    recordEventStatement(db, { ...ref, type: event.type, status, orderId: orderId ?? null, message: job, now: new Date() });
  const effect = effectOf(event);
  if (!effect || !orderId) {
    if (!(await eventSeen(db, ref))) await record("ignored");
    return;
  }
  if (!(await eventSeen(db, ref))) {
    const current = await statusOf(db, orderId);
    if (!current) throw new NotYet(`order ${orderId} is not visible yet`);
    const intent = paymentIntentOf(object);
    if (intent) await setPaymentIntent(db, orderId, intent);
    if ("refunds" in effect) {
      if (current === "pending_payment") throw new NotYet(`order ${orderId} is not paid yet; its refund must wait`);
      await reconcileProviderRefunds(env, db, orderId, {
        id: object.id,
        amount: object.amount,
        amountRefunded: object.amount_refunded,
        fullyRefunded: object.refunded === true,
        refunds: object.refunds?.data?.map((r) => ({ id: r.id, amount: r.amount, status: r.status, ourRefundId: r.metadata?.refund_id })),
      });
      await record("processed");
    } else if (event.type === "payment_intent.payment_failed" && (await findOrder(db, orderId))?.paymentProvider === "stripe") {
      // On Stripe's hosted page a declined card can be retried with another: only the session's
      // expiry (or an async failure) ends the order. The attempt goes on the timeline.
      await db.batch([
        orderEventStatement(db, {
          orderId,
          kind: "payment",
          detail: { status: "declined", eventId: event.id },
          reason: object.last_payment_error?.message ?? "card declined",
          actor: "webhook",
          now,
        }),
        record("processed"),
      ]);
    } else if ("processing" in effect) {
      await db.batch([
        orderEventStatement(db, { orderId, kind: "payment", detail: { status: "processing", eventId: event.id }, actor: "webhook", now }),
        record("processed"),
      ]);
    } else if (effect.move === "paid" && current === "cancelled") {
      const order = (await findOrder(db, orderId)) as OrderRow;
      if (!order.paidAt && order.cancelReason === STOCK_LOST) {
        // Another event for a payment already given back because its stock was lost: refunded once.
        await settleLostStock(env, db, orderId, "webhook", now);
        await record("ignored");
        return;
      }
      if (!order.paidAt) {
        // Money arrived for an order that no longer exists (paid after its page expired or a decline
        // cancelled it): give it back, once per order however many events report the payment. The
        // provider took the total less the gift cards (which got theirs back when the order was cancelled).
        const charged = order.total - order.giftCardTotal;
        if (charged > 0) {
          await providerOf(env, order.paymentProvider).refund(
            { paymentId: order.paymentId ?? object.id, paymentIntentId: intent ?? order.paymentIntentId },
            charged,
            lateRefundId(orderId),
          );
        }
        await db.batch([
          orderEventStatement(db, {
            orderId,
            kind: "payment",
            detail: { status: "refunded_late_payment", eventId: event.id, amount: charged },
            actor: "webhook",
            now,
          }),
          record("ignored"),
        ]);
        log.warn("payment.refunded_for_cancelled_order", { orderId, eventId: event.id });
        return;
      }
      await record("ignored");
    } else {
      await applyMove(env, db, orderId, effect.move, record, effect.reason ?? event.type, now);
    }
  }
  await followUps(env, db, orderId, now);
  await markEventSettled(db, ref, new Date());
}

const RANK: Record<OrderStatus, number> = {
  pending_payment: 0,
  paid: 1,
  fulfilled: 2,
  shipped: 3,
  delivered: 4,
  cancelled: 9,
  refunded: 9,
};
const statusRank = (s: OrderStatus) => RANK[s];
/** Orders a carrier may hold a parcel of: paid, and neither cancelled nor refunded. */
const canShip = (s: OrderStatus) => s !== "pending_payment" && statusRank(s) < 9;

async function handleShipping(env: Bindings, db: Db, job: Extract<WebhookJob, { type: "shipping.event" }>, now: Date): Promise<void> {
  const { carrier, event } = job;
  const ref: EventRef = { provider: `shipping:${carrier}`, eventId: event.eventId };
  const current = await statusOf(db, event.orderId);
  if (!current) throw new NotYet(`order ${event.orderId} is not visible yet`);
  const record = (status: Outcome) =>
    recordEventStatement(db, { ...ref, type: event.status, status, orderId: event.orderId, message: job, now: new Date() });
  if (!canShip(current)) {
    // An order that is unpaid, cancelled or refunded cannot be with a carrier: its tracking is not recorded.
    if (!(await eventSeen(db, ref))) await record("ignored");
    log.warn("shipping.event_ignored", { orderId: event.orderId, status: current, carrier });
    return;
  }
  if (!(await eventSeen(db, ref))) {
    const target: OrderStatus | undefined =
      event.status === "delivered" ? "delivered" : event.status === "exception" ? undefined : "shipped";
    // Walk forward through the states a parcel in the carrier's hands has passed.
    const path: OrderStatus[] = target === "delivered" ? ["fulfilled", "shipped", "delivered"] : target ? ["fulfilled", "shipped"] : [];
    const tracking = shipmentEventStatement(db, {
      orderId: event.orderId,
      carrier,
      trackingNumber: event.trackingNumber,
      status: event.status,
      location: event.location,
      occurredAt: new Date(Date.parse(event.occurredAt) || now.getTime()),
      eventId: event.eventId,
    });
    // Staff record parcels as shipments; while some units have not gone out, one parcel's scans do not move the whole order.
    const partlyShipped =
      (await shipmentCount(db, event.orderId)) > 0 && fulfilmentStatusOf(await orderLinesOf(db, event.orderId)) !== "fulfilled";
    const steps = partlyShipped ? [] : path.filter((step) => statusRank(step) > statusRank(current));
    if (!steps.length) {
      // Nothing to move (a later scan of a shipped parcel, or one parcel of several).
      await db.batch([tracking, record("processed")]);
    } else {
      for (const [i, step] of steps.entries()) {
        const last = i === steps.length - 1;
        const moved = await transitionOrder(db, event.orderId, step, {
          actor: `carrier:${carrier}`,
          reason: `${event.status} ${event.trackingNumber}${event.location ? ` at ${event.location}` : ""}`,
          now,
          alsoRecord: last ? [tracking, record("processed")] : [],
        });
        if (!moved.ok && moved.code === "illegal_transition" && statusRank(moved.from) < statusRank(step)) {
          throw new NotYet(`order ${event.orderId} is ${moved.from}`);
        }
      }
    }
  }
  const order = await findOrder(db, event.orderId);
  // Shipments staff record send their own email (with their tracking link); this one is for parcels known only to the carrier.
  const carrierOnly = (await shipmentCount(db, event.orderId)) === 0;
  if (carrierOnly && (order?.status === "shipped" || order?.status === "delivered")) {
    await queueEmail(env, db, {
      id: `order.shipped:${event.orderId}`,
      type: "order.shipped",
      to: order.email,
      data: { orderId: event.orderId, trackingNumber: (await firstTrackingNumber(db, event.orderId)) ?? event.trackingNumber, carrier },
    });
  }
  if (order?.status === "delivered") {
    await queueEmail(env, db, {
      id: `order.delivered:${event.orderId}`,
      type: "order.delivered",
      to: order.email,
      data: { orderId: event.orderId },
    });
  }
  await markEventSettled(db, ref, new Date());
}

/** Applies one verified provider event; throws NotYet (retry later) or any error (retry with backoff). */
export async function applyWebhook(env: Bindings, db: Db, job: WebhookJob, now = new Date()): Promise<void> {
  if (job.type === "stripe.event") return handleStripe(env, db, job, now);
  if (job.type === "shipping.event") return handleShipping(env, db, job, now);
}

/** Consumer of WEBHOOKS: each message is acked once applied (or seen before), else retried with backoff. */
export async function consumeWebhooks(batch: MessageBatch<WebhookJob>, env: Bindings): Promise<void> {
  const db = createDb(env.DB);
  for (const message of batch.messages) {
    try {
      await applyWebhook(env, db, message.body);
      message.ack();
    } catch (err) {
      const fields = { attempts: message.attempts, error: err };
      if (err instanceof NotYet) log.warn("webhook.not_yet", fields);
      else log.error("webhook.failed", fields);
      message.retry({ delaySeconds: backoffSeconds(message.attempts) });
    }
  }
}

function eventIdOf(job: WebhookJob): EventRef & { type: string; orderId: string | null } {
  if (job?.type === "stripe.event") {
    return { provider: "stripe", eventId: job.event.id, type: job.event.type, orderId: job.event.data?.object?.metadata?.order_id ?? null };
  }
  if (job?.type === "shipping.event") {
    return { provider: `shipping:${job.carrier}`, eventId: job.event.eventId, type: job.event.status, orderId: job.event.orderId };
  }
  return { provider: "unknown", eventId: crypto.randomUUID(), type: "unknown", orderId: null };
}

/** Consumer of WEBHOOKS_DLQ: events that kept failing are stored as failed, visible and replayable by admins. */
export async function consumeWebhookDeadLetters(batch: MessageBatch<WebhookJob>, env: Bindings): Promise<void> {
  const db = createDb(env.DB);
  for (const message of batch.messages) {
    const ref = eventIdOf(message.body);
    try {
      // Whatever the row says, this event kept failing (possibly in its follow-ups): make it visible and replayable.
      await recordDeadLetter(db, { ...ref, message: message.body, attempts: message.attempts, now: new Date() });
      message.ack();
    } catch (err) {
      log.error("webhook.dead_letter_not_recorded", { provider: ref.provider, eventId: ref.eventId, error: err });
      message.retry({ delaySeconds: backoffSeconds(message.attempts) });
    }
  }
}
