import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { addLine, makeCart, makeStockedProduct } from "../helpers/factories";
import { intercept } from "../helpers/intercept";
import { inMinutes, runNamed } from "../helpers/jobs";

afterEach(() => vi.restoreAllMocks());

async function placeOrder(stock = 5, quantity = 2, overrides: Record<string, unknown> = {}) {
  const { sku } = await makeStockedProduct(stock);
  const cart = await makeCart();
  await addLine(cart, sku, quantity);
  const { call } = await import("../helpers/worker");
  const res = await call(
    `/api/carts/${cart}/checkout`,
    {
      method: "POST",
      headers: { "Content-Type": "application/json", "Idempotency-Key": crypto.randomUUID() },
      body: JSON.stringify({
        email: "late@example.com",
        shippingAddress: { name: "A", line1: "B", city: "C", postalCode: "1", country: "PT" },
      }),
    },
    overrides,
  );
  const body = await res.json<{ orderId: string }>();
  return { sku, orderId: body.orderId };
}

const statusOf = async (orderId: string) =>
  (await env.DB.prepare("select status from orders where id = ?").bind(orderId).first<{ status: string }>())!.status;

describe("expire unpaid orders", () => {
  it("cancels orders past their hold and releases the stock; a second run finds nothing", async () => {
    const { sku, orderId } = await placeOrder(5, 2);
    expect((await runNamed("expire-unpaid-orders", inMinutes(5))).detail).toMatchObject({ cancelled: 0 });
    expect(await statusOf(orderId)).toBe("pending_payment");
    const run = await runNamed("expire-unpaid-orders", inMinutes(16));
    expect(run).toMatchObject({ status: "ok", detail: { cancelled: expect.any(Number) } });
    expect(await statusOf(orderId)).toBe("cancelled");
    expect(await env.INVENTORY.getByName(sku).snapshot()).toMatchObject({ reserved: 0, available: 5 });
    const again = await runNamed("expire-unpaid-orders", inMinutes(16));
    expect(again.detail).toMatchObject({ cancelled: 0, paid: 0 });
  });

  it("marks paid an order whose payment succeeded but whose webhook never came", async () => {
    intercept("https://api.stripe.com/", (request) =>
      Response.json(
        request.method === "GET"
          ? { id: "cs_lost_webhook", status: "complete", payment_status: "paid", payment_intent: "pi_lost_webhook" }
          : { id: "cs_lost_webhook", url: "https://checkout.stripe.com/c/pay/cs_lost_webhook", status: "open", payment_status: "unpaid" },
      ),
    );
    const stripe = { STRIPE_SECRET_KEY: "sk_test" };
    const { sku, orderId } = await placeOrder(5, 1, stripe);
    // Stripe's hosted page stays open 31 minutes, so its stock hold ends later than the local provider's.
    await runNamed("expire-unpaid-orders", inMinutes(16), stripe);
    expect(await statusOf(orderId)).toBe("pending_payment");
    await runNamed("expire-unpaid-orders", inMinutes(36), stripe);
    expect(await statusOf(orderId)).toBe("paid");
    expect((await env.INVENTORY.getByName(sku).snapshot()).onHand).toBe(4);
    expect(await env.DB.prepare("select 1 as x from notifications where id = ?").bind(`order.confirmation:${orderId}`).first()).toEqual({
      x: 1,
    });
  });

  it("works through a backlog in bounded batches", async () => {
    const orders = [];
    for (let i = 0; i < 5; i++) orders.push(await placeOrder(3, 1));
    const small = { JOB_BATCH_SIZE: "2" };
    const first = await runNamed("expire-unpaid-orders", inMinutes(16), small);
    expect(first.items).toBe(2);
    expect(first.detail).toMatchObject({ more: true });
    while ((await runNamed("expire-unpaid-orders", inMinutes(16), small)).items > 0);
    for (const o of orders) expect(await statusOf(o.orderId)).toBe("cancelled");
  });
});

describe("reservation sweep", () => {
  it("releases lapsed holds the alarms missed, resuming SKU by SKU", async () => {
    const a = await placeOrder(4, 2);
    const b = await placeOrder(4, 3);
    const small = { JOB_BATCH_SIZE: "1" };
    let runs = 0;
    do runs++;
    while ((await runNamed("reservation-sweep", inMinutes(16), small)).cursor !== null && runs < 50);
    expect(runs).toBeGreaterThan(1);
    expect(await env.INVENTORY.getByName(a.sku).snapshot()).toMatchObject({ reserved: 0, available: 4 });
    expect(await env.INVENTORY.getByName(b.sku).snapshot()).toMatchObject({ reserved: 0, available: 4 });
    const again = await runNamed("reservation-sweep", inMinutes(16));
    expect(again.detail).toMatchObject({ released: 0 });
  });
});

describe("low-stock digest", () => {
  it("emails staff once a day about SKUs at or under their threshold", async () => {
    const { sku } = await makeStockedProduct(2);
    await runNamed("low-stock-digest", new Date("2026-11-21T03:30:00Z"));
    await runNamed("low-stock-digest", new Date("2026-11-21T03:31:00Z"));
    const rows = await env.DB.prepare("select id, recipient, data from notifications where id like 'stock.low:2026-11-21'").all<{
      recipient: string;
      data: string;
    }>();
    expect(rows.results).toHaveLength(1);
    expect(rows.results[0]!.recipient).toBe("staff@shop.example.com");
    expect(JSON.parse(rows.results[0]!.data).items).toEqual(expect.arrayContaining([{ sku, available: 2 }]));
  });
});
