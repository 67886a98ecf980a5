import { env } from "cloudflare:workers";
import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { shippingSignatureHeader } from "../../src/webhooks/signatures";
import { addLine, checkout, makeCart, makeStockedProduct } from "../helpers/factories";
import { ADMIN, call } from "../helpers/worker";

const stripe = new Stripe("sk_test_unused", { httpClient: Stripe.createFetchHttpClient() });

async function order() {
  const { sku } = await makeStockedProduct(5);
  const cart = await makeCart();
  await addLine(cart, sku, 1);
  return await (await checkout(cart)).json<{ orderId: string; payment: { id: string } }>();
}

const statusOf = async (orderId: string) =>
  (await env.DB.prepare("select status from orders where id = ?").bind(orderId).first<{ status: string }>())?.status;

function stripePayload(orderId: string, paymentId: string, type = "payment_intent.succeeded") {
  return JSON.stringify({
    id: `evt_${crypto.randomUUID().slice(0, 8)}`,
    type,
    data: { object: { id: paymentId, object: "payment_intent", metadata: { order_id: orderId } } },
  });
}

describe("POST /webhooks/stripe", () => {
  it("accepts an SDK-signed event, answers 200 at once, and the queue applies it", async () => {
    const { orderId, payment } = await order();
    const payload = stripePayload(orderId, payment.id);
    const header = await stripe.webhooks.generateTestHeaderStringAsync({ payload, secret: env.STRIPE_WEBHOOK_SECRET });
    const res = await call("/webhooks/stripe", {
      method: "POST",
      headers: { "Stripe-Signature": header, "Content-Type": "application/json" },
      body: payload,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: true });
    await expect.poll(() => statusOf(orderId), { timeout: 10_000, interval: 200 }).toBe("paid");
  });

  it("answers 400 to a bad signature and queues nothing", async () => {
    const { orderId, payment } = await order();
    const payload = stripePayload(orderId, payment.id);
    const header = await stripe.webhooks.generateTestHeaderStringAsync({ payload, secret: "whsec_wrong" });
    const res = await call("/webhooks/stripe", { method: "POST", headers: { "Stripe-Signature": header }, body: payload });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: "invalid_signature" });
    expect((await call("/webhooks/stripe", { method: "POST", body: payload })).status).toBe(400);
    await new Promise((r) => setTimeout(r, 3_000));
    expect(await statusOf(orderId)).toBe("pending_payment");
  });

  it("fails loudly (503) when the signing secret is not configured", async () => {
    const res = await call("/webhooks/stripe", { method: "POST", body: "{}" }, { STRIPE_WEBHOOK_SECRET: undefined });
    expect(res.status).toBe(503);
  });
});

describe("POST /webhooks/shipping/:carrier", () => {
  it("verifies X-Signature, validates the body, and queues the event", async () => {
    const { orderId } = await order();
    const body = JSON.stringify({
      eventId: "trk-1",
      trackingNumber: "1Z1",
      orderId,
      status: "in_transit",
      occurredAt: new Date().toISOString(),
    });
    const sign = (payload: string) => shippingSignatureHeader(env.SHIPPING_WEBHOOK_SECRET, "acme", payload, Math.floor(Date.now() / 1000));
    const good = await sign(body);
    expect((await call("/webhooks/shipping/acme", { method: "POST", headers: { "X-Signature": good }, body })).status).toBe(200);
    const forged = `t=${Math.floor(Date.now() / 1000)},v1=${"0".repeat(64)}`;
    expect((await call("/webhooks/shipping/acme", { method: "POST", headers: { "X-Signature": forged }, body })).status).toBe(400);
    const bad = JSON.stringify({ eventId: "trk-2", orderId, status: "lost" });
    const res = await call("/webhooks/shipping/acme", {
      method: "POST",
      headers: { "X-Signature": await sign(bad) },
      body: bad,
    });
    expect(res.status).toBe(400);
    expect((await res.json<{ errors: { field: string }[] }>()).errors.map((e) => e.field)).toEqual(
      expect.arrayContaining(["status", "trackingNumber"]),
    );
  });
});

describe("test payment provider", () => {
  it("lets an admin settle a test payment through the webhook queue", async () => {
    const paid = await order();
    const declined = await order();
    expect(paid.payment).toMatchObject({ provider: "test" });
    expect((await call(`/admin/api/payments/test/${paid.orderId}/succeed`, { method: "POST", headers: ADMIN })).status).toBe(202);
    expect((await call(`/admin/api/payments/test/${declined.orderId}/fail`, { method: "POST", headers: ADMIN })).status).toBe(202);
    await expect.poll(() => statusOf(paid.orderId), { timeout: 10_000, interval: 200 }).toBe("paid");
    await expect.poll(() => statusOf(declined.orderId), { timeout: 10_000, interval: 200 }).toBe("cancelled");
  });
});
