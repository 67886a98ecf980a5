import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { encodePng } from "../../scripts/png";
import { adminApi, expectAccessible, expectNoHorizontalScroll, newContext, shopUrl } from "./shop";

const contexts: BrowserContext[] = [];
afterAll(async () => {
  for (const c of contexts) await c.close();
});

const PASSWORD = "e2e staff password 42";

async function staff(role: "owner" | "staff" | "viewer") {
  const email = `${role}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}@shop.test`;
  await adminApi("/admin/api/staff", { method: "POST", body: JSON.stringify({ email, password: PASSWORD, role }) });
  return email;
}

async function signIn(role: "owner" | "staff" | "viewer", kind: "desktop" | "phone" = "desktop"): Promise<Page> {
  const email = await staff(role);
  const context = await newContext(kind);
  contexts.push(context);
  const page = await context.newPage();
  await page.goto("/admin");
  await expect.poll(() => page.url()).toMatch(/\/admin\/login\?next=%2Fadmin$/);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect.poll(() => new URL(page.url()).pathname).toBe("/admin");
  return page;
}

/** Checks the page the way every admin page must pass: axe without serious findings, no sideways scroll. */
async function checkPage(page: Page) {
  await expectAccessible(page);
  await expectNoHorizontalScroll(page);
}

/** An order placed and paid through the store API and the test provider (as a shopper would). */
async function paidOrder(email: string) {
  const cart = await (
    await fetch(`${shopUrl()}/api/carts`, { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" })
  ).json();
  await fetch(`${shopUrl()}/api/carts/${cart.id}/lines`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ sku: "MUG-SAND", quantity: 1 }),
  });
  const placed = await (
    await fetch(`${shopUrl()}/api/carts/${cart.id}/checkout`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Idempotency-Key": crypto.randomUUID() },
      body: JSON.stringify({
        email,
        shippingAddress: { name: "Ada Admin", line1: "2 Quay St", city: "Lisbon", postalCode: "1000-002", country: "PT" },
      }),
    })
  ).json();
  await adminApi(`/admin/api/payments/test/${placed.orderId}/succeed`, { method: "POST" });
  await expect
    .poll(async () => (await adminApi<{ status: string }>(`/admin/api/orders/${placed.orderId}`)).status, { timeout: 20_000 })
    .toBe("paid");
  return placed.orderId as string;
}

describe("a merchant runs the shop from the admin", () => {
  it("signs in, creates a product with two variants and an image, sees it on the store, and sets its stock", async () => {
    const page = await signIn("owner");
    await checkPage(page);
    await page.getByRole("link", { name: "Products", exact: true }).click();
    await page.getByRole("link", { name: "New product" }).click();
    await checkPage(page);
    const sku = `E2E-${Date.now().toString(36).toUpperCase()}`;
    await page.getByLabel("Title", { exact: true }).fill("Tidepool Bowl");
    await page.getByLabel("Description", { exact: true }).fill("A shallow bowl for salads and fruit.");
    await page.getByLabel("Status", { exact: true }).selectOption("published");
    await page.getByLabel("Option 1 name").fill("Colour");
    await page.getByLabel("SKU of variant 1").fill(`${sku}-GREEN`);
    await page.getByLabel("Option 1 of variant 1").fill("Green");
    await page.getByLabel("Price of variant 1", { exact: true }).fill("32.50");
    await page.getByLabel("SKU of variant 2").fill(`${sku}-WHITE`);
    await page.getByLabel("Option 1 of variant 2").fill("White");
    await page.getByLabel("Price of variant 2", { exact: true }).fill("30");
    await page.getByRole("button", { name: "Create product" }).click();
    await expect.poll(() => page.url()).toMatch(/\/admin\/products\/\d+$/);
    expect(await page.getByRole("status").first().textContent()).toContain("Product created");

    const image = join(tmpdir(), `bowl-${Date.now()}.png`);
    writeFileSync(image, await encodePng(480, 480, (x, y) => [40, (x + y) % 256, 160]));
    await page.getByLabel("Add an image (JPEG, PNG, WebP or GIF)").setInputFiles(image);
    await page.getByLabel("Alt text for the new image").fill("Green bowl from above");
    await page.getByRole("button", { name: "Upload" }).click();
    await expect.poll(() => page.getByRole("status").first().textContent()).toContain("Image added");
    await checkPage(page);

    const store = await page.context().newPage();
    await store.goto("/search?q=Tidepool");
    await store
      .getByRole("link", { name: /Tidepool Bowl/ })
      .first()
      .click();
    expect(await store.locator("h1").textContent()).toBe("Tidepool Bowl");
    expect(await store.getByAltText("Green bowl from above").count()).toBeGreaterThan(0);
    expect(await store.locator("main").textContent()).toContain("$32.50");
    await store.getByRole("link", { name: /^White/ }).click();
    await expect.poll(() => store.locator(".price").first().textContent()).toBe("$30.00");

    await page.goto(`/admin/inventory/${sku}-GREEN`);
    await page.getByLabel("On hand", { exact: true }).fill("14");
    await page.getByRole("button", { name: "Set", exact: true }).click();
    await expect.poll(() => page.locator(".stat").first().textContent()).toBe("14");
    await checkPage(page);
    const stock = await adminApi<{ onHand: number; available: number }>(`/admin/api/inventory/${sku}-GREEN`);
    expect(stock).toMatchObject({ onHand: 14, available: 14 });
  });

  it("finds an order by the customer's email on a phone and ships it with tracking", async () => {
    const email = `findme-${Date.now()}@example.com`;
    const orderId = await paidOrder(email);
    const page = await signIn("staff", "phone");
    await page.goto("/admin/orders");
    await page.getByLabel("Order number or email").fill(email);
    await page.getByRole("button", { name: "Search" }).click();
    await page.getByRole("link", { name: orderId }).click();
    await checkPage(page);
    await page.getByLabel("Carrier", { exact: true }).selectOption("ups");
    await page.getByLabel("Tracking number").fill("1Z999AA10123456784");
    await page.getByRole("button", { name: "Mark shipped" }).click();
    await expect.poll(() => page.getByRole("status").first().textContent()).toContain("Shipment recorded");
    expect(await page.locator("main").textContent()).toContain("1Z999AA10123456784");
    await checkPage(page);
    expect((await adminApi<{ status: string }>(`/admin/api/orders/${orderId}`)).status).toBe("shipped");
  });

  it("shows a viewer no write actions, and refuses a forged POST without the CSRF token", async () => {
    const page = await signIn("viewer");
    const { items } = await adminApi<{ items: { id: number; title: string }[] }>("/admin/api/products?q=Harbour");
    const product = items[0]!;
    await page.goto(`/admin/products/${product.id}`);
    expect(await page.getByRole("button", { name: "Save product" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Archive product" }).count()).toBe(0);
    expect(await page.getByRole("link", { name: "Staff & tokens" }).count()).toBe(0);
    await checkPage(page);
    const forged = await page.request.post(`/admin/products/${product.id}/archive`, { form: { reason: "forged" }, maxRedirects: 0 });
    expect(forged.status()).toBe(403);
    const owner = await signIn("owner");
    const noToken = await owner.request.post(`/admin/products/${product.id}/archive`, { form: {}, maxRedirects: 0 });
    expect(noToken.status()).toBe(403);
    expect((await adminApi<{ status: string }>(`/admin/api/products/${product.id}`)).status).toBe("published");
  });

  it("rate-limits a wrong password typed five times in a row", async () => {
    const email = await staff("staff");
    const context = await newContext("phone");
    contexts.push(context);
    const page = await context.newPage();
    // The limiter counts per wall-clock minute: start early in one.
    const left = 60_000 - (Date.now() % 60_000);
    if (left < 20_000) await new Promise((r) => setTimeout(r, left + 100));
    const statuses: number[] = [];
    for (let i = 1; i <= 6; i++) {
      await page.goto("/admin/login");
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password").fill(i === 6 ? PASSWORD : `wrong guess ${i}`);
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith("/admin/login") && r.request().method() === "POST"),
        page.getByRole("button", { name: "Sign in" }).click(),
      ]);
      statuses.push(response.status());
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    expect(await page.getByRole("alert").textContent()).toContain("Too many sign-in attempts");
    await checkPage(page);
  });
});
