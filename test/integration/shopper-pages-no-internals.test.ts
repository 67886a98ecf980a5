import { describe, expect, it } from "vitest";
import { Browser, csrfOf, idempotencyKeyOf as keyOf } from "../helpers/browser";
import { makeCart, makeCategory, makeStockedProduct, setStock, unique } from "../helpers/factories";
import { ADMIN, call, callJson } from "../helpers/worker";

const address = {
  email: "ada@example.com",
  name: "Ada Lovelace",
  line1: "12 Analytical St",
  city: "London",
  postalCode: "N1 9GU",
  country: "GB",
};

/** What a shopper reads or hears: text and the attributes read aloud, markup, scripts and styles left out. */
function shopperText(page: string): string {
  const announced = [...page.matchAll(/\s(?:aria-label|alt|title|placeholder)="([^"]*)"/g)].map((m) => m[1]);
  const text = page
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/g, " ")
    .replace(/<[^>]+>/g, " ")
    .concat(" ", announced.join(" "));
  return text
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");
}

/** Internal names and ids a shopper-facing page must never show. */
const INTERNALS: [string, RegExp][] = [
  ["the word SKU", /\bSKUs?\b/i],
  ["a route name", /\bRoute\b|\b(GET|POST|PUT|PATCH|DELETE) \//],
  ["a looked-up name echoed back", /'[^']*' not found|\b(Product|Category|Cart line|Page) '[^']*'/],
  ["a numeric id", /#\d+\b|\bid\b\s*[:=#]?\s*\d+|'\d+'/i],
  ["a code-level word", /\b(undefined|null|NaN|DomainError|TypeError|D1_ERROR|SQLITE\w*|drizzle|stack)\b|\[object /i],
  ["a uuid (cart or request id)", /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/i],
  ["an error code", /\b(insufficient_inventory|item_unavailable|not_found|invalid_request)\b/],
];

/** Fails when the page shows any of `skus` or an internal name; returns the text for further checks. */
function expectNoInternals(page: string, skus: string[] = []): string {
  const text = shopperText(page);
  const found = [
    ...INTERNALS.filter(([, pattern]) => pattern.test(text)).map(([what, pattern]) => `${what}: ${pattern.exec(text)?.[0]}`),
    ...skus.filter((sku) => text.toLowerCase().includes(sku.toLowerCase())).map((sku) => `the SKU ${sku}`),
  ];
  expect(found, text).toEqual([]);
  return text;
}

/** A published product titled "Harbour Mug" whose one variant (Blue) has a SKU unlike its title or slug. */
async function mug(stock: number) {
  const sku = unique("ZQX").toUpperCase();
  const { product } = await makeStockedProduct(stock, {
    title: "Harbour Mug",
    variants: [{ sku, options: { colour: "Blue" }, price: { amount: 1800, currency: "USD" } }],
  });
  return { product, sku };
}

describe("shopper pages never show SKUs, ids or internal names", () => {
  it("names the product when the cart form asks for more than is in stock", async () => {
    const { sku } = await mug(2);
    const res = await new Browser().post("/cart/lines", { sku, quantity: "5" });
    expect(res.status).toBe(409);
    const text = expectNoInternals(await res.text(), [sku]);
    expect(text).toContain("Only 2 of “Harbour Mug (Blue)” are left.");
  });

  it("names the product when a quantity change in the cart is more than is in stock", async () => {
    const { sku } = await mug(3);
    const browser = new Browser();
    await browser.post("/cart/lines", { sku, quantity: "1" });
    const token = csrfOf(await browser.page("/cart"));
    const res = await browser.post(`/cart/lines/${sku}`, { quantity: "9", _csrf: token });
    expect(res.status).toBe(409);
    expect(expectNoInternals(await res.text(), [sku])).toContain("Only 3 of “Harbour Mug (Blue)” are left.");
  });

  it("answers a cart form for an unknown variant on the cart page, without echoing it", async () => {
    const res = await new Browser().post("/cart/lines", { sku: "NO-SUCH-VARIANT-42" });
    expect(res.status).toBe(404);
    const text = expectNoInternals(await res.text(), ["NO-SUCH-VARIANT-42"]);
    expect(text).toContain("That item isn't for sale any more.");
    expect(text).toContain("Your cart");
  });

  it("answers a quantity change for an item not in the cart on the cart page", async () => {
    const { sku } = await mug(3);
    const browser = new Browser();
    await browser.post("/cart/lines", { sku, quantity: "1" });
    const token = csrfOf(await browser.page("/cart"));
    const res = await browser.post("/cart/lines/OTHER-VARIANT-7", { quantity: "2", _csrf: token });
    expect(res.status).toBe(404);
    expect(expectNoInternals(await res.text(), [sku, "OTHER-VARIANT-7"])).toContain("That item is no longer in your cart.");
  });

  it("names the sold-out product when checkout finds it gone", async () => {
    const { sku } = await mug(3);
    const browser = new Browser();
    await browser.post("/cart/lines", { sku, quantity: "2" });
    const form = await browser.page("/checkout");
    await setStock(sku, 0);
    const res = await browser.post("/checkout", { ...address, _csrf: csrfOf(form), idempotencyKey: keyOf(form) });
    expect(res.status).toBe(409);
    expect(expectNoInternals(await res.text(), [sku])).toContain("“Harbour Mug (Blue)” is sold out.");
  });

  it("names the product that left the store when checkout finds it archived", async () => {
    const { product, sku } = await mug(3);
    const browser = new Browser();
    await browser.post("/cart/lines", { sku, quantity: "1" });
    const form = await browser.page("/checkout");
    expect((await call(`/admin/api/products/${product.id}`, { method: "DELETE", headers: ADMIN })).status).toBe(200);
    const res = await browser.post("/checkout", { ...address, _csrf: csrfOf(form), idempotencyKey: keyOf(form) });
    expect(res.status).toBe(409);
    expect(expectNoInternals(await res.text(), [sku])).toContain("“Harbour Mug (Blue)” is no longer for sale; remove it and try again.");
  });

  it("shows 404 pages for an unknown product, category, page and route without internal names", async () => {
    await makeCategory();
    for (const path of [
      "/p/no-such-mug",
      "/c/no-such-shelf",
      "/pages/about",
      "/no/such/route",
      "/orders/ord_000000000000000000000000?token=x",
    ]) {
      const res = await new Browser().request(path);
      expect(res.status, path).toBe(404);
      expectNoInternals(await res.text(), []);
    }
  });

  it("still names the SKUs in the JSON API's problem documents (the contract)", async () => {
    const { sku } = await mug(1);
    const cart = await makeCart();
    const res = await callJson(`/api/carts/${cart}/lines`, "POST", { sku, quantity: 4 }, {});
    expect(res.status).toBe(409);
    const problem = await res.json<{ code: string; detail: string; items: { sku: string }[] }>();
    expect(problem.code).toBe("insufficient_inventory");
    expect(problem.detail).toContain(sku);
    expect(problem.items[0]?.sku).toBe(sku);
  });
});
