import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createDb } from "../../src/db";
import { usageMinutes } from "../../src/db/schema";
import { meteredEnv } from "../../src/metering/metered-env";
import { PRICES } from "../../src/metering/prices";
import { emptyUsage } from "../../src/metering/usage";
import { addLine, makeCart, makeStockedProduct } from "../helpers/factories";
import { ADMIN, call } from "../helpers/worker";

const FLUSH_NOW = { USAGE_FLUSH_SECONDS: "0" };

interface Metrics {
  classes: { class: string; requests: number; status4xx: number; cacheHits: number }[];
}

const metrics = async () => (await (await call("/admin/api/metrics?hours=1", { headers: ADMIN })).json<Metrics>()).classes;
const count = (m: Metrics["classes"], cls: string, key: "requests" | "status4xx" | "cacheHits" = "requests") =>
  m.find((c) => c.class === cls)?.[key] ?? 0;

describe("the meter", () => {
  it("counts each binding operation by kind", async () => {
    const usage = emptyUsage();
    const { env: metered } = meteredEnv(env, usage);
    await metered.CATALOG_CACHE.put("meter-test", "x");
    await metered.CATALOG_CACHE.get("meter-test");
    await metered.CATALOG_CACHE.get("meter-test");
    await metered.DB.batch([metered.DB.prepare("select 1"), metered.DB.prepare("select 2")]);
    await metered.DB.prepare("select ?1 as n").bind(3).first();
    await metered.MEDIA.put("meter-test", "bytes");
    await metered.MEDIA.head("meter-test");
    await metered.INVENTORY.getByName("METER-SKU").snapshot();
    await metered.EMAILS.send({ type: "email.send", notificationId: "meter-test-none" });
    expect(usage).toMatchObject({ kvWrites: 1, kvReads: 2, d1Statements: 3, r2ClassA: 1, r2ClassB: 1, doRequests: 1, queueMessages: 1 });
    expect(usage.d1RowsRead).toBeGreaterThanOrEqual(0);
    expect(usage.doWallMs).toBeGreaterThanOrEqual(0);
  });

  it("records requests per class, with 4xx answers and cache hits, once the isolate flushes", async () => {
    const before = await metrics();
    const { product } = await makeStockedProduct(5);
    await call(`/p/${product.slug}`, { headers: { Accept: "text/html" } }, FLUSH_NOW);
    await call(`/p/${product.slug}`, { headers: { Accept: "text/html" } }, FLUSH_NOW);
    await call("/api/carts/not-a-cart", {}, FLUSH_NOW);
    const after = await metrics();
    expect(count(after, "catalog") - count(before, "catalog")).toBeGreaterThanOrEqual(2);
    expect(count(after, "catalog", "cacheHits") - count(before, "catalog", "cacheHits")).toBeGreaterThanOrEqual(1);
    expect(count(after, "cart", "status4xx") - count(before, "cart", "status4xx")).toBeGreaterThanOrEqual(1);
  });

  it("prices usage at the dated list: hand-computed dollars per million requests and per thousand orders", async () => {
    const db = createDb(env.DB);
    const minute = Math.floor(Date.now() / 60_000) - 5;
    const rows = [
      ["arith-views", "requests", 1_000_000],
      ["arith-views", "cpuMs", 500_000],
      ["arith-views", "kvReads", 2_000],
      ["arith-views", "doRequests", 10],
    ] as const;
    for (const [cls, metric, value] of rows) await db.insert(usageMinutes).values({ minute, class: cls, metric, value });
    const report = await (await call("/admin/api/cost?hours=1", { headers: ADMIN })).json<{
      prices: { date: string };
      classes: { class: string; cost: { total: number; perMillionRequests: number; items: Record<string, number> } }[];
    }>();
    const views = report.classes.find((c) => c.class === "arith-views");
    // 1 M requests × $0.30/M + 500 000 CPU ms × $0.02/M + 2 000 KV reads × $0.50/M + 10 DO requests × $0.15/M
    const expected = 0.3 + 0.01 + 0.001 + 0.0000015;
    expect(views?.cost.total).toBeCloseTo(expected, 9);
    expect(views?.cost.perMillionRequests).toBeCloseTo(expected, 4);
    expect(views?.cost.items.kvReads).toBeCloseTo(0.001, 9);
    expect(report.prices.date).toBe(PRICES.date);
  });

  it("spreads the order path's cost (not browsing) over the orders placed", async () => {
    const { sku } = await makeStockedProduct(5);
    const cart = await makeCart();
    await addLine(cart, sku, 1);
    await call(
      `/api/carts/${cart}/checkout`,
      {
        method: "POST",
        headers: { "Content-Type": "application/json", "Idempotency-Key": crypto.randomUUID() },
        body: JSON.stringify({
          email: "meter@example.com",
          shippingAddress: { name: "M", line1: "1 St", city: "Lisbon", postalCode: "1000-001", country: "PT" },
        }),
      },
      FLUSH_NOW,
    );
    const db = createDb(env.DB);
    const minute = Math.floor(Date.now() / 60_000) - 3;
    await db.insert(usageMinutes).values({ minute, class: "queue:webhooks", metric: "queueMessages", value: 1_000_000 });
    await db.insert(usageMinutes).values({ minute, class: "search", metric: "requests", value: 1_000_000 });
    const report = await (await call("/admin/api/cost?hours=1", { headers: ADMIN })).json<{
      orders: number;
      perThousandOrders: number;
      classes: { class: string; cost: { total: number } }[];
    }>();
    expect(report.orders).toBeGreaterThanOrEqual(1);
    const orderPath = report.classes
      .filter((c) => ["cart", "checkout", "order", "webhook"].includes(c.class) || /^(queue|cron):/.test(c.class))
      .reduce((a, c) => a + c.cost.total, 0);
    // The million queue messages alone: 3 operations each at $0.40 a million.
    expect(orderPath).toBeGreaterThanOrEqual(1.2);
    expect(report.perThousandOrders).toBeCloseTo((orderPath / report.orders) * 1000, 3);
  });
});
