import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { makeCategory, makeProduct } from "../helpers/factories";
import { call, callJson, d1Queries } from "../helpers/worker";

describe("catalog cache", () => {
  it("serves the second request of a product page with zero D1 queries", async () => {
    const product = await makeProduct();
    const first = await call(`/p/${product.slug}`);
    expect(first.status).toBe(200);
    expect(first.headers.get("X-Cache")).toBe("miss");
    expect(d1Queries(first)).toBeGreaterThan(0);

    const second = await call(`/p/${product.slug}`);
    expect(second.status).toBe(200);
    expect(second.headers.get("X-Cache")).toBe("hit");
    expect(d1Queries(second)).toBe(0);
    expect(await second.text()).toBe(await first.text());
  });

  it("keeps the rendered page in KV so other isolates answer without D1", async () => {
    const category = await makeCategory();
    await makeProduct({ categoryIds: [category.id] });
    await call(`/c/${category.slug}`);
    const keys = await env.CATALOG_CACHE.list({ prefix: "page:" });
    expect(keys.keys.some((k) => k.name.endsWith(`html:/c/${category.slug}?sort=featured&page=1`))).toBe(true);
  });

  it("shows a product edit on the very next request", async () => {
    const product = await makeProduct({ title: "Original Lamp" });
    const before = await call(`/p/${product.slug}`);
    expect(await before.text()).toContain("Original Lamp");

    const edit = await callJson(`/admin/api/products/${product.id}`, "PATCH", { title: "Renamed Lamp" });
    expect(edit.status).toBe(200);

    const after = await call(`/p/${product.slug}`);
    const html = await after.text();
    expect(html).toContain("Renamed Lamp");
    expect(html).not.toContain("Original Lamp");
  });

  it("shows a price change in the JSON API on the next request", async () => {
    const product = await makeProduct();
    const sku = product.variants[0]!.sku;
    const before = await (await call(`/api/products/${product.slug}`)).json<{ variants: { price: { amount: number } }[] }>();
    expect(before.variants[0]!.price.amount).toBe(2500);

    const edit = await callJson(`/admin/api/variants/${sku}`, "PATCH", { price: { amount: 1999, currency: "USD" } });
    expect(edit.status).toBe(200);

    const after = await (await call(`/api/products/${product.slug}`)).json<{ variants: { price: { amount: number } }[] }>();
    expect(after.variants[0]!.price.amount).toBe(1999);
  });

  it("answers 304 to a matching If-None-Match and 200 otherwise", async () => {
    const product = await makeProduct();
    const first = await call(`/p/${product.slug}`);
    const etag = first.headers.get("ETag");
    expect(etag).toMatch(/^"[0-9a-f]+"$/);
    expect(first.headers.get("Cache-Control")).toContain("stale-while-revalidate");

    const revalidated = await call(`/p/${product.slug}`, { headers: { "If-None-Match": etag! } });
    expect(revalidated.status).toBe(304);
    expect(await revalidated.text()).toBe("");

    const other = await call(`/p/${product.slug}`, { headers: { "If-None-Match": '"something-else"' } });
    expect(other.status).toBe(200);
  });

  it("escapes hostile product names in HTML", async () => {
    const product = await makeProduct({ title: `<script>alert("x")</script> Mug`, brand: "<b>Evil</b>" });
    const html = await (await call(`/p/${product.slug}`)).text();
    expect(html).not.toContain(`<script>alert("x")</script>`);
    expect(html).toContain("&lt;script&gt;alert(");
    expect(html).not.toContain("<b>Evil</b>");
    const jsonLd = /<script type="application\/ld\+json">(.*?)<\/script>/s.exec(html)?.[1];
    expect(jsonLd).toBeDefined();
    expect(jsonLd).not.toContain("</script");
    expect(JSON.parse(jsonLd!).name).toBe(`<script>alert("x")</script> Mug`);
  });
});

describe("headers of cached answers", () => {
  const kept = [
    "Content-Type",
    "ETag",
    "Cache-Control",
    "Content-Security-Policy",
    "Strict-Transport-Security",
    "Link",
    "Speculation-Rules",
  ];

  it("gives every hit the miss's security, caching and preload headers, and a request id only to answers that are logged", async () => {
    const { hotCache } = await import("../../src/http/hot-cache");
    const product = await makeProduct();
    const miss = await call(`/p/${product.slug}`);
    expect(miss.headers.get("X-Cache")).toBe("miss");
    expect(miss.headers.get("X-Request-Id")).toMatch(/^[0-9a-f-]{36}$/);

    const hot = await call(`/p/${product.slug}`);
    hotCache.clear();
    const fromKv = await call(`/p/${product.slug}`);
    for (const hit of [hot, fromKv]) {
      expect(hit.headers.get("X-Cache")).toBe("hit");
      expect(hit.headers.get("X-D1-Queries")).toBe("0");
      expect(hit.headers.get("X-Request-Id")).toBeNull();
      for (const name of kept) expect(hit.headers.get(name), name).toBe(miss.headers.get(name));
      expect(await hit.text()).toBe(await miss.clone().text());
    }
  });

  it("answers the repeat of a page, and of a listing with a query, before routing", async () => {
    const { hotPath, pathAndQuery } = await import("../../src/http/cached");
    const product = await makeProduct();
    for (const path of [`/p/${product.slug}`, "/api/products?limit=7"]) {
      const request = new Request(`https://shop.test${path}`);
      expect(await hotPath(request, pathAndQuery(request.url), env), path).toBeUndefined();
      const first = await call(path);
      const hot = await hotPath(request, pathAndQuery(request.url), env);
      expect(hot?.response.headers.get("X-Cache"), path).toBe("hit");
      expect(await hot?.response.text()).toBe(await first.text());
    }
  });

  it("keeps one answer's changes out of the next hit's headers", async () => {
    const product = await makeProduct();
    await call(`/p/${product.slug}`);
    const first = await call(`/p/${product.slug}`);
    first.headers.set("X-Tampered", "yes");
    first.headers.delete("Content-Security-Policy");
    const notModified = await call(`/p/${product.slug}`, { headers: { "If-None-Match": first.headers.get("ETag")! } });
    const next = await call(`/p/${product.slug}`);
    for (const res of [notModified, next]) {
      expect(res.headers.get("X-Tampered")).toBeNull();
      expect(res.headers.get("Content-Security-Policy")).toContain("default-src 'self'");
    }
    expect(notModified.status).toBe(304);
    expect(next.status).toBe(200);
  });
});

describe("catalog cache across isolates", () => {
  it("answers from KV with zero D1 queries when this isolate's memory is cold", async () => {
    const { hotCache } = await import("../../src/http/hot-cache");
    const product = await makeProduct();
    await call(`/api/products/${product.slug}`);
    hotCache.clear();
    const fromKv = await call(`/api/products/${product.slug}`);
    expect(fromKv.headers.get("X-Cache")).toBe("hit");
    expect(d1Queries(fromKv)).toBe(0);
    expect(await fromKv.json()).toMatchObject({ slug: product.slug });
  });

  it("shows a new product in its category listing after it is created", async () => {
    const category = await makeCategory();
    await makeProduct({ categoryIds: [category.id], title: "First Chair" });
    expect(await (await call(`/c/${category.slug}`)).text()).not.toContain("Second Chair");
    await makeProduct({ categoryIds: [category.id], title: "Second Chair" });
    expect(await (await call(`/c/${category.slug}`)).text()).toContain("Second Chair");
  });
});
