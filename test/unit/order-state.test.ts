import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createDb } from "../../src/db";
import { canTransition } from "../../src/domain/order";
import { transitionOrder } from "../../src/services/order-state";
import { cancelOrder, markOrderPaid } from "../../src/services/orders";
import { addLine, checkout, makeCart, makeStockedProduct } from "../helpers/factories";

const db = () => createDb(env.DB);
const meta = (reason?: string) => ({ actor: "test", reason, now: new Date() });

async function placeOrder(stock = 5, quantity = 2) {
  const { sku } = await makeStockedProduct(stock);
  const cart = await makeCart();
  await addLine(cart, sku, quantity);
  const { orderId } = await (await checkout(cart)).json<{ orderId: string }>();
  return { sku, orderId, cart };
}

const status = async (orderId: string) =>
  (await env.DB.prepare("select status from orders where id = ?").bind(orderId).first<{ status: string }>())!.status;

describe("order state machine", () => {
  it("allows exactly the moves in the design", () => {
    expect(canTransition("pending_payment", "paid")).toBe(true);
    expect(canTransition("pending_payment", "cancelled")).toBe(true);
    expect(canTransition("paid", "fulfilled")).toBe(true);
    expect(canTransition("paid", "refunded")).toBe(true);
    expect(canTransition("fulfilled", "refunded")).toBe(true);
    expect(canTransition("shipped", "delivered")).toBe(true);
    expect(canTransition("pending_payment", "shipped")).toBe(false);
    expect(canTransition("delivered", "paid")).toBe(false);
    expect(canTransition("cancelled", "paid")).toBe(false);
    expect(canTransition("shipped", "refunded")).toBe(true);
    expect(canTransition("delivered", "refunded")).toBe(true);
    expect(canTransition("paid", "cancelled")).toBe(true);
    expect(canTransition("shipped", "cancelled")).toBe(false);
    expect(canTransition("refunded", "paid")).toBe(false);
  });

  it("walks an order to delivered, recording every move", async () => {
    const { orderId } = await placeOrder();
    for (const to of ["paid", "fulfilled", "shipped", "delivered"] as const) {
      expect(await transitionOrder(db(), orderId, to, meta())).toMatchObject({ ok: true, to });
    }
    const events = await env.DB.prepare("select from_status, to_status, applied from order_events where order_id = ? order by id")
      .bind(orderId)
      .all();
    expect(events.results.map((e) => `${e.from_status}→${e.to_status}`)).toEqual([
      "null→pending_payment",
      "pending_payment→paid",
      "paid→fulfilled",
      "fulfilled→shipped",
      "shipped→delivered",
    ]);
  });

  it("rejects and records illegal moves without applying them", async () => {
    const { orderId } = await placeOrder();
    expect(await transitionOrder(db(), orderId, "shipped", meta("out of order"))).toEqual({
      ok: false,
      code: "illegal_transition",
      from: "pending_payment",
      to: "shipped",
    });
    expect(await status(orderId)).toBe("pending_payment");
    const rejected = await env.DB.prepare("select to_status, applied, reason from order_events where order_id = ? and applied = 0")
      .bind(orderId)
      .first();
    expect(rejected).toEqual({ to_status: "shipped", applied: 0, reason: "out of order" });
    expect(await transitionOrder(db(), "ord_000000000000000000000000", "paid", meta())).toEqual({ ok: false, code: "order_not_found" });
  });

  it("applies exactly one of a payment and a cancellation racing each other", async () => {
    const { orderId } = await placeOrder();
    // The cancellation is a payment failure's: it may only cancel an order that is still unpaid.
    const [pay, cancel] = await Promise.all([
      transitionOrder(db(), orderId, "paid", meta()),
      transitionOrder(db(), orderId, "cancelled", { ...meta(), from: ["pending_payment"] }),
    ]);
    expect([pay.ok, cancel.ok].filter(Boolean)).toHaveLength(1);
    const applied = await env.DB.prepare(
      "select count(*) as n from order_events where order_id = ? and applied = 1 and from_status is not null",
    )
      .bind(orderId)
      .first<{ n: number }>();
    expect(applied!.n).toBe(1);
  });

  it("commits reservations when paid: stock leaves on-hand", async () => {
    const { orderId, sku } = await placeOrder(5, 2);
    expect(await markOrderPaid(env, db(), orderId, meta())).toMatchObject({ ok: true, shortSkus: [] });
    expect(await env.INVENTORY.getByName(sku).snapshot()).toMatchObject({ onHand: 3, reserved: 0, available: 3 });
    expect(await status(orderId)).toBe("paid");
  });

  it("re-reserves a lapsed hold when payment arrives late, if stock allows", async () => {
    const { orderId, sku } = await placeOrder(5, 2);
    await env.INVENTORY.getByName(sku).releaseExpired(Date.now() + 16 * 60_000);
    expect((await env.INVENTORY.getByName(sku).snapshot()).reserved).toBe(0);
    expect(await markOrderPaid(env, db(), orderId, meta())).toMatchObject({ ok: true, shortSkus: [] });
    expect((await env.INVENTORY.getByName(sku).snapshot()).onHand).toBe(3);
  });

  it("cancels (stock_lost) instead of paying when a late payment finds the stock gone, and names the SKUs", async () => {
    const { orderId, sku } = await placeOrder(2, 2);
    const stock = env.INVENTORY.getByName(sku);
    await stock.releaseExpired(Date.now() + 16 * 60_000);
    await stock.set(1, "sold in store");
    expect(await markOrderPaid(env, db(), orderId, meta())).toMatchObject({ ok: true, to: "cancelled", shortSkus: [sku], stockLost: true });
    expect(await status(orderId)).toBe("cancelled");
    expect(await stock.snapshot()).toMatchObject({ onHand: 1, reserved: 0 });
  });

  it("releases the hold and re-opens the cart when an unpaid order is cancelled", async () => {
    const { orderId, sku, cart } = await placeOrder(5, 2);
    expect(await cancelOrder(env, db(), orderId, meta("payment failed"))).toMatchObject({ ok: true });
    expect(await env.INVENTORY.getByName(sku).snapshot()).toMatchObject({ reserved: 0, available: 5 });
    expect(await env.CART.getByName(cart).get()).toMatchObject({ ok: true, cart: { status: "open" } });
    // Repeating is safe (it re-drives the releases) and changes nothing more.
    expect(await cancelOrder(env, db(), orderId, meta())).toMatchObject({ ok: true, from: "cancelled" });
    expect(await env.INVENTORY.getByName(sku).snapshot()).toMatchObject({ reserved: 0, available: 5 });
  });

  it("cancels a paid, unshipped order by refunding it in full and putting its units back", async () => {
    const { orderId, sku } = await placeOrder(5, 2);
    await markOrderPaid(env, db(), orderId, meta());
    expect((await env.INVENTORY.getByName(sku).snapshot()).onHand).toBe(3);
    expect(await cancelOrder(env, db(), orderId, meta("customer changed their mind"))).toMatchObject({
      ok: true,
      from: "paid",
      to: "cancelled",
    });
    const row = await env.DB.prepare("select status, refunded, total from orders where id = ?")
      .bind(orderId)
      .first<{ status: string; refunded: number; total: number }>();
    expect(row).toMatchObject({ status: "cancelled" });
    expect(row!.refunded).toBe(row!.total);
    expect(await env.INVENTORY.getByName(sku).snapshot()).toMatchObject({ onHand: 5, reserved: 0 });
  });

  it("re-drives commits when a paid order still has live holds (a crash between status and commits)", async () => {
    const { orderId, sku } = await placeOrder(5, 2);
    await transitionOrder(db(), orderId, "paid", meta("payment succeeded, then the worker died"));
    expect((await env.INVENTORY.getByName(sku).snapshot()).reserved).toBe(2);
    expect(await markOrderPaid(env, db(), orderId, meta())).toMatchObject({ ok: true, replayed: true, shortSkus: [] });
    expect(await env.INVENTORY.getByName(sku).snapshot()).toMatchObject({ onHand: 3, reserved: 0 });
    expect(await markOrderPaid(env, db(), orderId, meta())).toMatchObject({ ok: true, shortSkus: [] });
    expect((await env.INVENTORY.getByName(sku).snapshot()).onHand).toBe(3);
  });
});
