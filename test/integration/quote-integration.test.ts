import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { addLine, checkout, checkoutBody, makeCart, makeStockedProduct } from "../helpers/factories";
import { call, callJson } from "../helpers/worker";

interface Money {
  amount: number;
  currency: string;
}
interface QuoteBody {
  subtotal: Money;
  discount: Money;
  shipping: Money;
  tax: Money;
  total: Money;
  taxIncluded: boolean;
  shippingMethod: string;
  shippingMethods: { id: string; name: string; amount: Money }[];
}

async function cartWith(price: number, quantity: number, weightGrams = 200) {
  const { sku } = await makeStockedProduct(50, {
    variants: [{ sku: `Q-${crypto.randomUUID().slice(0, 8)}`, price: { amount: price, currency: "USD" }, weightGrams }],
  });
  const cart = await makeCart();
  await addLine(cart, sku, quantity);
  return { cart, sku };
}

const quote = (cart: string, query: string) => call(`/api/carts/${cart}/quote?${query}`);
const orders = async () => (await env.DB.prepare("select count(*) as n from orders").first<{ n: number }>())!.n;

describe("GET /api/carts/:id/quote", () => {
  it("shows subtotal, each shipping method, tax added on top for a US state, and the cheapest method by default", async () => {
    const { cart } = await cartWith(1999, 2);
    const res = await quote(cart, "country=US&region=NY&postalCode=10001");
    expect(res.status).toBe(200);
    const body = await res.json<QuoteBody>();
    // Standard: 5.00 below 75.00; Express by weight (400 g): 12.00. NY: 4 % on goods and shipping.
    expect(body.shippingMethods.map((m) => [m.id, m.amount.amount])).toEqual([
      ["us-standard", 500],
      ["us-express", 1200],
    ]);
    expect(body).toMatchObject({
      subtotal: { amount: 3998, currency: "USD" },
      discount: { amount: 0, currency: "USD" },
      shipping: { amount: 500 },
      tax: { amount: 160 + 20 },
      total: { amount: 3998 + 500 + 180 },
      taxIncluded: false,
      shippingMethod: "us-standard",
    });
  });

  it("includes VAT in the prices for Germany and shows it as included", async () => {
    const { cart } = await cartWith(1190, 1);
    const body = await (await quote(cart, "country=DE&shippingMethod=eu-express")).json<QuoteBody>();
    // 11.90 incl. 19 %: 1.90 VAT; Express 29.00 incl. 4.63 (4.630… → 4.63).
    expect(body).toMatchObject({
      subtotal: { amount: 1190 },
      shipping: { amount: 2900 },
      tax: { amount: 190 + 463 },
      total: { amount: 4090 },
      taxIncluded: true,
    });
  });

  it("charges exactly what was quoted for the same address and method", async () => {
    const { cart } = await cartWith(2345, 3, 700);
    const quoted = await (await quote(cart, "country=US&region=CA&postalCode=94103&shippingMethod=us-express")).json<QuoteBody>();
    const body = checkoutBody({
      shippingAddress: { ...checkoutBody().shippingAddress, country: "US", region: "ca", postalCode: "94103" },
      shippingMethod: "us-express",
    });
    const placed = await (await checkout(cart, crypto.randomUUID(), body)).json<QuoteBody & { orderId: string; orderToken: string }>();
    for (const field of ["subtotal", "discount", "shipping", "tax", "total"] as const) expect(placed[field], field).toEqual(quoted[field]);
    const stored = await env.DB.prepare("select total, tax, shipping, shipping_method_id from orders where id = ?")
      .bind(placed.orderId)
      .first();
    expect(stored).toEqual({
      total: quoted.total.amount,
      tax: quoted.tax.amount,
      shipping: quoted.shipping.amount,
      shipping_method_id: "us-express",
    });
  });

  it("refuses, naming the field, an unknown method, a US address without its state, and a country nobody ships to", async () => {
    const { cart } = await cartWith(1000, 1);
    const method = await quote(cart, "country=US&region=TX&shippingMethod=eu-express");
    expect(method.status).toBe(400);
    expect(await method.json()).toMatchObject({ code: "shipping_method_unavailable", errors: [{ field: "shippingMethod" }] });
    const region = await quote(cart, "country=US");
    expect(region.status).toBe(400);
    expect(await region.json()).toMatchObject({ code: "region_required", errors: [{ field: "region" }] });
    expect((await quote(cart, "country=ZZ")).status).toBe(400);
    expect((await quote(cart, "")).status).toBe(400);
    expect((await call("/api/carts/not-a-uuid/quote?country=US")).status).toBe(400);
    expect((await call(`/api/carts/${crypto.randomUUID()}/quote?country=DE`)).status).toBe(404);
  });

  it("refuses a checkout with a method not offered for the address with 400 naming it, writing nothing", async () => {
    const { cart, sku } = await cartWith(1000, 1);
    const before = await orders();
    const res = await checkout(cart, crypto.randomUUID(), checkoutBody({ shippingMethod: "us-express" }));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: "shipping_method_unavailable", errors: [{ field: "shippingMethod" }] });
    expect(await orders()).toBe(before);
    expect((await env.INVENTORY.getByName(sku).snapshot()).reserved).toBe(0);
    expect(await (await call(`/api/carts/${cart}`)).json()).toMatchObject({ status: "open" });
  });

  it("follows zones and methods staff change through the admin API", async () => {
    const { cart } = await cartWith(1000, 1);
    const zone = await callJson("/admin/api/shipping/zones", "POST", { name: "Japan", areas: ["JP"] });
    expect(zone.status).toBe(201);
    const { id: zoneId } = await zone.json<{ id: number }>();
    // A zone without methods ships nowhere (it no longer falls back to the rest of the world).
    expect((await quote(cart, "country=JP")).status).toBe(400);
    const method = await callJson("/admin/api/shipping/methods", "POST", {
      id: "jp-post",
      zoneId,
      name: "Japan Post",
      rate: { type: "flat", amount: 1800 },
    });
    expect(method.status).toBe(201);
    expect(await (await quote(cart, "country=JP")).json()).toMatchObject({
      shippingMethods: [{ id: "jp-post", amount: { amount: 1800 } }],
    });
    const tax = await callJson("/admin/api/tax-rates", "POST", { country: "JP", name: "Consumption tax", rateBps: 1000, inclusive: true });
    expect(tax.status).toBe(201);
    expect(await (await quote(cart, "country=JP")).json()).toMatchObject({ taxIncluded: true, tax: { amount: 91 + 164 } });
    expect((await callJson(`/admin/api/shipping/zones/${zoneId}`, "DELETE", undefined)).status).toBe(204);
    // Without its own zone, Japan falls back to the rest of the world.
    expect(await (await quote(cart, "country=JP")).json()).toMatchObject({ shippingMethods: [{ id: "intl-standard" }] });
  });

  it("refuses bad shipping settings with 400 and an area two zones would share with 409, writing nothing", async () => {
    const before = await (await call("/admin/api/shipping/zones", { headers: { Authorization: "Bearer test-admin-token" } })).json<{
      items: unknown[];
    }>();
    for (const body of [
      { name: "", areas: ["FR"] },
      { name: "x", areas: [] },
      { name: "x", areas: ["Narnia"] },
      { name: "x", areas: ["US", "US"] },
      { name: "x", areas: ["NZ"], extra: true },
    ]) {
      expect((await callJson("/admin/api/shipping/zones", "POST", body)).status, JSON.stringify(body)).toBe(400);
    }
    const shared = await callJson("/admin/api/shipping/zones", "POST", { name: "More US", areas: ["US"] });
    expect(shared.status).toBe(409);
    expect(await shared.json()).toMatchObject({ code: "area_taken" });
    for (const body of [
      { id: "Bad Id", zoneId: 1, name: "x", rate: { type: "flat", amount: 1 } },
      { id: "ok-id", zoneId: 1, name: "x", rate: { type: "flat", amount: 1.5 } },
      { id: "ok-id", zoneId: 1, name: "x", rate: { type: "weight", bands: [] } },
      { id: "ok-id", zoneId: 1, name: "x", rate: { type: "teleport" } },
    ]) {
      expect((await callJson("/admin/api/shipping/methods", "POST", body)).status, JSON.stringify(body)).toBe(400);
    }
    expect(
      (
        await callJson("/admin/api/shipping/methods", "POST", {
          id: "us-standard",
          zoneId: 1,
          name: "x",
          rate: { type: "flat", amount: 1 },
        })
      ).status,
    ).toBe(409);
    expect((await callJson("/admin/api/tax-rates", "POST", { country: "US", name: "x", rateBps: 20_000 })).status).toBe(400);
    const after = await (await call("/admin/api/shipping/zones", { headers: { Authorization: "Bearer test-admin-token" } })).json<{
      items: unknown[];
    }>();
    expect(after.items).toHaveLength(before.items.length);
  });
});
