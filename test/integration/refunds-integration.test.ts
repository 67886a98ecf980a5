import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { checkoutBody, placeOrder } from "../helpers/factories";
import { intercept } from "../helpers/intercept";
import { drain, payOrder, stripeEvent } from "../helpers/queues";
import { ADMIN, call, callJson } from "../helpers/worker";

afterEach(() => vi.restoreAllMocks());

interface OrderBody {
  status: string;
  paymentStatus: string;
  total: { amount: number };
  refunded: { amount: number };
  refunds: { amount: { amount: number }; reason: string; status: string }[];
  lines: { sku: string; refundedQuantity: number }[];
}

const order = async (id: string) => (await call(`/admin/api/orders/${id}`, { headers: ADMIN })).json<OrderBody>();
const refund = (id: string, body: unknown) => callJson(`/admin/api/orders/${id}/refund`, "POST", body);
const stock = (sku: string) => env.INVENTORY.getByName(sku).snapshot();
const refundEmails = async (orderId: string) =>
  (await env.DB.prepare("select count(*) as n from notifications where type = 'order.refunded' and json_extract(data, '$.orderId') = ?")
    .bind(orderId)
    .first<{ n: number }>())!.n;

/** A paid US (Oregon: no sales tax) order of `quantity` units at 25.00, shipping 5.00. */
async function paidOrder(quantity: number, stockUnits = 10) {
  const placed = await placeOrder(
    stockUnits,
    quantity,
    checkoutBody({ shippingAddress: { ...checkoutBody().shippingAddress, country: "US", region: "OR" } }),
  );
  await payOrder(placed.orderId, placed.paymentId);
  return placed;
}

describe("refunds", () => {
  it("refunds part of an order, then the rest; the order reports partly refunded, then refunded", async () => {
    const o = await paidOrder(2);
    expect(o.total).toBe(5500);
    const first = await refund(o.orderId, { amount: 1000, reason: "goodwill" });
    expect(first.status).toBe(201);
    expect(await order(o.orderId)).toMatchObject({ status: "paid", paymentStatus: "partially_refunded", refunded: { amount: 1000 } });
    const rest = await refund(o.orderId, { reason: "cancelled by phone" });
    expect(rest.status).toBe(201);
    expect(await rest.json()).toMatchObject({ refund: { amount: { amount: 4500 } } });
    const after = await order(o.orderId);
    expect(after).toMatchObject({ status: "refunded", paymentStatus: "refunded", refunded: { amount: 5500 } });
    expect(after.refunds.map((r) => [r.amount.amount, r.reason, r.status])).toEqual([
      [1000, "goodwill", "succeeded"],
      [4500, "cancelled by phone", "succeeded"],
    ]);
    expect(await refundEmails(o.orderId)).toBe(2);
    // Money refunds alone put nothing back on the shelf.
    expect((await stock(o.sku)).onHand).toBe(8);
  });

  it("refunds lines with their share and restocks only the units asked for, and only when asked", async () => {
    const o = await paidOrder(3);
    const res = await refund(o.orderId, { lines: [{ sku: o.sku, quantity: 1 }], reason: "damaged", restock: true });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ refund: { amount: { amount: 2500 }, lines: [{ sku: o.sku, quantity: 1 }] } });
    expect((await stock(o.sku)).onHand).toBe(8);
    await refund(o.orderId, { lines: [{ sku: o.sku, quantity: 1 }], reason: "lost in post" });
    expect((await stock(o.sku)).onHand).toBe(8);
    expect((await order(o.orderId)).lines[0]).toMatchObject({ refundedQuantity: 2 });
  });

  it("refuses more than remains with 409 refund_exceeds_remaining and changes nothing", async () => {
    const o = await paidOrder(1);
    await refund(o.orderId, { amount: 2000, reason: "partial" });
    const over = await refund(o.orderId, { amount: 1001, reason: "too much" });
    expect(over.status).toBe(409);
    expect(await over.json()).toMatchObject({ code: "refund_exceeds_remaining" });
    const lines = await refund(o.orderId, { lines: [{ sku: o.sku, quantity: 2 }], reason: "too many" });
    expect(lines.status).toBe(409);
    expect(await order(o.orderId)).toMatchObject({ refunded: { amount: 2000 } });
  });

  it("lets only one of two refunds racing for the same remainder through", async () => {
    const o = await paidOrder(2);
    const [a, b] = await Promise.all([refund(o.orderId, { amount: 4000, reason: "a" }), refund(o.orderId, { amount: 4000, reason: "b" })]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    expect(await order(o.orderId)).toMatchObject({ refunded: { amount: 4000 } });
  });

  it("refuses refunds of unpaid orders and bad bodies with problem+json, writing nothing", async () => {
    const unpaid = await placeOrder(5, 1);
    expect((await refund(unpaid.orderId, { reason: "x" })).status).toBe(409);
    const o = await paidOrder(1);
    for (const body of [
      {},
      { amount: -1, reason: "x" },
      { amount: 1.5, reason: "x" },
      { amount: 100, lines: [{ sku: o.sku, quantity: 1 }], reason: "x" },
      { lines: [], reason: "x" },
      { reason: "x", restock: "yes" },
    ]) {
      const res = await refund(o.orderId, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.headers.get("Content-Type")).toBe("application/problem+json");
    }
    expect((await refund(o.orderId, { lines: [{ sku: "NOT-IN-ORDER", quantity: 1 }], reason: "x" })).status).toBe(400);
    expect((await refund("ord_000000000000000000000000", { reason: "x" })).status).toBe(404);
    expect(await order(o.orderId)).toMatchObject({ refunded: { amount: 0 }, refunds: [] });
  });

  it("goes through Stripe's Refunds API with the refund's idempotency key and the payment intent", async () => {
    const stripe = { STRIPE_SECRET_KEY: "sk_test_refunds" };
    const calls = intercept("https://api.stripe.com/", (request) =>
      request.url.endsWith("/refunds")
        ? Response.json({ id: "re_admin_1", status: "succeeded" })
        : Response.json({ id: "cs_r1", url: "https://checkout.stripe.com/c/pay/cs_r1", status: "open", payment_status: "unpaid" }),
    );
    const o = await paidOrder(2);
    await env.DB.prepare("update orders set payment_provider = 'stripe', payment_intent_id = 'pi_r1' where id = ?").bind(o.orderId).run();
    const res = await call(
      `/admin/api/orders/${o.orderId}/refund`,
      { method: "POST", headers: { ...ADMIN, "Content-Type": "application/json" }, body: JSON.stringify({ amount: 700, reason: "late" }) },
      stripe,
    );
    expect(res.status).toBe(201);
    const { refund: made } = await res.json<{ refund: { id: string } }>();
    const call0 = calls.find((c) => c.url.endsWith("/refunds"))!;
    expect(Object.fromEntries(new URLSearchParams(call0.body))).toMatchObject({
      payment_intent: "pi_r1",
      amount: "700",
      "metadata[refund_id]": made.id,
    });
    expect(call0.headers.get("Idempotency-Key")).toBe(`refund-${made.id}`);

    // Stripe then reports the charge refunded by that refund: it is recognised and not counted again.
    await drain([
      stripeEvent("charge.refunded", o.orderId, "pi_r1", undefined, {
        refunded: false,
        amount: 5500,
        amount_refunded: 700,
        refunds: { data: [{ id: "re_admin_1", amount: 700, status: "succeeded", metadata: { refund_id: made.id } }] },
      } as never),
    ]);
    expect(await order(o.orderId)).toMatchObject({ refunded: { amount: 700 } });
    expect(await refundEmails(o.orderId)).toBe(1);
  });

  it("counts a refund made in the provider's dashboard once, however often its webhook arrives, and never on top of the shop's own", async () => {
    const o = await paidOrder(2);
    await refund(o.orderId, { amount: 1500, reason: "shop refund" });
    // The dashboard refunds 1000 more; the charge now reports 2500 refunded in total (no refund list).
    const charge = { refunded: false, amount: 5500, amount_refunded: 2500 };
    await drain([stripeEvent("charge.refunded", o.orderId, `pi_${o.paymentId}`, `evt_dash_${o.orderId}`, charge)]);
    await drain([stripeEvent("charge.refunded", o.orderId, `pi_${o.paymentId}`, `evt_dash_${o.orderId}`, charge)]);
    await drain([stripeEvent("charge.refunded", o.orderId, `pi_${o.paymentId}`, `evt_dash2_${o.orderId}`, charge)]);
    const after = await order(o.orderId);
    expect(after.refunded.amount).toBe(2500);
    expect(after.refunds.map((r) => r.amount.amount)).toEqual([1500, 1000]);
    expect(after.status).toBe("paid");
  });

  it("cancelling a paid, unshipped order refunds it in full and puts the sold units back", async () => {
    const o = await paidOrder(2, 5);
    expect((await stock(o.sku)).onHand).toBe(3);
    const res = await callJson(`/admin/api/orders/${o.orderId}/cancel`, "POST", { reason: "out of business" });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "cancelled", paymentStatus: "refunded", refunded: { amount: 5500 } });
    expect((await stock(o.sku)).onHand).toBe(5);
    expect(await refundEmails(o.orderId)).toBe(1);
  });
});
