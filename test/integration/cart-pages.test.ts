import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { makeStockedProduct } from "../helpers/factories";
import { call } from "../helpers/worker";

const ORIGIN = "https://shop.test";

/** A browser-like session: keeps cookies, sends same-origin form posts. */
class Browser {
  cookies = new Map<string, string>();

  async request(path: string, init: RequestInit = {}) {
    const headers = new Headers(init.headers);
    headers.set("Accept", "text/html");
    if (this.cookies.size) headers.set("Cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const res = await call(path, { ...init, headers, redirect: "manual" });
    for (const cookie of res.headers.getSetCookie()) {
      const [pair] = cookie.split(";");
      const [name, value] = pair!.split("=");
      if (!value || /Max-Age=0/i.test(cookie)) this.cookies.delete(name!);
      else this.cookies.set(name!, value);
    }
    return res;
  }

  post(path: string, fields: Record<string, string>, origin = ORIGIN) {
    return this.request(path, {
      method: "POST",
      headers: { Origin: origin, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString(),
    });
  }

  async page(path: string) {
    return (await this.request(path)).text();
  }
}

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? "";
const keyOf = (html: string) => /name="idempotencyKey" value="([^"]+)"/.exec(html)?.[1] ?? "";

const address = {
  email: "ada@example.com",
  name: "Ada Lovelace",
  line1: "12 Analytical St",
  city: "London",
  postalCode: "N1 9GU",
  country: "GB",
};

describe("cart and checkout pages", () => {
  it("adds to cart from the product page form and keeps the cart in a signed, HttpOnly, SameSite=Lax cookie", async () => {
    const { product, sku } = await makeStockedProduct(5);
    const browser = new Browser();
    const res = await browser.post("/cart/lines", { sku, quantity: "2" });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/cart");
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("cart="))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Secure/);
    expect(decodeURIComponent(cookie.split(";")[0]!.slice(5))).toMatch(/^[0-9a-f-]{36}\..+/);
    const page = await browser.page("/cart");
    expect(page).toContain(product.title);
    expect(page).toContain("$50.00");
  });

  it("ignores a cart cookie whose signature does not match", async () => {
    const { sku } = await makeStockedProduct(5);
    const browser = new Browser();
    await browser.post("/cart/lines", { sku });
    const [id] = decodeURIComponent(browser.cookies.get("cart")!).split(".");
    browser.cookies.set("cart", encodeURIComponent(`${id}.forged-signature`));
    expect(await browser.page("/cart")).toContain("Your cart is empty");
  });

  it("refuses form posts from other sites", async () => {
    const { sku } = await makeStockedProduct(5);
    const res = await new Browser().post("/cart/lines", { sku }, "https://evil.example");
    expect(res.status).toBe(403);
  });

  it("requires the cart's form token to change quantities", async () => {
    const { sku } = await makeStockedProduct(5);
    const browser = new Browser();
    await browser.post("/cart/lines", { sku, quantity: "1" });
    expect((await browser.post(`/cart/lines/${sku}`, { quantity: "3" })).status).toBe(403);
    expect((await browser.post(`/cart/lines/${sku}`, { quantity: "3", _csrf: "wrong" })).status).toBe(403);
    const token = csrfOf(await browser.page("/cart"));
    expect((await browser.post(`/cart/lines/${sku}`, { quantity: "3", _csrf: token })).status).toBe(303);
    expect(await browser.page("/cart")).toMatch(/value="3"/);
    expect((await browser.post(`/cart/lines/${sku}`, { quantity: "0", _csrf: token })).status).toBe(303);
    expect(await browser.page("/cart")).toContain("Your cart is empty");
  });

  it("shows stock problems on the cart page instead of failing", async () => {
    const { sku } = await makeStockedProduct(1);
    const browser = new Browser();
    const res = await browser.post("/cart/lines", { sku, quantity: "4" });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain("Only 1 of");
  });

  it("checks out through the form and lands on the order page; a resubmit lands on the same order", async () => {
    const { sku } = await makeStockedProduct(5);
    const browser = new Browser();
    await browser.post("/cart/lines", { sku, quantity: "2" });
    const form = await browser.page("/checkout");
    expect(form).toContain('<label for="email">Email</label>');
    const fields = { ...address, _csrf: csrfOf(form), idempotencyKey: keyOf(form) };
    const cookiesAtSubmit = new Map(browser.cookies);
    const placed = await browser.post("/checkout", fields);
    expect(placed.status).toBe(303);
    const location = placed.headers.get("Location")!;
    expect(location).toMatch(/^\/orders\/ord_[0-9a-f]{24}\?token=/);
    const order = await browser.page(location);
    expect(order).toContain("Awaiting payment");
    // 2 × $25.00, GB shipping $9.00, 20 % VAT on both: $11.80; total $70.80.
    expect(order).toContain("$50.00");
    expect(order).toContain("$70.80");
    expect(order).toContain("Ada Lovelace");
    expect(browser.cookies.has("cart")).toBe(false);

    // A double click sends the same form with the same cookie before the first answer arrives.
    const twin = new Browser();
    twin.cookies = cookiesAtSubmit;
    const again = await twin.post("/checkout", fields);
    expect(again.status).toBe(303);
    expect(again.headers.get("Location")).toBe(location);
    expect((await env.INVENTORY.getByName(sku).snapshot()).reserved).toBe(2);
  });

  it("re-renders the checkout form with field errors and keeps what was typed", async () => {
    const { sku } = await makeStockedProduct(5);
    const browser = new Browser();
    await browser.post("/cart/lines", { sku });
    const form = await browser.page("/checkout");
    const res = await browser.post("/checkout", { ...address, email: "nope", city: "", _csrf: csrfOf(form), idempotencyKey: keyOf(form) });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('id="email-error"');
    expect(html).toContain('value="Ada Lovelace"');
    expect(html).toMatch(/id="city"[^>]*aria-invalid="true"/);
  });

  it("answers 404 for an order page with a wrong token", async () => {
    const res = await call("/orders/ord_000000000000000000000000?token=nope", { headers: { Accept: "text/html" } });
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("Page not found");
  });

  it("answers a body that is not a form with 400", async () => {
    const res = await call("/cart/lines", {
      method: "POST",
      headers: { Origin: ORIGIN, "Content-Type": "multipart/form-data; boundary=x", Accept: "text/html" },
      body: "this is not multipart",
    });
    expect(res.status).toBe(400);
  });
});
