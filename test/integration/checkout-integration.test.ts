import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { idempotencyKeyFor } from "../../src/workflows/checkout";
import { addLine, checkout, checkoutBody, makeCart, makeStockedProduct } from "../helpers/factories";
import { call, callJson } from "../helpers/worker";

interface CheckoutResult {
  orderId: string;
  orderToken: string;
  status: string;
  subtotal: { amount: number };
  shipping: { amount: number };
  tax: { amount: number };
  total: { amount: number; currency: string };
  payment: { provider: string; id: string };
}

const snapshot = (sku: string) => env.INVENTORY.getByName(sku).snapshot();
const orderCount = async () => (await env.DB.prepare("select count(*) as n from orders").first<{ n: number }>())!.n;

describe("POST /api/carts/:id/checkout", () => {
  it("creates a pending order with integer totals, holds the stock and closes the cart", async () => {
    const { sku } = await makeStockedProduct(10, { variants: [{ sku: `CHK-${Date.now()}`, price: { amount: 1999, currency: "USD" } }] });
    const cart = await makeCart();
    await addLine(cart, sku, 3);
    const res = await checkout(
      cart,
      crypto.randomUUID(),
      checkoutBody({ shippingAddress: { ...checkoutBody().shippingAddress, country: "de" } }),
    );
    expect(res.status).toBe(201);
    const body = await res.json<CheckoutResult>();
    // Default rates: Germany ships EU Standard for 15.00; prices include 19 % VAT (1900 bp), so the
    // tax is inside them: 5997 × 1900 / 11900 = 957.50… → 958 on the goods, 1500 × 1900 / 11900 = 239.49… → 239
    // on shipping (half up per line), and the total is goods + shipping.
    expect(body).toMatchObject({
      status: "pending_payment",
      subtotal: { amount: 5997 },
      shipping: { amount: 1500 },
      tax: { amount: 1197 },
      taxIncluded: true,
      total: { amount: 7497, currency: "USD" },
      payment: { provider: "test" },
    });
    expect(body.orderId).toMatch(/^ord_[0-9a-f]{24}$/);
    expect(await snapshot(sku)).toMatchObject({ onHand: 10, reserved: 3, available: 7 });

    const cartAfter = await (await call(`/api/carts/${cart}`)).json<{ status: string; orderId: string }>();
    expect(cartAfter).toMatchObject({ status: "checked_out", orderId: body.orderId });
    expect((await callJson(`/api/carts/${cart}/lines`, "POST", { sku, quantity: 1 }, {})).status).toBe(409);
  });

  it("shows the order to the holder of its token only", async () => {
    const { sku } = await makeStockedProduct(5);
    const cart = await makeCart();
    await addLine(cart, sku, 1);
    const { orderId, orderToken } = await (await checkout(cart)).json<CheckoutResult>();
    const byQuery = await call(`/api/orders/${orderId}?token=${orderToken}`);
    expect(byQuery.status).toBe(200);
    expect(await byQuery.json()).toMatchObject({ id: orderId, status: "pending_payment", lines: [{ sku, quantity: 1 }] });
    expect((await call(`/api/orders/${orderId}`, { headers: { Authorization: `Bearer ${orderToken}` } })).status).toBe(200);
    expect((await call(`/api/orders/${orderId}?token=${orderToken}x`)).status).toBe(404);
    expect((await call(`/api/orders/${orderId}`)).status).toBe(404);
    expect((await call("/api/orders/nonsense")).status).toBe(400);
  });

  it("returns the same order for the same Idempotency-Key and reserves once", async () => {
    const { sku } = await makeStockedProduct(5);
    const cart = await makeCart();
    await addLine(cart, sku, 2);
    const key = crypto.randomUUID();
    const first = await checkout(cart, key);
    const second = await checkout(cart, key);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.headers.get("Idempotent-Replayed")).toBe("true");
    const [a, b] = [await first.json<CheckoutResult>(), await second.json<CheckoutResult>()];
    expect(b.orderId).toBe(a.orderId);
    expect(b.orderToken).toBe(a.orderToken);
    expect((await snapshot(sku)).reserved).toBe(2);
    const stored = await env.DB.prepare("select response_body from idempotency_keys where key = ?")
      .bind(idempotencyKeyFor(cart, key))
      .first<{ response_body: string }>();
    expect(stored!.response_body).not.toContain(a.orderToken);
  });

  it("answers concurrent duplicates with one order", async () => {
    const { sku } = await makeStockedProduct(5);
    const cart = await makeCart();
    await addLine(cart, sku, 1);
    const key = crypto.randomUUID();
    const results = await Promise.all([checkout(cart, key), checkout(cart, key), checkout(cart, key)]);
    const created = results.filter((r) => r.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(results.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    const ids = new Set(await Promise.all(created.map(async (r) => (await r.json<CheckoutResult>()).orderId)));
    expect(ids.size).toBe(1);
    expect((await snapshot(sku)).reserved).toBe(1);
  });

  it("refuses a used key with another body for the same cart (422)", async () => {
    const { sku } = await makeStockedProduct(5);
    const cartA = await makeCart();
    await addLine(cartA, sku, 1);
    const key = crypto.randomUUID();
    expect((await checkout(cartA, key)).status).toBe(201);
    const otherBody = await checkout(cartA, key, checkoutBody({ email: "other@example.com" }));
    expect(otherBody.status).toBe(422);
    expect(await otherBody.json()).toMatchObject({ code: "idempotency_key_reused" });
  });

  it("requires an Idempotency-Key", async () => {
    const cart = await makeCart();
    const res = await callJson(`/api/carts/${cart}/checkout`, "POST", checkoutBody(), {});
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: "idempotency_key_required" });
  });

  it("answers 409 naming each short SKU before creating an order when stock is already short", async () => {
    const plenty = await makeStockedProduct(10);
    const scarce = await makeStockedProduct(2);
    const cart = await makeCart();
    await addLine(cart, plenty.sku, 1);
    await addLine(cart, scarce.sku, 2);
    await env.INVENTORY.getByName(scarce.sku).set(1, "shrinkage");
    const res = await checkout(cart);
    expect(res.status).toBe(409);
    const problem = await res.json<{ code: string; items: unknown[] }>();
    expect(problem).toMatchObject({ code: "insufficient_inventory", items: [{ sku: scarce.sku, requested: 2, available: 1 }] });
    expect(await snapshot(plenty.sku)).toMatchObject({ reserved: 0, available: 10 });
    expect(await env.DB.prepare("select 1 from orders where cart_id = ?").bind(cart).first()).toBeNull();
    expect((await (await call(`/api/carts/${cart}`)).json<{ status: string }>()).status).toBe("open");
  });

  it("lets the same key be retried after a failed attempt", async () => {
    const { sku } = await makeStockedProduct(1);
    const cart = await makeCart();
    await addLine(cart, sku, 1);
    await env.INVENTORY.getByName(sku).set(0, "sold elsewhere");
    const key = crypto.randomUUID();
    expect((await checkout(cart, key)).status).toBe(409);
    await env.INVENTORY.getByName(sku).set(1, "restocked");
    const retry = await checkout(cart, key);
    expect(retry.status).toBe(201);
  });

  it("charges the price at checkout, not the price when the line was added", async () => {
    const { sku } = await makeStockedProduct(5);
    const cart = await makeCart();
    await addLine(cart, sku, 2);
    await callJson(`/admin/api/variants/${sku}`, "PATCH", { price: { amount: 1000, currency: "USD" } });
    const body = await (
      await checkout(
        cart,
        crypto.randomUUID(),
        checkoutBody({ shippingAddress: { ...checkoutBody().shippingAddress, country: "US", region: "OR" } }),
      )
    ).json<CheckoutResult>();
    expect(body.subtotal.amount).toBe(2000);
    expect(body.shipping.amount).toBe(500);
  });

  it("rejects bad input with per-field errors and creates nothing", async () => {
    const { sku } = await makeStockedProduct(5);
    const cart = await makeCart();
    await addLine(cart, sku, 1);
    const before = await orderCount();
    const res = await checkout(cart, crypto.randomUUID(), {
      email: "not-an-email",
      shippingAddress: { name: "", line1: "x", city: "y", postalCode: "1", country: "XX" },
    });
    expect(res.status).toBe(400);
    const fields = (await res.json<{ errors: { field: string }[] }>()).errors.map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(["email", "shippingAddress.name", "shippingAddress.country"]));
    expect(await orderCount()).toBe(before);
    expect((await snapshot(sku)).reserved).toBe(0);
  });

  it("refuses an empty cart", async () => {
    const cart = await makeCart();
    const res = await checkout(cart);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: "cart_empty" });
  });
});
