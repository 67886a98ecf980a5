import type { BrowserContext, Page } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { adminApi, expectAccessible, expectNoHorizontalScroll, newContext } from "./shop";

const contexts: BrowserContext[] = [];
afterAll(async () => {
  for (const c of contexts) await c.close();
});

async function open(kind: "desktop" | "phone" = "desktop"): Promise<Page> {
  const context = await newContext(kind);
  contexts.push(context);
  return context.newPage();
}

/** Product page → add to cart → checkout with an address and its totals, before placing the order. */
async function toCheckout(page: Page, email: string, quantity = 2) {
  await page.goto("/p/harbour-mug");
  await page.getByLabel("Quantity").fill(String(quantity));
  await page.getByRole("button", { name: "Add to cart" }).click();
  await expect.poll(() => page.locator("#added").textContent()).toContain(`Cart: ${quantity} items`);
  await page.getByRole("link", { name: "View cart and check out" }).click();
  await expect.poll(() => page.url()).toMatch(/\/cart$/);
  await page.getByRole("link", { name: "Checkout" }).click();
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Full name").fill("Grace Hopper");
  await page.getByLabel("Address", { exact: true }).fill("1 Harbour Rd");
  await page.getByLabel("City").fill("Lisbon");
  await page.getByLabel("Postal code").fill("1000-001");
  await page.getByLabel("Country").selectOption("PT");
  // The enhancement script fetches the quote for the new country; totals show before the order is placed.
  // 18.00 a mug, EU Standard shipping 15.00; Portuguese prices include VAT.
  await expect.poll(() => page.locator("#total-total").textContent()).toBe(`$${18 * quantity + 15}.00`);
  expect(await page.locator("#label-tax").textContent()).toBe("incl. VAT");
  await expectAccessible(page);
  await expectNoHorizontalScroll(page);
}

/** As far as the payment page. */
async function toPayment(page: Page, email: string, quantity = 2) {
  await toCheckout(page, email, quantity);
  await page.getByRole("button", { name: "Place order and pay" }).click();
  await expect.poll(() => page.url()).toMatch(/\/pay\/test\/test_cs_/);
}

const issueGiftCard = (amount: number) =>
  adminApi<{ code: string; last4: string; id: string }>("/admin/api/gift-cards", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ amount }),
  });

describe("a shopper pays for an order in the browser", () => {
  it("product → cart → checkout with totals → pays on the test page → order shows Paid → confirmation in the notification log", async () => {
    const page = await open();
    const email = `paid-${Date.now()}@example.com`;
    await toPayment(page, email);
    expect(await page.locator("h1").textContent()).toBe("Pay $51.00");
    await page.getByRole("button", { name: "Pay $51.00" }).click();
    await expect.poll(() => page.url()).toMatch(/\/orders\/ord_[0-9a-f]{24}\?token=.+&from=payment$/);
    // "Payment processing" until the event lands, then the page reloads itself showing Paid.
    await expect
      .poll(() => page.locator("main").textContent(), { timeout: 20_000, interval: 500 })
      .toContain("Paid — we are preparing your order");
    await expectAccessible(page);
    const orderId = /ord_[0-9a-f]{24}/.exec(page.url())![0];
    await expect
      .poll(async () => (await adminApi<{ items: { type: string; recipient: string }[] }>(`/admin/api/notifications?limit=200`)).items, {
        timeout: 20_000,
        interval: 500,
      })
      .toEqual(expect.arrayContaining([expect.objectContaining({ type: "order.confirmation", recipient: email })]));
    const order = await adminApi<{ status: string; paymentStatus: string }>(`/admin/api/orders/${orderId}`);
    expect(order).toMatchObject({ status: "paid", paymentStatus: "paid" });
  });

  it("declining on the test page lands back in the cart with the same lines, on a phone-sized screen", async () => {
    const page = await open("phone");
    await toPayment(page, `declined-${Date.now()}@example.com`, 3);
    await page.getByRole("button", { name: "Decline" }).click();
    await expect.poll(() => page.url()).toMatch(/\/cart\?notice=payment-cancelled$/);
    expect(await page.locator("main").textContent()).toContain("Your payment was not completed");
    expect(await page.getByLabel("Quantity of Harbour Mug").inputValue()).toBe("3");
    await expectAccessible(page);
    await expectNoHorizontalScroll(page);
  });
});

describe("a shopper pays with a gift card in the browser", () => {
  it("applies a card on a phone, sees what is left, and pays only that on the payment page", async () => {
    const page = await open("phone");
    const gift = await issueGiftCard(1000);
    await toCheckout(page, `gift-part-${Date.now()}@example.com`);
    await page.getByLabel("Gift card code (optional)").fill(gift.code.toLowerCase());
    await page.getByRole("button", { name: "Apply" }).click();
    await expect.poll(() => page.locator("main").textContent()).toContain(`Gift card ending ${gift.last4}`);
    expect(await page.locator("#total-due").textContent()).toBe("$41.00");
    // The address survived the round trip.
    expect(await page.getByLabel("City").inputValue()).toBe("Lisbon");
    await expectAccessible(page);
    await expectNoHorizontalScroll(page);
    await page.getByRole("button", { name: "Place order and pay" }).click();
    await expect.poll(() => page.url()).toMatch(/\/pay\/test\/test_cs_/);
    expect(await page.locator("h1").textContent()).toBe("Pay $41.00");
    const card = await adminApi<{ balance: { amount: number } }>(`/admin/api/gift-cards/${gift.id}`);
    expect(card.balance.amount).toBe(0);
  });

  it("an order the card covers in full skips the payment page and shows as paid", async () => {
    const page = await open();
    const gift = await issueGiftCard(10_000);
    await toCheckout(page, `gift-full-${Date.now()}@example.com`);
    await page.getByLabel("Gift card code (optional)").fill(gift.code);
    await page.getByRole("button", { name: "Place order and pay" }).click();
    await expect.poll(() => page.url()).toMatch(/\/orders\/ord_[0-9a-f]{24}\?token=.+&from=payment$/);
    await expect
      .poll(() => page.locator("main").textContent(), { timeout: 20_000, interval: 500 })
      .toContain("Paid — we are preparing your order");
    expect(await page.locator("main").textContent()).toContain(`Gift card ending ${gift.last4}`);
    await expectAccessible(page);
    const card = await adminApi<{ balance: { amount: number } }>(`/admin/api/gift-cards/${gift.id}`);
    expect(card.balance.amount).toBe(10_000 - 5100);
  });

  it("a typo in the code comes back beside the field and places nothing", async () => {
    const page = await open("phone");
    await toCheckout(page, `gift-typo-${Date.now()}@example.com`);
    await page.getByLabel("Gift card code (optional)").fill("ABCD-EFGH-JKMN-PQRT");
    await page.getByRole("button", { name: "Place order and pay" }).click();
    await expect.poll(() => page.locator("#giftCards-error").textContent()).toContain("There is no gift card with this code.");
    expect(page.url()).toMatch(/\/checkout$/);
    await expectAccessible(page);
    await expectNoHorizontalScroll(page);
  });
});
