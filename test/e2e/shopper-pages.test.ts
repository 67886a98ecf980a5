import type { BrowserContext, Page } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { applyMigrations, freePort, startShop } from "../../bench/harness.mjs";
import { adminApi, connect, expectAccessible, expectNoHorizontalScroll, shopUrl } from "./shop";

const contexts: BrowserContext[] = [];
const stops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of contexts) await c.close();
  for (const stop of stops) await stop();
});

/** A page in the narrowest window the shop supports (320 CSS px). */
async function narrowPage(baseURL = shopUrl()): Promise<Page> {
  const context = await (await connect()).newContext({ baseURL, viewport: { width: 320, height: 640 } });
  contexts.push(context);
  return context.newPage();
}

async function checkPage(page: Page) {
  await expectAccessible(page);
  await expectNoHorizontalScroll(page);
}

describe("info pages and error pages in a 320 px window", () => {
  it("reaches every info page from the footer; each passes axe and fits the window", async () => {
    const page = await narrowPage();
    await page.goto("/");
    await page.getByRole("navigation", { name: "Shop information" }).getByRole("link", { name: "Returns" }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe("/pages/returns");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Returns");
    for (const slug of ["shipping", "returns", "privacy", "terms", "contact"]) {
      const res = await page.goto(`/pages/${slug}`);
      expect(res?.status(), slug).toBe(200);
      await checkPage(page);
    }
  });

  it("keeps an edited page with a very long word inside the window", async () => {
    const body = `Write to ${"supercalifragilistic".repeat(8)}@example.com.\n\n- One\n- Two`;
    await adminApi("/admin/api/pages/contact", { method: "PUT", body: JSON.stringify({ title: "Contact the harbour team", body }) });
    try {
      const page = await narrowPage();
      await page.goto("/pages/contact");
      expect(await page.getByRole("listitem").filter({ hasText: "Two" }).count()).toBe(1);
      await checkPage(page);
    } finally {
      await adminApi("/admin/api/pages/contact", { method: "DELETE" });
    }
  });

  it("answers an unknown page and an unknown product with a 404 for shoppers that searches and links categories", async () => {
    const page = await narrowPage();
    for (const path of ["/no/such/page", "/p/no-such-mug"]) {
      const res = await page.goto(path);
      expect(res?.status(), path).toBe(404);
      expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("We can't find that page");
      await expect.poll(() => page.getByRole("link", { name: "Mugs" }).count()).toBeGreaterThan(0);
      await checkPage(page);
    }
    await page.getByLabel("Search for a product").fill("harbour");
    await page.getByRole("search", { name: "Search the shop" }).getByRole("button", { name: "Search" }).click();
    await expect.poll(() => page.url()).toMatch(/\/search\?q=harbour$/);
  });

  it("answers a server failure with a page for shoppers that fits the window and passes axe", async () => {
    // The same Worker with its session secret missing: the cart page cannot work and answers 503.
    const port = await freePort();
    const broken = await startShop("dist/index.js", { SESSION_SECRET: "", STRIPE_WEBHOOK_SECRET: "whsec_e2e" }, port);
    stops.push(() => broken.mf.dispose());
    await applyMigrations(await broken.mf.getD1Database("DB"));
    const created = await fetch(`${broken.url}/admin/api/categories`, {
      method: "POST",
      headers: { Authorization: `Bearer ${broken.adminToken}`, "Content-Type": "application/json" },
      body: JSON.stringify({ name: "Teapots and other very long category names", slug: "teapots" }),
    });
    expect(created.status).toBe(201);
    const page = await narrowPage(broken.url);
    const res = await page.goto("/cart");
    expect(res?.status()).toBe(503);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Something went wrong on our side");
    expect(await page.locator("code.ref").textContent()).toMatch(/^[0-9a-f-]{36}$/);
    expect(await page.content()).not.toContain("SESSION_SECRET");
    await expect.poll(() => page.getByRole("link", { name: /Teapots/ }).count()).toBeGreaterThan(0);
    await checkPage(page);
  });

  it("lets staff edit a page from the admin's Pages screen, which passes axe and fits the window", async () => {
    const email = `pages-${Date.now().toString(36)}@shop.test`;
    const password = "e2e pages password 42";
    await adminApi("/admin/api/staff", { method: "POST", body: JSON.stringify({ email, password, role: "staff" }) });
    const page = await narrowPage();
    await page.goto("/admin/login");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe("/admin");
    await page.getByRole("link", { name: "Pages", exact: true }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe("/admin/pages");
    await checkPage(page);
    await page.getByRole("link", { name: "Privacy", exact: true }).click();
    await checkPage(page);
    await page.getByLabel("Title").fill("Your privacy");
    await page.getByLabel("Text").fill("We keep your email address.\n\n- For receipts\n- For shipping updates");
    await page.getByRole("button", { name: "Save page" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toContain("Page saved");
    page.once("dialog", (dialog) => dialog.accept());
    await page.getByRole("button", { name: "Restore default" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toContain("Default text restored");
    expect(await page.getByLabel("Title").inputValue()).toBe("Privacy");
  });
});
