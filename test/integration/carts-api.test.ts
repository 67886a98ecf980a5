import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { MAX_LINES } from "../../src/domain/cart";
import { addLine, makeCart, makeStockedProduct, setStock } from "../helpers/factories";
import { call, callJson } from "../helpers/worker";

interface Cart {
  id: string;
  status: string;
  lines: { sku: string; quantity: number; unitPrice: { amount: number }; lineTotal: { amount: number } }[];
  itemCount: number;
  subtotal: { amount: number; currency: string };
}

const getCart = async (id: string) => (await call(`/api/carts/${id}`)).json<Cart>();

describe("cart API", () => {
  it("creates an empty cart in the shop currency", async () => {
    const res = await callJson("/api/carts", "POST", {}, {});
    expect(res.status).toBe(201);
    const cart = await res.json<Cart>();
    expect(cart).toMatchObject({ status: "open", lines: [], itemCount: 0, subtotal: { amount: 0, currency: "USD" } });
    expect(res.headers.get("Location")).toBe(`/api/carts/${cart.id}`);
    expect((await call(`/api/carts/${cart.id}`)).status).toBe(200);
  });

  it("adds lines, merges repeats, and totals in minor units", async () => {
    const { sku } = await makeStockedProduct(10, { variants: [{ sku: `MRG-${Date.now()}`, price: { amount: 1250, currency: "USD" } }] });
    const cart = await makeCart();
    await addLine(cart, sku, 2);
    await addLine(cart, sku, 3);
    expect(await getCart(cart)).toMatchObject({
      itemCount: 5,
      lines: [{ sku, quantity: 5, unitPrice: { amount: 1250 }, lineTotal: { amount: 6250 } }],
      subtotal: { amount: 6250, currency: "USD" },
    });
  });

  it("changes quantities, removes at 0 and on DELETE", async () => {
    const { sku } = await makeStockedProduct(10);
    const cart = await makeCart();
    await addLine(cart, sku, 1);
    expect((await callJson(`/api/carts/${cart}/lines/${sku}`, "PATCH", { quantity: 4 }, {})).status).toBe(200);
    expect((await getCart(cart)).lines[0]!.quantity).toBe(4);
    expect((await callJson(`/api/carts/${cart}/lines/${sku}`, "PATCH", { quantity: 0 }, {})).status).toBe(200);
    expect((await getCart(cart)).lines).toEqual([]);
    await addLine(cart, sku, 1);
    expect((await call(`/api/carts/${cart}/lines/${sku}`, { method: "DELETE" })).status).toBe(200);
    expect((await getCart(cart)).itemCount).toBe(0);
  });

  it("re-reads the price from the catalog when a line is added again", async () => {
    const { sku } = await makeStockedProduct(10);
    const cart = await makeCart();
    await addLine(cart, sku, 1);
    await callJson(`/admin/api/variants/${sku}`, "PATCH", { price: { amount: 999, currency: "USD" } });
    await addLine(cart, sku, 1);
    expect((await getCart(cart)).lines[0]!.unitPrice.amount).toBe(999);
  });

  it("answers 409 insufficient_inventory when more is asked than is available", async () => {
    const { sku } = await makeStockedProduct(3);
    const cart = await makeCart();
    await addLine(cart, sku, 2);
    const res = await callJson(`/api/carts/${cart}/lines`, "POST", { sku, quantity: 2 }, {});
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ code: "insufficient_inventory", items: [{ sku, requested: 4, available: 3 }] });
    expect((await getCart(cart)).lines[0]!.quantity).toBe(2);
  });

  it("rejects bad input with problem details and leaves the cart unchanged", async () => {
    const { sku } = await makeStockedProduct(500);
    const cart = await makeCart();
    for (const body of [
      { sku, quantity: 0 },
      { sku, quantity: 100 },
      { sku, quantity: 1.5 },
      { sku, quantity: "2" },
      { sku },
      { sku: "bad sku!", quantity: 1 },
    ]) {
      const res = await callJson(`/api/carts/${cart}/lines`, "POST", body, {});
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.headers.get("Content-Type")).toBe("application/problem+json");
    }
    await addLine(cart, sku, 98);
    const over = await callJson(`/api/carts/${cart}/lines`, "POST", { sku, quantity: 2 }, {});
    expect([400, 409]).toContain(over.status);
    expect((await getCart(cart)).lines[0]!.quantity).toBe(98);
  });

  it("answers 404 for unknown SKUs, carts and lines, and 400 for malformed cart ids", async () => {
    const cart = await makeCart();
    expect((await callJson(`/api/carts/${cart}/lines`, "POST", { sku: "NO-SUCH-SKU", quantity: 1 }, {})).status).toBe(404);
    expect((await call(`/api/carts/${crypto.randomUUID()}`)).status).toBe(404);
    expect((await callJson(`/api/carts/${cart}/lines/NOPE`, "PATCH", { quantity: 1 }, {})).status).toBe(404);
    expect((await call("/api/carts/not-a-uuid")).status).toBe(400);
  });

  it("refuses draft products", async () => {
    const { sku } = await makeStockedProduct(5, { status: "draft" });
    const cart = await makeCart();
    expect((await callJson(`/api/carts/${cart}/lines`, "POST", { sku, quantity: 1 }, {})).status).toBe(404);
  });

  it("holds at most 100 lines", async () => {
    const cartId = crypto.randomUUID();
    const stub = env.CART.getByName(cartId);
    await stub.create(cartId, "USD");
    const item = (i: number) => ({ sku: `L-${i}`, productId: 1, productSlug: "p", title: "T", variantTitle: "V", unitPrice: 100 });
    for (let i = 0; i < MAX_LINES; i++) expect((await stub.addLine(item(i), 1)).ok).toBe(true);
    expect(await stub.addLine(item(MAX_LINES), 1)).toMatchObject({ ok: false, code: "too_many_lines" });
    expect(await stub.addLine(item(0), 1)).toMatchObject({ ok: true });
  });

  it("keeps a D1 index row of each cart in step", async () => {
    const { sku } = await makeStockedProduct(10, { variants: [{ sku: `IDX-${Date.now()}`, price: { amount: 700, currency: "USD" } }] });
    const cart = await makeCart();
    await addLine(cart, sku, 3);
    // The index is written off the cart's response path; give it a moment to land.
    await expect
      .poll(() => env.DB.prepare("select item_count, value, status from cart_index where cart_id = ?").bind(cart).first(), {
        timeout: 2_000,
      })
      .toEqual({ item_count: 3, value: 2100, status: "open" });
  });

  it("deletes itself and its index row after the inactivity period", async () => {
    const { sku } = await makeStockedProduct(10);
    const cart = await makeCart();
    await addLine(cart, sku, 1);
    const stub = env.CART.getByName(cart);
    await runInDurableObject(stub, (_instance, state) => {
      state.storage.sql.exec("UPDATE cart SET updated_at = ?", Date.now() - 31 * 86_400_000);
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect((await call(`/api/carts/${cart}`)).status).toBe(404);
    expect(await env.DB.prepare("select 1 from cart_index where cart_id = ?").bind(cart).first()).toBeNull();
  });

  it("keeps an active cart when its alarm fires early", async () => {
    const cart = await makeCart();
    const stub = env.CART.getByName(cart);
    await runDurableObjectAlarm(stub);
    expect((await call(`/api/carts/${cart}`)).status).toBe(200);
  });

  it("uses stock set by the admin when checking availability", async () => {
    const { sku } = await makeStockedProduct(1);
    const cart = await makeCart();
    expect((await callJson(`/api/carts/${cart}/lines`, "POST", { sku, quantity: 2 }, {})).status).toBe(409);
    await setStock(sku, 2);
    expect((await callJson(`/api/carts/${cart}/lines`, "POST", { sku, quantity: 2 }, {})).status).toBe(200);
  });
});
