import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { hmacHex } from "../../src/crypto";
import type { WebhookJob } from "../../src/queues/messages";
import { shippingSignatureHeader, stripeSignatureHeader } from "../../src/webhooks/signatures";
import { placeOrder } from "../helpers/factories";
import { drain, shippingEvent, stripeEvent } from "../helpers/queues";
import { call, callJson } from "../helpers/worker";

const now = () => Math.floor(Date.now() / 1000);

/** A WEBHOOKS queue that only records what it is sent. */
function recordingQueue(sent: unknown[]) {
  return { WEBHOOKS: { send: async (message: unknown) => void sent.push(message) } };
}

const trackingBody = (orderId: string, eventId = `trk-${crypto.randomUUID().slice(0, 8)}`) =>
  JSON.stringify({ eventId, trackingNumber: "1Z999AA1", orderId, status: "in_transit", occurredAt: new Date().toISOString() });

function postShipping(carrier: string, body: string, signature: string | undefined, sent: unknown[]) {
  return call(
    `/webhooks/shipping/${carrier}`,
    { method: "POST", headers: { "Content-Type": "application/json", ...(signature ? { "X-Signature": signature } : {}) }, body },
    recordingQueue(sent),
  );
}

const statusOf = async (orderId: string) =>
  (await env.DB.prepare("select status from orders where id = ?").bind(orderId).first<{ status: string }>())?.status;
const trackingRows = async (orderId: string) =>
  (await env.DB.prepare("select count(*) as n from shipment_events where order_id = ?").bind(orderId).first<{ n: number }>())!.n;

describe("shipping webhook signatures", () => {
  it("accepts t=<unix>,v1=<HMAC of t.carrier.body> within five minutes and queues the event", async () => {
    const { orderId } = await placeOrder(5, 1);
    const body = trackingBody(orderId);
    const sent: unknown[] = [];
    const res = await postShipping("acme", body, await shippingSignatureHeader(env.SHIPPING_WEBHOOK_SECRET, "acme", body, now()), sent);
    expect(res.status, await res.clone().text()).toBe(200);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ type: "shipping.event", carrier: "acme", event: { orderId } });
  });

  it("refuses a body signed for another carrier, a stale or future timestamp, and the old body-only scheme", async () => {
    const { orderId } = await placeOrder(5, 1);
    const body = trackingBody(orderId);
    const secret = env.SHIPPING_WEBHOOK_SECRET;
    const sent: unknown[] = [];
    const refused = [
      ["other", await shippingSignatureHeader(secret, "acme", body, now())],
      ["acme", await shippingSignatureHeader(secret, "acme", body, now() - 301)],
      ["acme", await shippingSignatureHeader(secret, "acme", body, now() + 301)],
      ["acme", `sha256=${await hmacHex(secret, body)}`],
      ["acme", `t=${now()},v1=${await hmacHex(secret, body)}`],
      ["acme", `t=${now()},v1=${await hmacHex(secret, `${now()}.${body}`)}`],
      ["acme", `t=abc,v1=${"0".repeat(64)}`],
      ["acme", await shippingSignatureHeader("wrong-secret", "acme", body, now())],
      ["acme", undefined],
    ] as const;
    for (const [carrier, signature] of refused) {
      const res = await postShipping(carrier, body, signature, sent);
      expect(res.status, `${carrier} ${signature}`).toBe(400);
      expect(await res.json(), `${carrier} ${signature}`).toMatchObject({ code: "invalid_signature" });
    }
    expect(sent).toEqual([]);
  });
});

describe("shipping events in the queue", () => {
  it("applies an event id once, however often it is delivered", async () => {
    const order = await placeOrder(5, 1);
    await drain([stripeEvent("payment_intent.succeeded", order.orderId, order.paymentId)]);
    const event = shippingEvent(order.orderId, "in_transit", `dup-${order.orderId}`);
    await drain([event, { ...event, id: crypto.randomUUID() }]);
    await drain([{ ...event, id: crypto.randomUUID() }]);
    expect(await trackingRows(order.orderId)).toBe(1);
    const moves = await env.DB.prepare("select count(*) as n from order_events where order_id = ? and to_status = 'shipped'")
      .bind(order.orderId)
      .first<{ n: number }>();
    expect(moves!.n).toBe(1);
  });

  it("ignores tracking for orders that cannot ship: cancelled, refunded or unpaid", async () => {
    const cancelled = await placeOrder(5, 1);
    expect((await callJson(`/admin/api/orders/${cancelled.orderId}/cancel`, "POST", { reason: "test" })).status).toBe(200);
    const refunded = await placeOrder(5, 1);
    await drain([stripeEvent("payment_intent.succeeded", refunded.orderId, refunded.paymentId)]);
    expect((await callJson(`/admin/api/orders/${refunded.orderId}/refund`, "POST", { reason: "test" })).status).toBe(201);
    expect(await statusOf(refunded.orderId)).toBe("refunded");
    const unpaid = await placeOrder(5, 1);
    for (const order of [cancelled, refunded, unpaid]) {
      const before = await statusOf(order.orderId);
      const { deadLettered } = await drain(
        [shippingEvent(order.orderId, "in_transit"), shippingEvent(order.orderId, "delivered"), shippingEvent(order.orderId, "exception")],
        { maxRetries: 1 },
      );
      expect(deadLettered).toEqual([]);
      expect(await statusOf(order.orderId)).toBe(before);
      expect(await trackingRows(order.orderId)).toBe(0);
      const shippedEmails = await env.DB.prepare(
        "select count(*) as n from notifications where order_id = ? and type in ('order.shipped', 'order.delivered')",
      )
        .bind(order.orderId)
        .first<{ n: number }>();
      expect(shippedEmails!.n).toBe(0);
    }
  });
});

describe("Stripe event shape", () => {
  it("answers 400 problem+json to a correctly signed event whose data.object is not an object, queueing nothing", async () => {
    const sent: unknown[] = [];
    for (const object of [null, [], ["pi_1"], "pi_1", 42, { object: "payment_intent" }, { id: "" }, { id: 7 }]) {
      const payload = JSON.stringify({ id: `evt_${crypto.randomUUID().slice(0, 8)}`, type: "payment_intent.succeeded", data: { object } });
      const res = await call(
        "/webhooks/stripe",
        {
          method: "POST",
          headers: {
            "Content-Type": "application/json",
            "Stripe-Signature": await stripeSignatureHeader(env.STRIPE_WEBHOOK_SECRET, payload, now()),
          },
          body: payload,
        },
        recordingQueue(sent),
      );
      expect(res.status, JSON.stringify(object)).toBe(400);
      expect(res.headers.get("Content-Type")).toBe("application/problem+json");
    }
    for (const payload of ["null", "[]", '"evt"', '{"id":"evt_1","type":"x"}', '{"id":"evt_1","type":"x","data":null}']) {
      const res = await call(
        "/webhooks/stripe",
        {
          method: "POST",
          headers: { "Stripe-Signature": await stripeSignatureHeader(env.STRIPE_WEBHOOK_SECRET, payload, now()) },
          body: payload,
        },
        recordingQueue(sent),
      );
      expect(res.status, payload).toBe(400);
    }
    expect(sent).toEqual([]);
    // The shape a consumer reads still passes.
    const good = JSON.stringify({ id: "evt_good_shape", type: "payment_intent.created", data: { object: { id: "pi_1" } } });
    const ok = await call(
      "/webhooks/stripe",
      { method: "POST", headers: { "Stripe-Signature": await stripeSignatureHeader(env.STRIPE_WEBHOOK_SECRET, good, now()) }, body: good },
      recordingQueue(sent),
    );
    expect(ok.status).toBe(200);
    expect(sent as WebhookJob[]).toHaveLength(1);
  });
});
