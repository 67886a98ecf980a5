import type { BrowserContext, Page } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { adminApi, expectAccessible, expectNoHorizontalScroll, newContext, shopUrl } from "./shop";

const contexts: BrowserContext[] = [];
afterAll(async () => {
  for (const c of contexts) await c.close();
});

async function open(kind: "desktop" | "phone"): Promise<Page> {
  const context = await newContext(kind);
  contexts.push(context);
  return context.newPage();
}

/** A guest order for `email` placed through the store API; paid on the test provider's page when asked. */
async function guestOrder(email: string, pay = false): Promise<string> {
  const json = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${shopUrl()}${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...headers },
      body: JSON.stringify(body),
    }).then(async (res) => {
      if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return res.json() as Promise<Record<string, unknown>>;
    });
  const cart = await json("/api/carts", {});
  await json(`/api/carts/${cart.id}/lines`, { sku: "MUG-SAND", quantity: 1 });
  const order = await json(
    `/api/carts/${cart.id}/checkout`,
    { email, shippingAddress: { name: "Ada Lovelace", line1: "12 Quay St", city: "Lisbon", postalCode: "1000-001", country: "PT" } },
    { "Idempotency-Key": crypto.randomUUID() },
  );
  const orderId = order.orderId as string;
  if (pay) {
    const paymentId = (order.payment as { id: string }).id;
    await fetch(`${shopUrl()}/pay/test/${paymentId}`, {
      method: "POST",
      headers: { Origin: shopUrl(), "Content-Type": "application/x-www-form-urlencoded" },
      body: "outcome=pay",
      redirect: "manual",
    });
    await expect
      .poll(async () => (await adminApi<{ status: string }>(`/admin/api/orders/${orderId}`)).status, { timeout: 20_000, interval: 500 })
      .toBe("paid");
  }
  return orderId;
}

/** Signs the page in through the emailed link. */
async function signIn(page: Page, email: string) {
  await page.goto("/account/login");
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Email me a sign-in link" }).click();
  await expect.poll(() => page.locator("main").textContent()).toContain("Check your email");
  await page.goto(await linkFromLog(email));
  await expect.poll(() => page.url()).toMatch(/\/account$/);
}

/** The sign-in link from the shop's notification log (a local shop keeps links whole there). */
async function linkFromLog(email: string): Promise<string> {
  let link = "";
  await expect
    .poll(
      async () => {
        const log = await adminApi<{ items: { type: string; status: string; text: string | null }[] }>(
          `/admin/api/notifications?type=account.login&recipient=${encodeURIComponent(email)}`,
        );
        link = /https?:\/\/\S+\/account\/verify\?token=[A-Za-z0-9_.-]+/.exec(log.items[0]?.text ?? "")?.[0] ?? "";
        return link;
      },
      { timeout: 20_000, interval: 500 },
    )
    .toMatch(/\/account\/verify\?token=/);
  return link;
}

describe("a shopper signs in by emailed link", () => {
  for (const kind of ["desktop", "phone"] as const) {
    it(`sees the guest order placed earlier with that email (${kind})`, async () => {
      const email = `account-${kind}-${Date.now()}@example.com`;
      const orderId = await guestOrder(email);
      const page = await open(kind);
      await page.goto("/account");
      await expect.poll(() => page.url()).toMatch(/\/account\/login$/);
      await expectAccessible(page);
      await page.getByLabel("Email").fill(email);
      await page.getByRole("button", { name: "Email me a sign-in link" }).click();
      await expect.poll(() => page.locator("main").textContent()).toContain("Check your email");
      await page.goto(await linkFromLog(email));
      await expect.poll(() => page.url()).toMatch(/\/account$/);
      expect(await page.locator("h1").textContent()).toBe("Your account");
      await expect.poll(() => page.locator("main").textContent()).toContain(orderId);
      await expectAccessible(page);
      await expectNoHorizontalScroll(page);
      // The order opens from the account, with its return form.
      await page.getByRole("link", { name: orderId }).click();
      await expect.poll(() => page.url()).toContain(`/orders/${orderId}?token=`);
      await page.goto("/account");
      await page.getByRole("button", { name: "Sign out" }).click();
      await expect.poll(() => page.locator("main").textContent()).toContain("You are signed out.");
    });
  }
});

describe("a customer reviews what they bought", () => {
  it("writes a review; staff approve it; it shows on the product page", async () => {
    const email = `reviewer-${Date.now()}@example.com`;
    await guestOrder(email, true);
    const page = await open("phone");
    await signIn(page, email);
    await page.goto("/p/harbour-mug");
    await page.getByRole("link", { name: "Write a review" }).click();
    await expect.poll(() => page.url()).toMatch(/\/p\/harbour-mug\/review$/);
    await page.getByLabel("4 out of 5").check();
    await page.getByLabel("Title").fill("Holds the heat");
    await page.getByLabel("Your review").fill("Heavy stoneware, the glaze is lovely and my tea stays hot for ages.");
    await expectAccessible(page);
    await expectNoHorizontalScroll(page);
    await page.getByRole("button", { name: "Send review" }).click();
    await expect.poll(() => page.locator("main").textContent()).toContain("waiting for a quick check");
    const queue = await adminApi<{ items: { id: string; title: string }[] }>("/admin/api/reviews");
    const review = queue.items.find((r) => r.title === "Holds the heat");
    expect(review).toBeTruthy();
    await adminApi(`/admin/api/reviews/${review!.id}/approve`, { method: "POST" });
    await page.goto("/p/harbour-mug");
    await expect.poll(() => page.locator("#reviews").textContent()).toContain("Holds the heat");
    expect(await page.locator("#reviews").textContent()).toMatch(/out of 5 \(\d+ reviews?\)/);
    await expectAccessible(page);
    await expectNoHorizontalScroll(page);
  });
});

describe("staff work with customers, segments, reviews and campaigns", () => {
  for (const kind of ["desktop", "phone"] as const) {
    it(`every new admin page passes axe without sideways scroll (${kind})`, async () => {
      const email = `crm-${kind}-${Date.now()}@shop.test`;
      const password = "e2e staff password 42";
      await adminApi("/admin/api/staff", { method: "POST", body: JSON.stringify({ email, password, role: "owner" }) });
      const shopper = `crm-shopper-${kind}-${Date.now()}@example.com`;
      await guestOrder(shopper, true);
      const page = await open(kind);
      await page.goto("/admin/login");
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password").fill(password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect.poll(() => new URL(page.url()).pathname).toBe("/admin");

      await page.goto(`/admin/customers?q=${encodeURIComponent(shopper)}`);
      await page.getByRole("link", { name: shopper }).click();
      await expect.poll(() => page.locator("h1").textContent()).toBe(shopper);
      expect(await page.locator("main").textContent()).toContain("Lifetime value");
      for (const path of [
        "/admin/customers",
        "/admin/segments",
        "/admin/reviews",
        "/admin/campaigns",
        "/admin/discounts",
        "/admin/gift-cards",
        "/admin/loyalty",
      ]) {
        await page.goto(path);
        await expectAccessible(page);
        await expectNoHorizontalScroll(page);
      }
      await page.goto(`/admin/customers?q=${encodeURIComponent(shopper)}`);
      await page.getByRole("link", { name: shopper }).click();
      await expectAccessible(page);
      await expectNoHorizontalScroll(page);

      await page.goto("/admin/campaigns");
      await page.getByLabel("Subject").fill(`Hello from ${kind}`);
      await page.getByLabel("Text").fill("New mugs are in.\n\nCome and see.");
      await page.getByRole("button", { name: "Save draft" }).click();
      await expect.poll(() => page.url()).toMatch(/\/admin\/campaigns\/cmp_[0-9a-f]{20}$/);
      await expectAccessible(page);
      await expectNoHorizontalScroll(page);

      await page.goto("/admin/segments");
      await page.getByRole("button", { name: /Export CSV of new/ }).click();
      await expect.poll(() => page.url()).toMatch(/\/admin\/exports\/exp_[0-9a-f]{20}$/);
      await expect
        .poll(
          async () => {
            await page.reload();
            return page.locator("main").textContent();
          },
          { timeout: 20_000, interval: 1000 },
        )
        .toContain("Download the CSV");
      await expectAccessible(page);
      await expectNoHorizontalScroll(page);
    });
  }
});

describe("a shopper uses a discount code", () => {
  it("applies it on the cart page of a phone and sees the lower total at checkout", async () => {
    const code = `PHONE${Date.now().toString(36).toUpperCase()}`;
    await adminApi("/admin/api/discounts", {
      method: "POST",
      body: JSON.stringify({ kind: "fixed", value: 500, code, title: "Five off" }),
    });
    const page = await open("phone");
    await page.goto("/p/harbour-mug");
    await page.getByRole("button", { name: "Add to cart" }).click();
    await expect.poll(() => page.locator("#added").textContent()).toContain("Cart:");
    await page.goto("/cart");
    await page.getByLabel("Discount code").fill(code.toLowerCase());
    await page.getByRole("button", { name: "Apply" }).click();
    await expect.poll(() => page.locator("main").textContent()).toContain("Five off");
    expect(await page.locator("main").textContent()).toContain("−$5.00");
    await expectAccessible(page);
    await expectNoHorizontalScroll(page);
    await page.getByRole("link", { name: "Checkout" }).click();
    await page.getByLabel("Country").selectOption("PT");
    await expect.poll(() => page.locator("#total-discount").textContent()).toContain("$5.00");
  });
});

describe("a member spends loyalty points at checkout", () => {
  it("chooses points on a phone, sees the total drop, pays the rest, and the account shows what is left", async () => {
    await adminApi("/admin/api/loyalty", {
      method: "PUT",
      body: JSON.stringify({ enabled: true, earnPerUnit: 1, redeemStep: 100, stepValue: 100, pendingDays: 30, expiryDays: 365 }),
    });
    const page = await open("phone");
    const email = `points-${Date.now()}@example.com`;
    await signIn(page, email);
    const { items } = await adminApi<{ items: { id: string }[] }>(`/admin/api/customers?q=${encodeURIComponent(email)}`);
    await adminApi(`/admin/api/customers/${items[0]!.id}/points`, {
      method: "POST",
      body: JSON.stringify({ points: 500, reason: "welcome" }),
    });
    await page.goto("/p/harbour-mug");
    await page.getByLabel("Quantity").fill("2");
    await page.getByRole("button", { name: "Add to cart" }).click();
    await expect.poll(() => page.locator("#added").textContent()).toContain("Cart: 2 items");
    await page.goto("/checkout");
    await page.getByLabel("Full name").fill("Ada Points");
    await page.getByLabel("Address", { exact: true }).fill("1 Harbour Rd");
    await page.getByLabel("City").fill("Lisbon");
    await page.getByLabel("Postal code").fill("1000-001");
    await page.getByLabel("Country").selectOption("PT");
    await expect.poll(() => page.locator("#total-total").textContent()).toBe("$51.00");
    await page.getByLabel("Spend points").selectOption("300");
    await expect.poll(() => page.locator("#total-total").textContent()).toBe("$48.00");
    await expectAccessible(page);
    await expectNoHorizontalScroll(page);
    await page.getByRole("button", { name: "Place order and pay" }).click();
    await expect.poll(() => page.url()).toMatch(/\/pay\/test\/test_cs_/);
    expect(await page.locator("h1").textContent()).toBe("Pay $48.00");
    await page.goto("/account");
    await expect.poll(() => page.locator("#points-h").isVisible()).toBe(true);
    expect(await page.locator("main").textContent()).toContain("200 points to spend");
    await expectAccessible(page);
    await expectNoHorizontalScroll(page);
  });
});
