import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { encodePng } from "../../scripts/png";
import { createDb } from "../../src/db";
import { hotCache } from "../../src/http/hot-cache";
import { markOrderPaid } from "../../src/services/orders";
import { addLine, checkout, makeCart, makeProduct, makeStockedProduct, unique } from "../helpers/factories";
import { intercept } from "../helpers/intercept";
import { inMinutes, runNamed } from "../helpers/jobs";
import { drain, shippingEvent, stripeEvent } from "../helpers/queues";
import { ADMIN, call, callJson, d1Queries } from "../helpers/worker";

afterEach(() => vi.restoreAllMocks());

const report = async (name: string) => JSON.parse(await (await env.MEDIA.get(`feeds/reports/${name}.json`))!.text());

describe("abandoned carts", () => {
  async function idleCart(email: string) {
    const { sku } = await makeStockedProduct(5);
    const res = await callJson("/api/carts", "POST", { email, remindMe: true }, {});
    const cartId = (await res.json<{ id: string }>()).id;
    await callJson(`/api/carts/${cartId}/lines`, "POST", { sku, quantity: 1 }, {});
    await expect
      .poll(() => env.DB.prepare("select item_count from cart_index where cart_id = ?").bind(cartId).first())
      .toEqual({ item_count: 1 });
    return cartId;
  }

  it("sends one reminder per idle cart with restore and unsubscribe links, and honours unsubscribes", async () => {
    const cartId = await idleCart(`shopper-${unique("a")}@example.com`);
    const quitter = `quitter-${unique("q")}@example.com`;
    const quitterCart = await idleCart(quitter);
    expect((await runNamed("abandoned-carts", inMinutes(60))).items).toBe(0);

    const notification = async (id: string) =>
      env.DB.prepare("select data from notifications where id = ?").bind(`cart.abandoned:${id}`).first<{ data: string }>();
    // The quitter unsubscribes first, through the same kind of signed link.
    const { unsubscribeLink } = await import("../../src/services/signed-links");
    const unsubscribe = new URL(await unsubscribeLink(env, quitter));
    expect((await call(unsubscribe.pathname + unsubscribe.search, { headers: { Accept: "text/html" } })).status).toBe(200);
    expect((await call(`/unsubscribe?email=${encodeURIComponent(quitter)}&sig=forged`, { headers: { Accept: "text/html" } })).status).toBe(
      400,
    );

    await runNamed("abandoned-carts", inMinutes(25 * 60));
    await runNamed("abandoned-carts", inMinutes(26 * 60));
    const sent = await notification(cartId);
    expect(sent).not.toBeNull();
    expect(await notification(quitterCart)).toBeNull();
    const data = JSON.parse(sent!.data) as { restoreUrl: string };
    const reminders = await env.DB.prepare("select count(*) as n from notifications where id = ?")
      .bind(`cart.abandoned:${cartId}`)
      .first<{ n: number }>();
    expect(reminders!.n).toBe(1);

    // The restore link puts the cart back into a browser that never had it.
    const restore = new URL(data.restoreUrl);
    const res = await call(restore.pathname + restore.search, { headers: { Accept: "text/html" }, redirect: "manual" });
    expect(res.status).toBe(303);
    const cookie = res.headers
      .getSetCookie()
      .find((c) => c.startsWith("cart="))!
      .split(";")[0]!;
    expect(await (await call("/cart", { headers: { Cookie: cookie, Accept: "text/html" } })).text()).not.toContain("Your cart is empty");
    expect((await call(`/cart/restore/${cartId}?sig=forged`, { headers: { Accept: "text/html" } })).status).toBe(404);
  });
});

describe("inventory and price sync", () => {
  it("applies a CSV feed row by row, reports each row, and moves the file", async () => {
    const { sku } = await makeStockedProduct(3);
    const other = (await makeProduct()).variants[0]!.sku;
    const name = `${unique("feed")}.csv`;
    await env.MEDIA.put(`feeds/incoming/${name}`, `sku,price,stock\n${sku},1234,40\n${other},,7\n${sku},12.5,\nNO-SUCH-SKU,100,1\n`);
    const run = await runNamed("inventory-price-sync", new Date());
    expect(run).toMatchObject({ status: "ok", items: 2, detail: { applied: 2, skipped: 1, invalid: 1 } });
    expect((await env.INVENTORY.getByName(sku).snapshot()).onHand).toBe(40);
    expect((await env.INVENTORY.getByName(other).snapshot()).onHand).toBe(7);
    const price = await env.DB.prepare("select price_amount from variants where sku = ?").bind(sku).first();
    expect(price).toEqual({ price_amount: 1234 });
    const rows = (await report(name)).rows as { line: number; outcome: string; reason?: string }[];
    expect(rows.map((r) => r.outcome)).toEqual(["applied", "applied", "invalid", "skipped"]);
    expect(rows[2]!.reason).toContain("whole minor units");
    expect(await env.MEDIA.head(`feeds/incoming/${name}`)).toBeNull();
    expect(await env.MEDIA.head(`feeds/processed/${name}`)).not.toBeNull();
    expect((await runNamed("inventory-price-sync", new Date())).items).toBe(0);
  });

  it("rejects a malformed file whole and applies nothing", async () => {
    const { sku } = await makeStockedProduct(3);
    const name = `${unique("bad")}.csv`;
    await env.MEDIA.put(`feeds/incoming/${name}`, `code,amount\n${sku},999\n`);
    const run = await runNamed("inventory-price-sync", new Date());
    expect(run.detail).toMatchObject({ rejected: expect.stringContaining("header") });
    expect((await env.INVENTORY.getByName(sku).snapshot()).onHand).toBe(3);
    expect((await report(name)).rejected).toContain("header");
    expect(await env.MEDIA.head(`feeds/rejected/${name}`)).not.toBeNull();
  });

  it("reads the feed from SUPPLIER_FEED_URL when no file waits in R2", async () => {
    const { sku } = await makeStockedProduct(3);
    const fetched = intercept("https://supplier.test/", () => new Response(`sku,stock\n${sku},21\n`));
    const run = await runNamed("inventory-price-sync", new Date(), { SUPPLIER_FEED_URL: "https://supplier.test/stock.csv" });
    expect(run.detail).toMatchObject({ applied: 1 });
    expect(fetched).toHaveLength(1);
    expect((await env.INVENTORY.getByName(sku).snapshot()).onHand).toBe(21);
  });

  it("reads JSON feeds too", async () => {
    const { sku } = await makeStockedProduct(3);
    const name = `${unique("feed")}.json`;
    await env.MEDIA.put(`feeds/incoming/${name}`, JSON.stringify([{ sku, stock: 11 }]));
    await runNamed("inventory-price-sync", new Date());
    expect((await env.INVENTORY.getByName(sku).snapshot()).onHand).toBe(11);
  });
});

describe("carrier tracking poll", () => {
  it("asks the carrier about quiet shipments and feeds answers through the shipping webhook path", async () => {
    const { sku } = await makeStockedProduct(5);
    const cart = await makeCart();
    await addLine(cart, sku, 1);
    const { orderId } = await (await checkout(cart)).json<{ orderId: string }>();
    await drain([
      stripeEvent("payment_intent.succeeded", orderId, `test_pi_${orderId}`),
      shippingEvent(orderId, "in_transit", `poll-${orderId}`),
    ]);
    await env.DB.prepare("update shipment_events set occurred_at = ? where order_id = ?")
      .bind(Date.now() - 2 * 86_400_000, orderId)
      .run();
    expect((await runNamed("carrier-tracking-poll", new Date())).detail).toMatchObject({ skipped: expect.any(String) });
    const asked = intercept("https://carrier.test/", () =>
      Response.json({
        events: [{ eventId: `polled-${orderId}`, status: "delivered", occurredAt: new Date().toISOString(), location: "Porto" }],
      }),
    );
    const run = await runNamed("carrier-tracking-poll", new Date(), { CARRIER_API_URL: "https://carrier.test" });
    expect(run.items).toBeGreaterThanOrEqual(1);
    expect(asked.some((r) => r.url === "https://carrier.test/track/acme/1Z999")).toBe(true);
    vi.restoreAllMocks();
    await expect
      .poll(
        async () => (await env.DB.prepare("select status from orders where id = ?").bind(orderId).first<{ status: string }>())!.status,
        { timeout: 10_000, interval: 200 },
      )
      .toBe("delivered");
  });
});

describe("nightly aggregates and the sales report", () => {
  it("summarises yesterday's paid orders once, however often it runs", async () => {
    const { sku } = await makeStockedProduct(5, { variants: [{ sku: `AGG-${Date.now()}`, price: { amount: 1500, currency: "USD" } }] });
    const cart = await makeCart();
    await addLine(cart, sku, 2);
    const { orderId } = await (await checkout(cart)).json<{ orderId: string }>();
    const yesterday = new Date(Date.now() - 86_400_000);
    await markOrderPaid(env, createDb(env.DB), orderId, { actor: "test", now: yesterday });
    const day = yesterday.toISOString().slice(0, 10);
    await runNamed("nightly-aggregates", new Date());
    await runNamed("nightly-aggregates", new Date());
    const rows = await env.DB.prepare("select orders_paid, units, revenue from daily_sales where day = ?")
      .bind(day)
      .all<{ orders_paid: number; units: number; revenue: number }>();
    expect(rows.results).toHaveLength(1);
    expect(rows.results[0]!.orders_paid).toBeGreaterThanOrEqual(1);
    expect(rows.results[0]!.units).toBeGreaterThanOrEqual(2);
    const res = await call(`/admin/api/reports/sales?from=${day}&to=${day}`, { headers: ADMIN });
    const body = await res.json<{ totals: { revenue: { amount: number; currency: string } }; topProducts: { units: number }[] }>();
    expect(body.totals.revenue.currency).toBe("USD");
    expect(body.totals.revenue.amount).toBe(rows.results[0]!.revenue);
    expect(body.topProducts.length).toBeGreaterThan(0);
  });

  it("rejects bad report ranges", async () => {
    expect((await call("/admin/api/reports/sales?from=2026-11-20&to=2026-11-01", { headers: ADMIN })).status).toBe(400);
    expect((await call("/admin/api/reports/sales?from=yesterday&to=2026-11-01", { headers: ADMIN })).status).toBe(400);
    expect((await call("/admin/api/reports/sales?from=2024-01-01&to=2026-01-01", { headers: ADMIN })).status).toBe(400);
  });
});

describe("product feed and sitemap", () => {
  it("serves the sitemap and the feed of a new shop before the daily job has run", async () => {
    await env.MEDIA.delete(["feeds/google.xml", "feeds/sitemap.xml"]);
    const product = await makeProduct({ title: "First Day Kettle" });
    const sitemap = await call("/sitemap.xml");
    expect(sitemap.status).toBe(200);
    expect(await sitemap.text()).toContain(`<loc>https://shop.test/p/${product.slug}</loc>`);
    const feed = await call("/feeds/google.xml");
    expect(feed.status).toBe(200);
    expect(await feed.text()).toContain("<g:title>First Day Kettle</g:title>");
  });

  it("writes a Merchant Center feed and a sitemap to R2 and serves them", async () => {
    const product = await makeProduct({
      title: "Salt & Pepper <Mill>",
      brand: "Greyfell",
      variants: [{ sku: unique("FEED"), price: { amount: 2599, currency: "USD" }, gtin: "4006381333931" }],
    });
    await runNamed("product-feed-sitemap", new Date());
    const first = await (await call("/feeds/google.xml")).text();
    await runNamed("product-feed-sitemap", new Date());
    const feed = await (await call("/feeds/google.xml")).text();
    expect(feed).toBe(first);
    expect(feed).toContain('xmlns:g="http://base.google.com/ns/1.0"');
    expect(feed).toContain("<g:title>Salt &amp; Pepper &lt;Mill&gt;</g:title>");
    expect(feed).toContain("<g:price>25.99 USD</g:price>");
    expect(feed).toContain("<g:gtin>4006381333931</g:gtin>");
    expect(feed).toContain(`<g:link>https://shop.test/p/${product.slug}</g:link>`);
    const sitemap = await (await call("/sitemap.xml")).text();
    expect(sitemap).toContain(`<loc>https://shop.test/p/${product.slug}</loc>`);
    expect(await (await call("/robots.txt")).text()).toContain("Sitemap: https://shop.test/sitemap.xml");
  });
});

describe("cleanup", () => {
  it("deletes uploads no product uses (after a day) and keeps the ones in use", async () => {
    const upload = async () =>
      (
        await (
          await call("/admin/api/media", {
            method: "POST",
            headers: ADMIN,
            body: await encodePng(40, 40, () => [Math.floor(Math.random() * 255), 0, 0]),
          })
        ).json<{ key: string }>()
      ).key;
    const used = await upload();
    const unused = await upload();
    const product = await makeProduct();
    await callJson(`/admin/api/products/${product.id}/media`, "PUT", { items: [{ key: used }] });
    expect((await runNamed("cleanup", new Date())).detail).toMatchObject({ media: 0 });
    await runNamed("cleanup", new Date(Date.now() + 2 * 86_400_000));
    expect(await env.MEDIA.head(`media/${unused}`)).toBeNull();
    expect(await env.DB.prepare("select 1 from media where key = ?").bind(unused).first()).toBeNull();
    expect(await env.MEDIA.head(`media/${used}`)).not.toBeNull();
  });

  it("drops index rows of expired carts and old processed events", async () => {
    await env.DB.prepare(
      "insert into cart_index (cart_id, item_count, value, currency, status, updated_at, expires_at) values ('gone-cart', 1, 1, 'USD', 'open', 0, 1)",
    ).run();
    await env.DB.prepare(
      "insert into webhook_events (provider, event_id, type, status, received_at, updated_at) values ('stripe', 'evt_ancient', 'x', 'processed', 0, 0)",
    ).run();
    const run = await runNamed("cleanup", new Date());
    expect(run.detail).toMatchObject({ carts: expect.any(Number), events: expect.any(Number) });
    expect(await env.DB.prepare("select 1 from cart_index where cart_id = 'gone-cart'").first()).toBeNull();
    expect(await env.DB.prepare("select 1 from webhook_events where event_id = 'evt_ancient'").first()).toBeNull();
  });
});

describe("cache warm-up", () => {
  it("renders top pages into the cache so the first shopper gets a hit with no D1 query", async () => {
    const product = await makeProduct();
    await runNamed("cache-warm-up", new Date());
    hotCache.clear();
    const res = await call(`/p/${product.slug}`);
    expect(res.headers.get("X-Cache")).toBe("hit");
    expect(d1Queries(res)).toBe(0);
  });
});
