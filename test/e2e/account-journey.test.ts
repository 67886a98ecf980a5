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

/** A guest order for `email` placed through the store API. */
async function guestOrder(email: string): Promise<string> {
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
  return order.orderId as string;
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
