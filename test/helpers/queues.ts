import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import worker from "../../src/index";
import type { WebhookJob } from "../../src/queues/messages";

export interface Pending {
  id: string;
  body: WebhookJob;
  attempts: number;
}

/** Delivers messages to the Worker's queue handler; returns those it asked to retry. */
export async function deliver(queue: string, messages: Pending[], overrides: Record<string, unknown> = {}): Promise<Pending[]> {
  const batch = createMessageBatch(
    queue,
    messages.map((m) => ({ id: m.id, timestamp: new Date(), attempts: m.attempts, body: m.body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, { ...env, ...overrides } as typeof env, ctx);
  const result = await getQueueResult(batch, ctx);
  const retried = new Set(result.retryMessages.map((r) => r.msgId));
  if (result.retryBatch.retry) return messages.map((m) => ({ ...m, attempts: m.attempts + 1 }));
  return messages.filter((m) => retried.has(m.id)).map((m) => ({ ...m, attempts: m.attempts + 1 }));
}

/**
 * Runs messages the way the platform would: batches of `batchSize`, retried ones redelivered with
 * attempts + 1, and after `maxRetries` retries sent to the dead-letter queue.
 */
export async function drain(
  messages: Pending[],
  options: { batchSize?: number; maxRetries?: number; overrides?: () => Record<string, unknown> } = {},
) {
  const batchSize = options.batchSize ?? 4;
  const maxRetries = options.maxRetries ?? 8;
  let queue = [...messages];
  const deadLettered: Pending[] = [];
  while (queue.length) {
    const next: Pending[] = [];
    for (let i = 0; i < queue.length; i += batchSize) {
      next.push(...(await deliver("edgefront-webhooks", queue.slice(i, i + batchSize), options.overrides?.() ?? {})));
    }
    deadLettered.push(...next.filter((m) => m.attempts > maxRetries + 1));
    queue = next.filter((m) => m.attempts <= maxRetries + 1);
  }
  if (deadLettered.length) await deliver("edgefront-webhooks-dlq", deadLettered);
  return { deadLettered };
}

let counter = 0;
/** A Stripe-shaped event for an order. */
export function stripeEvent(
  type: string,
  orderId: string,
  paymentId: string,
  id = `evt_${Date.now().toString(36)}_${counter++}`,
  charge: { refunded?: boolean; amount?: number; amount_refunded?: number } = { refunded: true },
): Pending {
  const object =
    type === "charge.refunded"
      ? { id: `ch_${paymentId}`, object: "charge", payment_intent: paymentId, metadata: { order_id: orderId }, ...charge }
      : { id: paymentId, object: "payment_intent", metadata: { order_id: orderId } };
  return { id: crypto.randomUUID(), attempts: 1, body: { type: "stripe.event", event: { id, type, data: { object } } } };
}

/** A carrier event for an order. */
export function shippingEvent(
  orderId: string,
  status: "in_transit" | "out_for_delivery" | "delivered" | "exception",
  eventId = `ship_${counter++}`,
): Pending {
  return {
    id: crypto.randomUUID(),
    attempts: 1,
    body: {
      type: "shipping.event",
      carrier: "acme",
      event: { eventId, trackingNumber: "1Z999", orderId, status, occurredAt: new Date().toISOString(), location: "Lisbon" },
    },
  };
}

/** A seeded shuffle, so failures reproduce. */
export function shuffle<T>(items: T[], seed = 42): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** A Stripe Checkout Session event for an order (`checkout.session.completed`, `.expired`, `.async_payment_*`). */
export function sessionEvent(
  type: string,
  orderId: string,
  sessionId: string,
  fields: Record<string, unknown> = {},
  id = `evt_${Date.now().toString(36)}_${counter++}`,
): Pending {
  const object = {
    id: sessionId,
    object: "checkout.session",
    metadata: { order_id: orderId },
    payment_intent: `pi_${sessionId}`,
    ...fields,
  };
  return { id: crypto.randomUUID(), attempts: 1, body: { type: "stripe.event", event: { id, type, data: { object } } } };
}

/** Pays an order the way the payment page would: its session completes, delivered through the Worker's queue handler. */
export async function payOrder(orderId: string, sessionId: string) {
  await drain([sessionEvent("checkout.session.completed", orderId, sessionId, { status: "complete", payment_status: "paid" })]);
}
