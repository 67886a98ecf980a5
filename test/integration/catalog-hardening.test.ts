import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { MAX_SLUG_LENGTH } from "../../src/domain/ids";
import { signedIn } from "../helpers/admin-session";
import { addLine, checkout, makeCart, makeCategory, makeProduct, setStock, unique } from "../helpers/factories";
import { runNamed } from "../helpers/jobs";
import { ADMIN, call, callJson } from "../helpers/worker";

/** KV's own limit on key length, in UTF-8 bytes. */
const KV_KEY_LIMIT = 512;
const utf8Length = (s: string) => new TextEncoder().encode(s).length;

/** The page cache, recording every key it is asked about. */
function recordingKv(keys: string[]): KVNamespace {
  const real = env.CATALOG_CACHE;
  return new Proxy(real, {
    get(target, prop) {
      const value = Reflect.get(target, prop);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        if (typeof args[0] === "string") keys.push(args[0]);
        return value.apply(target, args);
      };
    },
  });
}

const auditRows = async () => (await env.DB.prepare("select count(*) as n from audit_log").first<{ n: number }>())!.n;

describe("slugs and page-cache keys", () => {
  it("answers 404 to product and category pages longer than any slug (400 in the API), without asking the page cache", async () => {
    const keys: string[] = [];
    const kv = recordingKv(keys);
    for (const path of [`/p/${"a".repeat(450)}`, `/c/${"b".repeat(430)}`]) {
      const res = await call(path, { headers: { Accept: "text/html" } }, { CATALOG_CACHE: kv });
      expect(res.status, path).toBe(404);
    }
    expect((await call(`/api/products/${"c".repeat(450)}`, {}, { CATALOG_CACHE: kv })).status).toBe(400);
    // The 404 page reads the shop's category list (a fixed key); the long slugs are never keys.
    expect(keys.filter((k) => k.startsWith("page:") && !k.endsWith(":json:/api/categories"))).toEqual([]);
  });

  it("refuses product and category slugs longer than MAX_SLUG_LENGTH when they are written", async () => {
    const long = "x".repeat(MAX_SLUG_LENGTH + 1);
    const product = await callJson("/admin/api/products", "POST", {
      title: "Too long a slug",
      slug: long,
      variants: [{ sku: unique("LONG"), price: { amount: 100, currency: "USD" } }],
    });
    expect(product.status).toBe(400);
    const category = await callJson("/admin/api/categories", "POST", { name: "Too long", slug: long });
    expect(category.status).toBe(400);
    const existing = await makeProduct();
    expect((await callJson(`/admin/api/products/${existing.id}`, "PATCH", { slug: long })).status).toBe(400);
  });

  it("keeps every page-cache key within KV's 512-byte limit, even for a long ?variant= of multibyte characters", async () => {
    const product = await makeProduct();
    const keys: string[] = [];
    const kv = recordingKv(keys);
    const variant = encodeURIComponent("€".repeat(64));
    const res = await call(`/p/${product.slug}?variant=${variant}`, {}, { CATALOG_CACHE: kv });
    expect(res.status).toBe(200);
    const known = await call(`/p/${product.slug}?variant=${product.variants[0]!.sku}`, {}, { CATALOG_CACHE: kv });
    expect(known.status).toBe(200);
    expect(keys.filter((k) => k.startsWith("page:")).length).toBeGreaterThan(0);
    expect(keys.filter((k) => utf8Length(k) > KV_KEY_LIMIT)).toEqual([]);
  });
});

describe("generated product slugs", () => {
  it("creates products from a 190-character title, twice, each with its own bounded slug", async () => {
    const title = `${unique("Long")} ${"extraordinarily comfortable ".repeat(7)}`.slice(0, 190).trim();
    expect(title.length).toBeGreaterThanOrEqual(185);
    const make = () =>
      callJson("/admin/api/products", "POST", {
        title,
        status: "published",
        variants: [{ sku: unique("SLUG"), price: { amount: 900, currency: "USD" } }],
      });
    const first = await make();
    expect(first.status, await first.clone().text()).toBe(201);
    const second = await make();
    expect(second.status, await second.clone().text()).toBe(201);
    const [a, b] = [await first.json<{ slug: string }>(), await second.json<{ slug: string }>()];
    expect(a.slug).not.toBe(b.slug);
    for (const slug of [a.slug, b.slug]) {
      expect(slug.length).toBeLessThanOrEqual(MAX_SLUG_LENGTH);
      expect((await call(`/p/${slug}`)).status).toBe(200);
    }
  });
});

describe("deleting a variant", () => {
  async function twoVariants() {
    const sku = unique("GONE").toUpperCase();
    const product = await makeProduct({
      variants: [
        { sku: unique("KEEP").toUpperCase(), price: { amount: 1000, currency: "USD" } },
        { sku, price: { amount: 1000, currency: "USD" } },
      ],
    });
    return { product, sku };
  }

  it("clears the SKU's stock, so re-creating the same SKU starts from 0 on hand", async () => {
    const { product, sku } = await twoVariants();
    await setStock(sku, 7);
    const deleted = await call(`/admin/api/variants/${sku}`, { method: "DELETE", headers: ADMIN });
    expect(deleted.status, await deleted.clone().text()).toBe(200);
    const again = await callJson(`/admin/api/products/${product.id}/variants`, "POST", { sku, price: { amount: 1000, currency: "USD" } });
    expect(again.status, await again.clone().text()).toBe(201);
    const stock = await (await call(`/admin/api/inventory/${sku}`, { headers: ADMIN })).json<{ onHand: number; available: number }>();
    expect(stock).toMatchObject({ onHand: 0, available: 0 });
    const shown = await (await call(`/api/products/${product.slug}`)).json<{ variants: { sku: string; available: boolean }[] }>();
    expect(shown.variants.find((v) => v.sku === sku)?.available).toBe(false);
  });

  it("refuses with 409 while the SKU holds reservations, and keeps the variant and its stock", async () => {
    const { product, sku } = await twoVariants();
    await setStock(sku, 3);
    const cart = await makeCart();
    await addLine(cart, sku, 2);
    expect((await checkout(cart)).status).toBe(201);
    const audit = await auditRows();
    const res = await call(`/admin/api/variants/${sku}`, { method: "DELETE", headers: ADMIN });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ code: "variant_reserved" });
    expect(await auditRows()).toBe(audit);
    const detail = await (await call(`/admin/api/products/${product.id}`, { headers: ADMIN })).json<{ variants: { sku: string }[] }>();
    expect(detail.variants.map((v) => v.sku)).toContain(sku);
    expect(await env.INVENTORY.getByName(sku).snapshot()).toMatchObject({ onHand: 3, reserved: 2 });
  });
});

describe("variant patches", () => {
  it("answers 415 to a PATCH whose body is not JSON, and changes nothing", async () => {
    const product = await makeProduct();
    const sku = product.variants[0]!.sku;
    const audit = await auditRows();
    const before = await env.DB.prepare("select updated_at from variants where sku = ?").bind(sku).first();
    for (const init of [
      { headers: { ...ADMIN, "Content-Type": "text/plain" }, body: '{"price":{"amount":1,"currency":"USD"}}' },
      { headers: { ...ADMIN, "Content-Type": "application/x-www-form-urlencoded" }, body: "price=1" },
      { headers: ADMIN, body: "price=1" },
    ]) {
      const res = await call(`/admin/api/variants/${sku}`, { method: "PATCH", ...init });
      expect(res.status, JSON.stringify(init.headers)).toBe(415);
    }
    const empty = await callJson(`/admin/api/variants/${sku}`, "PATCH", {});
    expect(empty.status).toBe(400);
    expect(await auditRows()).toBe(audit);
    expect(await env.DB.prepare("select updated_at from variants where sku = ?").bind(sku).first()).toEqual(before);
  });
});

describe("canonical ids", () => {
  it("answers 400 to API ids and page numbers that are not plain decimal digits", async () => {
    const product = await makeProduct();
    const category = await makeCategory();
    const id = product.id;
    for (const path of [
      `/admin/api/products/0x${id.toString(16)}`,
      `/admin/api/products/%20${id}`,
      `/admin/api/products/${id}e0`,
      `/admin/api/products/0${id}`,
      `/admin/api/categories/${category.id}.0`,
      "/admin/api/products?page=0x1",
      "/admin/api/products?page=1e0",
      "/admin/api/products?limit=1e1",
      "/admin/api/orders?page=%201",
      "/admin/api/webhook-events?limit=0x10",
      "/api/products?page=1e0",
      "/api/products?limit=2.0",
    ]) {
      const res = await call(path, { headers: ADMIN });
      expect(res.status, path).toBe(400);
    }
    expect((await call(`/admin/api/products/${id}`, { headers: ADMIN })).status).toBe(200);
    expect((await call("/api/products?page=1&limit=5")).status).toBe(200);
  });

  it("answers 404 to admin pages addressed by ids that are not plain decimal digits", async () => {
    const browser = await signedIn("owner");
    const product = await makeProduct();
    const category = await makeCategory();
    for (const path of [`/admin/products/0${product.id}`, `/admin/products/${product.id}e0`, `/admin/products/0x${product.id}`]) {
      expect((await browser.get(path)).status, path).toBe(404);
    }
    expect((await browser.get(`/admin/products/${product.id}`)).status).toBe(200);
    const renamed = await browser.post(`/admin/categories/0${category.id}`, { name: "Renamed by a sloppy id" });
    expect(renamed.status).toBe(404);
    const replay = await browser.post("/admin/events/webhooks/0x1/replay", {});
    expect(replay.status).toBe(404);
    const list = await (await call("/admin/api/categories", { headers: ADMIN })).json<{ items: { id: number; name: string }[] }>();
    expect(list.items.find((c) => c.id === category.id)?.name).toBe(category.name);
  });
});

describe("XML feeds", () => {
  it("strips characters XML forbids from the Google feed and the sitemap", async () => {
    await makeProduct({
      title: `Odd \u0001 chars ${unique("xml")}`,
      description: "Before \uFFFE middle \u0001 and \ud800 lone, then \uFFFF end \u001f.",
      brand: "Brand\u000b",
    });
    const run = await runNamed("product-feed-sitemap", new Date());
    expect(run.status).toBe("ok");
    const forbidden = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
    for (const path of ["/feeds/google.xml", "/sitemap.xml"]) {
      const res = await call(path);
      expect(res.status).toBe(200);
      const xml = await res.text();
      expect(forbidden.exec(xml), path).toBeNull();
      expect(xml.startsWith("<?xml")).toBe(true);
    }
    const feed = await (await call("/feeds/google.xml")).text();
    expect(feed).toContain("Before  middle  and");
  });
});
