import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { Browser, csrfOf, idempotencyKeyOf as keyOf, ORIGIN } from "../helpers/browser";
import { makeStockedProduct } from "../helpers/factories";
import { call } from "../helpers/worker";

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
    expect(res.headers.get("Location")).toBe("/cart?notice=added");
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

  it("checks out through the form and lands on the payment page; a resubmit lands on the same payment", async () => {
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
    expect(location).toMatch(/^https:\/\/shop\.test\/pay\/test\/test_cs_[A-Za-z0-9]{24}$/);
    const pay = await browser.page(new URL(location).pathname);
    // 2 × $25.00 and GB Standard shipping $9.00; GB prices include 20 % VAT, so the total is $59.00.
    expect(pay).toContain("Pay $59.00");
    const orderId = /ord_[0-9a-f]{24}/.exec(pay)![0];
    expect(browser.cookies.has("cart")).toBe(false);

    // Back from the payment page (before its event lands), the order shows, found by this browser's cookie.
    const back = await browser.request(`/checkout/return?order=${orderId}`);
    expect(back.headers.get("Location")).toMatch(new RegExp(`^/orders/${orderId}\\?token=[^&]+&from=payment$`));
    const order = await browser.page(back.headers.get("Location")!);
    expect(order).toContain("Payment processing");
    expect(order).toContain("$50.00");
    expect(order).toContain("$59.00");
    expect(order).toContain("incl. VAT");
    expect(order).toContain("Ada Lovelace");

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

  it("shows shipping methods, tax and the total before the order is placed, and updates them for another address", async () => {
    const { sku } = await makeStockedProduct(5);
    const browser = new Browser();
    await browser.post("/cart/lines", { sku, quantity: "2" });
    const us = await browser.page("/checkout");
    // The default country (US) needs a state before its tax is known.
    expect(us).toContain("depends on the state");
    const form = { ...address, _csrf: csrfOf(us), idempotencyKey: keyOf(us) };
    const gb = await (await browser.post("/checkout", { ...form, action: "quote" })).text();
    expect(gb).toContain('value="gb-standard"');
    expect(gb).toContain('value="gb-express"');
    expect(gb).toMatch(/id="total-shipping">\$9\.00</);
    expect(gb).toContain("incl. VAT");
    expect(gb).toMatch(/id="total-total">\$59\.00</);
    const express = await (await browser.post("/checkout", { ...form, action: "quote", shippingMethod: "gb-express" })).text();
    expect(express).toMatch(/id="total-total">\$69\.00</);
    const ny = await (await browser.post("/checkout", { ...form, country: "US", region: "New York", action: "quote" })).text();
    // 50.00 + 5.00 shipping, 4 % added on both: 2.20.
    expect(ny).toMatch(/id="total-tax">\$2\.20</);
    expect(ny).toMatch(/id="total-total">\$57\.20</);
    expect(ny).toContain('src="/assets/checkout.');
    // Nothing was ordered by asking.
    expect((await env.INVENTORY.getByName(sku).snapshot()).reserved).toBe(0);
  });

  it("places the order with the chosen shipping method and refuses one not offered, beside the field", async () => {
    const { sku } = await makeStockedProduct(5);
    const browser = new Browser();
    await browser.post("/cart/lines", { sku });
    const page = await browser.page("/checkout");
    const form = { ...address, _csrf: csrfOf(page), idempotencyKey: keyOf(page) };
    const wrong = await browser.post("/checkout", { ...form, shippingMethod: "us-express" });
    expect(wrong.status).toBe(400);
    const again = await wrong.text();
    expect(again).toContain('id="shippingMethod-error"');
    const placed = await browser.post("/checkout", { ...form, idempotencyKey: keyOf(again), shippingMethod: "gb-express" });
    expect(placed.status).toBe(303);
    const pay = await browser.page(new URL(placed.headers.get("Location")!).pathname);
    expect(pay).toContain("Pay $44.00");
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
