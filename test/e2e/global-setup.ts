// Browser tests: one build of the Worker as `wrangler deploy` makes it, run in workerd through
// Miniflare with every binding from wrangler.toml, a small seeded catalog, and one Chromium for all files.
import { existsSync } from "node:fs";
import { chromium } from "playwright-core";
import type { TestProject } from "vitest/node";
import { applyMigrations, buildWorker, freePort, startShop } from "../../bench/harness.mjs";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

declare module "vitest" {
  export interface ProvidedContext {
    shopUrl: string;
    adminToken: string;
    browserEndpoint: string;
  }
}

/** Creates the catalog the walks use through the admin API (as a merchant would). */
async function seed(url: string, token: string) {
  const admin = (path: string, body: unknown) =>
    fetch(`${url}${path}`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify(body),
    }).then(async (res) => {
      if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return res.json() as Promise<Record<string, unknown>>;
    });
  const category = await admin("/admin/api/categories", { name: "Mugs", slug: "mugs" });
  await admin("/admin/api/products", {
    title: "Harbour Mug",
    slug: "harbour-mug",
    description: "A stoneware mug glazed the colour of the harbour at dusk.",
    status: "published",
    featured: true,
    categoryIds: [category.id],
    variants: [
      { sku: "MUG-BLUE", options: { colour: "Blue" }, price: { amount: 1800, currency: "USD" }, weightGrams: 400 },
      { sku: "MUG-SAND", options: { colour: "Sand" }, price: { amount: 1800, currency: "USD" }, weightGrams: 400 },
    ],
  });
  for (const sku of ["MUG-BLUE", "MUG-SAND"]) await admin(`/admin/api/inventory/${sku}`, { set: 40, reason: "e2e stock" });
}

export default async function setup(project: TestProject) {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Browser tests need Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH).`);
  }
  const script = buildWorker();
  const shop = await startShop(
    script,
    { STRIPE_WEBHOOK_SECRET: "whsec_e2e", SHIPPING_WEBHOOK_SECRET: "e2e-shipping", EMAIL_LOG_LINKS: "shown" },
    await freePort(),
  );
  await applyMigrations(await shop.mf.getD1Database("DB"));
  await seed(shop.url, shop.adminToken);
  const browser = await chromium.launchServer({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
  project.provide("shopUrl", shop.url);
  project.provide("adminToken", shop.adminToken);
  project.provide("browserEndpoint", browser.wsEndpoint());
  return async () => {
    await browser.close();
    await shop.mf.dispose();
  };
}
