import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { addLine, checkoutBody, makeCart, placeOrder } from "../helpers/factories";
import { intercept } from "../helpers/intercept";
import { runNamed } from "../helpers/jobs";
import { drain, payOrder, sessionEvent, shippingEvent, stripeEvent } from "../helpers/queues";
import { ADMIN, call, callJson } from "../helpers/worker";

afterEach(() => vi.restoreAllMocks());

const STRIPE = { STRIPE_SECRET_KEY: "sk_test_hardening" };
const statusOf = async (id: string) =>
  (await env.DB.prepare("select status, refunded from orders where id = ?").bind(id).first<{ status: string; refunded: number }>())!;
const stock = (sku: string) => env.INVENTORY.getByName(sku).snapshot();
const adminPost = (path: string, body: unknown, overrides: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  call(
    path,
    { method: "POST", headers: { ...ADMIN, ...headers, "Content-Type": "application/json" }, body: JSON.stringify(body) },
    overrides,
  );
const emails = async (type: string, orderId: string) =>
  (await env.DB.prepare("select count(*) as n from notifications where type = ? and json_extract(data, '$.orderId') = ?")
    .bind(type, orderId)
    .first<{ n: number }>())!.n;

/** Stripe answering: sessions open, refunds as `refund` says (a status code or a refund id). */
function stripe(refund: () => number | string) {
  return intercept("https://api.stripe.com/", (request) => {
    if (request.url.endsWith("/refunds")) {
      const r = refund();
      return typeof r === "number"
        ? Response.json({ error: { message: "refund trouble" } }, { status: r })
        : Response.json({ id: r, status: "succeeded" });
    }
    return Response.json({
      id: `cs_${crypto.randomUUID().slice(0, 8)}`,
      url: "https://checkout.stripe.com/c/pay/x",
      status: "open",
      payment_status: "unpaid",
    });
  });
}

/** A paid order through Stripe (the session completes). */
async function stripeOrder(quantity: number, stockUnits = 10) {
  const o = await placeOrder(stockUnits, quantity);
  await env.DB.prepare("update orders set payment_provider = 'stripe', payment_intent_id = ? where id = ?")
    .bind(`pi_${o.orderId}`, o.orderId)
    .run();
  await payOrder(o.orderId, o.paymentId);
  return o;
}

describe("taking payments safely", () => {
  it("refuses orders on a public shop without Stripe instead of letting the test page give them away", async () => {
    const cart = await makeCart();
    const { sku } = await placeOrder(5, 1);
    await addLine(cart, sku, 1);
    const before = (await env.DB.prepare("select count(*) as n from orders").first<{ n: number }>())!.n;
    const res = await call(
      `/api/carts/${cart}/checkout`,
      {
        method: "POST",
        headers: { "Content-Type": "application/json", "Idempotency-Key": crypto.randomUUID() },
        body: JSON.stringify(checkoutBody()),
      },
      { ALLOW_TEST_PAYMENTS: "false" },
    );
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ code: "misconfigured", setting: "STRIPE_SECRET_KEY" });
    expect((await env.DB.prepare("select count(*) as n from orders").first<{ n: number }>())!.n).toBe(before);
  });

  it("keeps a Stripe order open when one card is declined on the hosted page; only the page's expiry cancels it", async () => {
    stripe(() => "re_x");
    const o = await placeOrder(5, 1);
    await env.DB.prepare("update orders set payment_provider = 'stripe' where id = ?").bind(o.orderId).run();
    await drain([stripeEvent("payment_intent.payment_failed", o.orderId, `pi_${o.orderId}`)]);
    expect((await statusOf(o.orderId)).status).toBe("pending_payment");
    expect((await stock(o.sku)).reserved).toBe(1);
    await drain([sessionEvent("checkout.session.expired", o.orderId, o.paymentId)]);
    expect((await statusOf(o.orderId)).status).toBe("cancelled");
  });

  it("gives back a payment for an order already cancelled once, however many events report it", async () => {
    const calls = stripe(() => "re_late");
    const o = await placeOrder(5, 1);
    await env.DB.prepare("update orders set payment_provider = 'stripe' where id = ?").bind(o.orderId).run();
    await drain([sessionEvent("checkout.session.expired", o.orderId, o.paymentId)]);
    await drain(
      [
        sessionEvent("checkout.session.completed", o.orderId, o.paymentId, { payment_status: "paid" }),
        stripeEvent("payment_intent.succeeded", o.orderId, `pi_${o.paymentId}`),
      ],
      { overrides: () => STRIPE },
    );
    const refunds = calls.filter((c) => c.url.endsWith("/refunds"));
    expect(new Set(refunds.map((r) => r.headers.get("Idempotency-Key")))).toEqual(new Set([`refund-late-${o.orderId}`]));
    expect((await statusOf(o.orderId)).status).toBe("cancelled");
  });

  it("refuses a state that does not exist instead of charging no sales tax", async () => {
    const { cart } = await (async () => {
      const o = await placeOrder(5, 1);
      const c = await makeCart();
      await addLine(c, o.sku, 1);
      return { cart: c };
    })();
    const res = await call(`/api/carts/${cart}/quote?country=US&region=Californa`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: "region_invalid", errors: [{ field: "region" }] });
    expect((await call(`/api/carts/${cart}/quote?country=US&region=california`)).status).toBe(200);
  });
});

describe("cancelling and refunding paid orders safely", () => {
  it("leaves a paid order as it was when the provider refuses the refund a cancellation needs", async () => {
    stripe(() => 400);
    const o = await stripeOrder(2);
    const res = await adminPost(`/admin/api/orders/${o.orderId}/cancel`, { reason: "changed mind" }, STRIPE);
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ code: "refund_refused" });
    expect(await statusOf(o.orderId)).toMatchObject({ status: "paid", refunded: 0 });
    expect((await stock(o.sku)).onHand).toBe(8);
  });

  it("retries a refund the provider did not answer, then completes the cancellation", async () => {
    let answer: number | string = 503;
    stripe(() => answer);
    const o = await stripeOrder(2);
    expect((await adminPost(`/admin/api/orders/${o.orderId}/cancel`, {}, STRIPE)).status).toBe(503);
    expect((await statusOf(o.orderId)).status).toBe("paid");
    answer = "re_after_timeout";
    await runNamed("refund-retry", new Date(Date.now() + 3 * 60_000), STRIPE);
    expect(await statusOf(o.orderId)).toMatchObject({ status: "cancelled", refunded: o.total });
    const again = await adminPost(`/admin/api/orders/${o.orderId}/cancel`, {}, STRIPE);
    expect(again.status).toBe(200);
    expect(await statusOf(o.orderId)).toMatchObject({ status: "cancelled", refunded: o.total });
    expect((await stock(o.sku)).onHand).toBe(10);
    expect(await emails("order.cancelled", o.orderId)).toBe(1);
  });

  it("answers a retried refund with the same Idempotency-Key with the first refund", async () => {
    const o = await placeOrder(5, 2);
    await payOrder(o.orderId, o.paymentId);
    const key = { "Idempotency-Key": crypto.randomUUID() };
    const first = await adminPost(`/admin/api/orders/${o.orderId}/refund`, { amount: 700, reason: "late" }, {}, key);
    const second = await adminPost(`/admin/api/orders/${o.orderId}/refund`, { amount: 700, reason: "late" }, {}, key);
    expect((await first.json<{ refund: { id: string } }>()).refund.id).toBe((await second.json<{ refund: { id: string } }>()).refund.id);
    expect((await statusOf(o.orderId)).refunded).toBe(700);
  });

  it("does not put shipped units back when a shipped order is refunded in full, whoever refunds it", async () => {
    const o = await placeOrder(10, 2);
    await payOrder(o.orderId, o.paymentId);
    await callJson(`/admin/api/orders/${o.orderId}/fulfil`, "POST", { carrier: "ups", trackingNumber: "S1", notify: false });
    await callJson(`/admin/api/orders/${o.orderId}/refund`, "POST", { reason: "lost parcel", restock: true });
    await drain([stripeEvent("charge.refunded", o.orderId, `pi_${o.paymentId}`, undefined, { refunded: true })]);
    expect((await stock(o.sku)).onHand).toBe(8);
  });

  it("puts a returned unit back once, not again when the rest of the order is refunded at the provider", async () => {
    const o = await placeOrder(10, 2);
    await payOrder(o.orderId, o.paymentId);
    await callJson(`/admin/api/orders/${o.orderId}/fulfil`, "POST", { carrier: "ups", trackingNumber: "R1", notify: false });
    const ret = await (
      await callJson(
        `/api/orders/${o.orderId}/returns?token=${encodeURIComponent(o.orderToken)}`,
        "POST",
        { lines: [{ sku: o.sku, quantity: 1 }], reason: "x" },
        {},
      )
    ).json<{ id: string }>();
    await callJson(`/admin/api/returns/${ret.id}/approve`, "POST", {});
    await callJson(`/admin/api/returns/${ret.id}/receive`, "POST", {});
    expect((await stock(o.sku)).onHand).toBe(9);
    await drain([stripeEvent("charge.refunded", o.orderId, `pi_${o.paymentId}`, undefined, { refunded: true })]);
    expect((await stock(o.sku)).onHand).toBe(9);
  });
});

describe("returns and shipments counted once", () => {
  async function shipped(quantity: number) {
    const o = await placeOrder(10, quantity);
    await payOrder(o.orderId, o.paymentId);
    await callJson(`/admin/api/orders/${o.orderId}/fulfil`, "POST", { carrier: "ups", trackingNumber: `T-${o.orderId}`, notify: false });
    return o;
  }
  const ask = (o: { orderId: string; orderToken: string }, quantity: number, sku: string) =>
    callJson(
      `/api/orders/${o.orderId}/returns?token=${encodeURIComponent(o.orderToken)}`,
      "POST",
      { lines: [{ sku, quantity }], reason: "x" },
      {},
    );

  it("refunds a return once when two staff press refund together, and only after it was received", async () => {
    const o = await shipped(3);
    const { id } = await (await ask(o, 1, o.sku)).json<{ id: string }>();
    await callJson(`/admin/api/returns/${id}/approve`, "POST", {});
    expect((await callJson(`/admin/api/returns/${id}/refund`, "POST", {})).status).toBe(409);
    await callJson(`/admin/api/returns/${id}/receive`, "POST", {});
    const [a, b] = await Promise.all([
      callJson(`/admin/api/returns/${id}/refund`, "POST", {}),
      callJson(`/admin/api/returns/${id}/refund`, "POST", {}),
    ]);
    expect([a.status, b.status].filter((s) => s === 201).length).toBeGreaterThanOrEqual(1);
    expect((await statusOf(o.orderId)).refunded).toBe(2500);
  });

  it("lets the other unit be returned after one was returned and refunded", async () => {
    const o = await shipped(2);
    const { id } = await (await ask(o, 1, o.sku)).json<{ id: string }>();
    for (const step of ["approve", "receive", "refund"]) await callJson(`/admin/api/returns/${id}/${step}`, "POST", {});
    expect((await ask(o, 1, o.sku)).status).toBe(201);
    expect((await ask(o, 1, o.sku)).status).toBe(409);
  });

  it("records a retried fulfilment with the same tracking number once, and the carrier's scans send no second shipping email", async () => {
    const o = await placeOrder(10, 1);
    await payOrder(o.orderId, o.paymentId);
    const body = { carrier: "acme", trackingNumber: "1Z999", notify: true };
    const first = await (await callJson(`/admin/api/orders/${o.orderId}/fulfil`, "POST", body)).json<{ shipmentId: string }>();
    const again = await (await callJson(`/admin/api/orders/${o.orderId}/fulfil`, "POST", body)).json<{ shipmentId: string }>();
    expect(again.shipmentId).toBe(first.shipmentId);
    await drain([shippingEvent(o.orderId, "in_transit"), shippingEvent(o.orderId, "delivered")]);
    expect(await emails("order.shipped", o.orderId)).toBe(1);
  });

  it("does not deliver a whole order when one parcel of several arrives; the rest can still ship", async () => {
    const o = await placeOrder(10, 2);
    await payOrder(o.orderId, o.paymentId);
    await callJson(`/admin/api/orders/${o.orderId}/fulfil`, "POST", {
      lines: [{ sku: o.sku, quantity: 1 }],
      carrier: "acme",
      trackingNumber: "P1",
    });
    await drain([shippingEvent(o.orderId, "delivered")]);
    expect((await statusOf(o.orderId)).status).toBe("paid");
    expect((await callJson(`/admin/api/orders/${o.orderId}/fulfil`, "POST", { carrier: "acme", trackingNumber: "P2" })).status).toBe(201);
    expect((await statusOf(o.orderId)).status).toBe("shipped");
  });
});
