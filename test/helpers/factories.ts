import { expect } from "vitest";
import { ADMIN, callJson } from "./worker";

let seq = 0;
/** A short unique suffix so tests sharing a file's storage never collide. */
export const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}${(seq++).toString(36)}`;

export interface CreatedProduct {
  id: number;
  slug: string;
  title: string;
  variants: { sku: string; price: { amount: number; currency: string } }[];
}

/** Creates a category through the admin API. */
export async function makeCategory(overrides: Record<string, unknown> = {}): Promise<{ id: number; slug: string; name: string }> {
  const slug = unique("cat");
  const res = await callJson("/admin/api/categories", "POST", { name: `Category ${slug}`, slug, ...overrides }, ADMIN);
  expect(res.status, await res.clone().text()).toBe(201);
  return res.json();
}

/** Creates a published product with one variant through the admin API. */
export async function makeProduct(overrides: Record<string, unknown> = {}): Promise<CreatedProduct> {
  const slug = unique("prod");
  const res = await callJson(
    "/admin/api/products",
    "POST",
    {
      slug,
      title: `Product ${slug}`,
      description: "A sturdy everyday thing.",
      status: "published",
      variants: [{ sku: slug.toUpperCase(), options: { size: "M" }, price: { amount: 2500, currency: "USD" } }],
      ...overrides,
    },
    ADMIN,
  );
  expect(res.status, await res.clone().text()).toBe(201);
  return res.json();
}

/** Sets a SKU's on-hand stock through the admin inventory API. */
export async function setStock(sku: string, onHand: number): Promise<void> {
  const res = await callJson(`/admin/api/inventory/${sku}`, "POST", { set: onHand, reason: "test stock" }, ADMIN);
  expect(res.status, await res.clone().text()).toBe(200);
}

/** A published product with one variant holding `stock` units. */
export async function makeStockedProduct(stock: number, overrides: Record<string, unknown> = {}) {
  const product = await makeProduct(overrides);
  await setStock(product.variants[0]!.sku, stock);
  return { product, sku: product.variants[0]!.sku };
}

/** A new cart through the store API; returns its id. */
export async function makeCart(): Promise<string> {
  const res = await callJson("/api/carts", "POST", {}, {});
  expect(res.status).toBe(201);
  return (await res.json<{ id: string }>()).id;
}

/** Adds a line through the store API and expects success. */
export async function addLine(cartId: string, sku: string, quantity = 1) {
  const res = await callJson(`/api/carts/${cartId}/lines`, "POST", { sku, quantity }, {});
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json();
}

/** A valid checkout body. */
export const checkoutBody = (overrides: Record<string, unknown> = {}) => ({
  email: "shopper@example.com",
  shippingAddress: { name: "Ada Shopper", line1: "1 Edge Way", city: "Lisbon", postalCode: "1000-001", country: "PT" },
  ...overrides,
});

/** POST /api/carts/:id/checkout with an Idempotency-Key. */
export function checkout(cartId: string, key: string = crypto.randomUUID(), body: unknown = checkoutBody()) {
  return callJson(`/api/carts/${cartId}/checkout`, "POST", body, { "Idempotency-Key": key });
}

export interface PlacedOrder {
  sku: string;
  orderId: string;
  orderToken: string;
  paymentId: string;
  total: number;
}

/** A published product with `stock` units, a cart with `quantity` of it, checked out (unpaid) to `body`. */
export async function placeOrder(stock: number, quantity: number, body: unknown = checkoutBody(), price = 2500): Promise<PlacedOrder> {
  const { sku } = await makeStockedProduct(stock, {
    variants: [{ sku: unique("SKU").toUpperCase(), price: { amount: price, currency: "USD" } }],
  });
  const cart = await makeCart();
  await addLine(cart, sku, quantity);
  const res = await checkout(cart, crypto.randomUUID(), body);
  expect(res.status, await res.clone().text()).toBe(201);
  const placed = await res.json<{ orderId: string; orderToken: string; total: { amount: number }; payment: { id: string } }>();
  return { sku, orderId: placed.orderId, orderToken: placed.orderToken, paymentId: placed.payment.id, total: placed.total.amount };
}
