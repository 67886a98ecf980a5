import { and, eq, or } from "drizzle-orm";
import { createDb, type Db } from "../db";
import { type OrderStatus, orders, shipmentEvents, webhookEvents } from "../db/schema";
import type { Bindings } from "../env";
import { paymentProvider } from "../payments/provider";
import { queueEmail } from "../services/notifications";
import { canTransition, reachable, transitionOrder } from "../services/order-state";
import { cancelOrder, markOrderPaid, refundOrder, statusOf } from "../services/orders";
import { backoffSeconds } from "./backoff";
import type { ShippingEvent, StripeEvent, WebhookJob } from "./messages";

/** Why an event could not be applied yet; the message is retried with a delay. */
class NotYet extends Error {}

type Outcome = "processed" | "ignored";

const STRIPE_TARGETS: Record<string, OrderStatus> = {
  "payment_intent.succeeded": "paid",
  "payment_intent.payment_failed": "cancelled",
  "payment_intent.canceled": "cancelled",
  "charge.refunded": "refunded",
};

function recordStatement(
  db: Db,
  provider: string,
  eventId: string,
  type: string,
  status: Outcome,
  orderId: string | null,
  job: WebhookJob,
) {
  const at = Date.now();
  return db.$client
    .prepare(
      `insert into webhook_events (provider, event_id, type, status, order_id, message, attempts, received_at, updated_at)
       values (?, ?, ?, ?, ?, ?, 1, ?, ?)
       on conflict (provider, event_id) do update set status = excluded.status, error = null, updated_at = excluded.updated_at
       where webhook_events.status in ('failed', 'replayed')`,
    )
    .bind(provider, eventId, type, status, orderId, JSON.stringify(job), at, at);
}

/** After a successful (re)delivery: a row left failed or replayed by an earlier attempt is now processed. */
async function settled(db: Db, provider: string, eventId: string) {
  await db.$client
    .prepare(
      "update webhook_events set status = 'processed', error = null, updated_at = ? where provider = ? and event_id = ? and status in ('failed', 'replayed')",
    )
    .bind(Date.now(), provider, eventId)
    .run();
}

async function seen(db: Db, provider: string, eventId: string): Promise<boolean> {
  const [row] = await db
    .select({ status: webhookEvents.status })
    .from(webhookEvents)
    .where(and(eq(webhookEvents.provider, provider), eq(webhookEvents.eventId, eventId)));
  return row !== undefined && row.status !== "failed" && row.status !== "replayed";
}

async function orderOfStripeObject(db: Db, object: StripeEvent["data"]["object"]): Promise<string | undefined> {
  const fromMetadata = object.metadata?.order_id;
  const paymentId = object.object === "charge" ? object.payment_intent : object.id;
  if (!fromMetadata && !paymentId) return undefined;
  const [row] = await db
    .select({ id: orders.id })
    .from(orders)
    .where(or(fromMetadata ? eq(orders.id, fromMetadata) : undefined, paymentId ? eq(orders.paymentId, paymentId) : undefined));
  return row?.id ?? fromMetadata;
}

/** Re-drives the idempotent effects of the order's current state (stock, emails), whatever delivered the event. */
async function followUps(env: Bindings, db: Db, orderId: string, now: Date) {
  const status = await statusOf(db, orderId);
  const [order] = await db.select({ email: orders.email }).from(orders).where(eq(orders.id, orderId));
  if (!status || !order) return;
  const meta = { actor: "webhook", now };
  if (status === "paid") {
    await markOrderPaid(env, db, orderId, meta);
    await queueEmail(env, db, { id: `order.confirmation:${orderId}`, type: "order.confirmation", to: order.email, data: { orderId } });
  }
  if (status === "cancelled") await cancelOrder(env, db, orderId, meta);
  if (status === "refunded") {
    await refundOrder(env, db, orderId, meta);
    await queueEmail(env, db, { id: `order.refunded:${orderId}`, type: "order.refunded", to: order.email, data: { orderId } });
  }
}

/** Applies one move for an event: now if legal, later if it arrived early, never if it would go backwards. */
async function applyMove(
  env: Bindings,
  db: Db,
  orderId: string,
  target: OrderStatus,
  record: (status: Outcome) => D1PreparedStatement,
  reason: string,
  now: Date,
): Promise<Outcome> {
  const current = await statusOf(db, orderId);
  if (!current) throw new NotYet(`order ${orderId} is not visible yet`);
  if (current === target || (!canTransition(current, target) && !reachable(current, target))) {
    await record("ignored").run();
    return "ignored";
  }
  if (!canTransition(current, target)) throw new NotYet(`order ${orderId} is ${current}; ${target} must wait`);
  const meta = { actor: "webhook", reason, now, alsoRecord: [record("processed")] };
  const moved =
    target === "paid"
      ? await markOrderPaid(env, db, orderId, meta)
      : target === "cancelled"
        ? await cancelOrder(env, db, orderId, meta)
        : target === "refunded"
          ? await refundOrder(env, db, orderId, meta)
          : await transitionOrder(db, orderId, target, meta);
  if (!moved.ok) throw new NotYet(`order ${orderId} changed while applying ${target}`);
  return "processed";
}

async function handleStripe(env: Bindings, db: Db, job: Extract<WebhookJob, { type: "stripe.event" }>, now: Date): Promise<void> {
  const { event } = job;
  const orderId = await orderOfStripeObject(db, event.data.object);
  const record = (status: Outcome) => recordStatement(db, "stripe", event.id, event.type, status, orderId ?? null, job);
  const target = STRIPE_TARGETS[event.type];
  if (!target || !orderId) {
    if (!(await seen(db, "stripe", event.id))) await record("ignored").run();
    return;
  }
  if (!(await seen(db, "stripe", event.id))) {
    const object = event.data.object;
    const reason = object.last_payment_error?.message ?? event.type;
    const partialRefund =
      event.type === "charge.refunded" &&
      object.refunded !== true &&
      !(object.amount !== undefined && (object.amount_refunded ?? 0) >= object.amount);
    if (partialRefund) {
      // Only a full refund ends the order; a partial one (goodwill, one item) is recorded for the books.
      await record("processed").run();
    } else if (target === "paid" && (await statusOf(db, orderId)) === "cancelled") {
      // Money arrived for an order that no longer exists (e.g. paid after a decline cancelled it): give it back.
      const [order] = await db.select({ paymentId: orders.paymentId }).from(orders).where(eq(orders.id, orderId));
      await paymentProvider(env).refund(order?.paymentId ?? object.id);
      await record("ignored").run();
      console.warn(JSON.stringify({ level: "warn", msg: "payment for a cancelled order refunded", orderId, eventId: event.id }));
      return;
    } else {
      await applyMove(env, db, orderId, target, record, reason, now);
    }
  }
  await followUps(env, db, orderId, now);
  await settled(db, "stripe", event.id);
}

async function handleShipping(env: Bindings, db: Db, job: Extract<WebhookJob, { type: "shipping.event" }>, now: Date): Promise<void> {
  const { carrier, event } = job;
  const provider = `shipping:${carrier}`;
  const current = await statusOf(db, event.orderId);
  if (!current) throw new NotYet(`order ${event.orderId} is not visible yet`);
  if (!(await seen(db, provider, event.eventId))) {
    const target: OrderStatus | undefined =
      event.status === "delivered" ? "delivered" : event.status === "exception" ? undefined : "shipped";
    if (target && current === "pending_payment") throw new NotYet(`order ${event.orderId} is not paid yet`);
    // Walk forward through the states a parcel in the carrier's hands has passed.
    const path: OrderStatus[] = target === "delivered" ? ["fulfilled", "shipped", "delivered"] : target ? ["fulfilled", "shipped"] : [];
    const tracking = db.$client
      .prepare(
        "insert into shipment_events (order_id, carrier, tracking_number, status, location, occurred_at, event_id) values (?, ?, ?, ?, ?, ?, ?) on conflict (carrier, event_id) do nothing",
      )
      .bind(
        event.orderId,
        carrier,
        event.trackingNumber,
        event.status,
        event.location ?? null,
        Date.parse(event.occurredAt) || now.getTime(),
        event.eventId,
      );
    const steps = path.filter((step) => statusRank(step) > statusRank(current));
    const record = (status: Outcome) => recordStatement(db, provider, event.eventId, event.status, status, event.orderId, job);
    if (!steps.length) {
      // Nothing to move (a later scan of a shipped parcel, or an order that was cancelled/refunded).
      await db.$client.batch([tracking, record(statusRank(current) >= 9 ? "ignored" : "processed")]);
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
  const [order] = await db.select({ email: orders.email, status: orders.status }).from(orders).where(eq(orders.id, event.orderId));
  if (order?.status === "shipped" || order?.status === "delivered") {
    const [first] = await db
      .select({ tracking: shipmentEvents.trackingNumber })
      .from(shipmentEvents)
      .where(eq(shipmentEvents.orderId, event.orderId))
      .limit(1);
    await queueEmail(env, db, {
      id: `order.shipped:${event.orderId}`,
      type: "order.shipped",
      to: order.email,
      data: { orderId: event.orderId, trackingNumber: first?.tracking ?? event.trackingNumber, carrier },
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
  await settled(db, provider, event.eventId);
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
      const level = err instanceof NotYet ? "warn" : "error";
      console[level === "warn" ? "warn" : "error"](
        JSON.stringify({ level, msg: "webhook not applied; will retry", attempts: message.attempts, error: String(err) }),
      );
      message.retry({ delaySeconds: backoffSeconds(message.attempts) });
    }
  }
}

function eventIdOf(job: WebhookJob): { provider: string; eventId: string; type: string; orderId: string | null } {
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
  const at = Date.now();
  for (const message of batch.messages) {
    const { provider, eventId, type, orderId } = eventIdOf(message.body);
    try {
      // Whatever the row says, this event kept failing (possibly in its follow-ups): make it visible and replayable.
      await env.DB.prepare(
        `insert into webhook_events (provider, event_id, type, status, order_id, message, attempts, error, received_at, updated_at)
         values (?, ?, ?, 'failed', ?, ?, ?, 'dead-lettered after repeated failures', ?, ?)
         on conflict (provider, event_id) do update set status = 'failed', attempts = webhook_events.attempts + excluded.attempts,
           error = excluded.error, message = excluded.message, updated_at = excluded.updated_at`,
      )
        .bind(provider, eventId, type, orderId, JSON.stringify(message.body), message.attempts, at, at)
        .run();
      message.ack();
    } catch (err) {
      console.error(
        JSON.stringify({ level: "error", msg: "could not store a dead-lettered event", provider, eventId, error: String(err) }),
      );
      message.retry({ delaySeconds: backoffSeconds(message.attempts) });
    }
  }
}
