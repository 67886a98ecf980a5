import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { addLine, checkout, makeCart, makeStockedProduct } from "../helpers/factories";
import { ADMIN, call, callJson } from "../helpers/worker";

async function order() {
  const { sku } = await makeStockedProduct(5);
  const cart = await makeCart();
  await addLine(cart, sku, 2);
  const { orderId } = await (await checkout(cart)).json<{ orderId: string }>();
  return { orderId, sku };
}

describe("admin orders", () => {
  it("lists and shows orders with their history", async () => {
    const { orderId } = await order();
    const list = await (await call("/admin/api/orders?status=pending_payment", { headers: ADMIN })).json<{ items: { id: string }[] }>();
    expect(list.items.map((o) => o.id)).toContain(orderId);
    const detail = await (await call(`/admin/api/orders/${orderId}`, { headers: ADMIN })).json<{ events: { to: string }[] }>();
    expect(detail.events.map((e) => e.to)).toEqual(["pending_payment"]);
  });

  it("cancels an unpaid order and releases its stock", async () => {
    const { orderId, sku } = await order();
    const res = await callJson(`/admin/api/orders/${orderId}/cancel`, "POST", { reason: "customer called" });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "cancelled", cancelReason: "customer called" });
    expect((await env.INVENTORY.getByName(sku).snapshot()).reserved).toBe(0);
  });

  it("answers 409 illegal_transition for moves the state machine forbids", async () => {
    const { orderId } = await order();
    const res = await callJson(`/admin/api/orders/${orderId}/ship`, "POST", {});
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ code: "illegal_transition", from: "pending_payment", to: "shipped" });
    const fulfil = { carrier: "ups", trackingNumber: "1Z999" };
    expect((await callJson("/admin/api/orders/ord_000000000000000000000000/fulfil", "POST", fulfil)).status).toBe(404);
  });

  it("rejects malformed ids and bodies with 400 and changes nothing", async () => {
    const { orderId } = await order();
    expect((await call("/admin/api/orders/not-an-order", { headers: ADMIN })).status).toBe(400);
    expect((await callJson(`/admin/api/orders/${orderId}/cancel`, "POST", { reason: "x".repeat(501) })).status).toBe(400);
    expect((await callJson(`/admin/api/orders/${orderId}/cancel`, "POST", { refund: true })).status).toBe(400);
    expect((await call("/admin/api/orders?status=lost", { headers: ADMIN })).status).toBe(400);
    const detail = await (await call(`/admin/api/orders/${orderId}`, { headers: ADMIN })).json<{ status: string }>();
    expect(detail.status).toBe("pending_payment");
  });
});
