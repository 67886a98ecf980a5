import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { makeCategory, makeProduct, unique } from "../helpers/factories";
import { call, callJson, d1Queries } from "../helpers/worker";

const search = async (q: string) => {
  const res = await call(`/api/products?q=${encodeURIComponent(q)}&limit=50`);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json<{ items: { slug: string }[] }>()).items.map((i) => i.slug);
};

describe("catalog search", () => {
  it("ranks a title match above a description-only match", async () => {
    const word = `zq${Date.now().toString(36)}`;
    const inDescription = await makeProduct({ title: "Plain Box", description: `Pairs well with the ${word} range.` });
    const inTitle = await makeProduct({ title: `${word} Kettle` });
    const results = await search(word);
    expect(results.indexOf(inTitle.slug)).toBeGreaterThanOrEqual(0);
    expect(results.indexOf(inTitle.slug)).toBeLessThan(results.indexOf(inDescription.slug));
  });

  it("matches word prefixes as the shopper types", async () => {
    const word = `qv${Date.now().toString(36)}wool`;
    const product = await makeProduct({ title: `${word} Blanket` });
    expect(await search(word.slice(0, 6))).toContain(product.slug);
  });

  it("finds products by SKU and by category name", async () => {
    const category = await makeCategory({ name: `Teapots ${Date.now().toString(36)}` });
    const sku = unique("TPX");
    const product = await makeProduct({
      categoryIds: [category.id],
      variants: [{ sku, price: { amount: 900, currency: "USD" } }],
    });
    expect(await search(sku)).toContain(product.slug);
    expect(await search(category.name)).toContain(product.slug);
  });

  it("follows renames of products and categories", async () => {
    const category = await makeCategory();
    const product = await makeProduct({ title: "Oldname Stool", categoryIds: [category.id] });
    await callJson(`/admin/api/products/${product.id}`, "PATCH", { title: "Freshname Stool" });
    const renamedCategory = `Seating${Date.now().toString(36)}`;
    await callJson(`/admin/api/categories/${category.id}`, "PATCH", { name: renamedCategory });
    expect(await search("Oldname")).not.toContain(product.slug);
    expect(await search("Freshname")).toContain(product.slug);
    expect(await search(renamedCategory)).toContain(product.slug);
  });

  it("treats FTS syntax in the query as plain text", async () => {
    for (const q of ['"unbalanced', "a OR b NOT c*", "NEAR(x y)", "title:foo", "-(*)^"]) {
      const res = await call(`/api/products?q=${encodeURIComponent(q)}`);
      expect(res.status, q).toBe(200);
    }
  });

  it("answers a repeated search from the cache, never from KV, and follows catalog changes", async () => {
    const product = await makeProduct({ title: "Repeated Lantern" });
    const first = await call(`/search?q=Repeated%20%20LANTERN`);
    expect(await first.text()).toContain(product.title);
    const second = await call(`/search?q=repeated+lantern`);
    expect(second.headers.get("X-Cache")).toBe("hit");
    expect(d1Queries(second)).toBe(0);
    const stored = await env.CATALOG_CACHE.list({ prefix: "page:" });
    expect(stored.keys.some((k) => k.name.includes("html:/search"))).toBe(false);

    const twin = await makeProduct({ title: "Repeated Lantern Mini" });
    const after = await call(`/search?q=repeated+lantern`);
    expect(after.headers.get("X-Cache")).toBe("miss");
    expect(await after.text()).toContain(twin.title);
  });
});

describe("search results after catalog changes", () => {
  it("shows a new price at once and drops a product taken off sale", async () => {
    const word = `yx${Date.now().toString(36)}`;
    const kept = await makeProduct({ title: `${word} Pitcher` });
    const dropped = await makeProduct({ title: `${word} Ladle` });
    const before = await (await call(`/search?q=${word}`)).text();
    expect(before).toContain(kept.title);
    expect(before).toContain(dropped.title);

    const sku = kept.variants[0]?.sku ?? "";
    expect((await callJson(`/admin/api/variants/${sku}`, "PATCH", { price: { amount: 4321, currency: "USD" } })).status).toBe(200);
    expect((await callJson(`/admin/api/products/${dropped.id}`, "PATCH", { status: "draft" })).status).toBe(200);

    const page = await call(`/search?q=${word}`);
    expect(page.headers.get("X-Cache")).toBe("miss");
    const html = await page.text();
    expect(html).toContain("$43.21");
    expect(html).not.toContain(dropped.title);
    const api = await search(word);
    expect(api).toEqual([kept.slug]);
  });
});

describe("search with a misspelt second word", () => {
  it("answers the search page and the API alike, finding the product", async () => {
    const word = `kettle${Date.now().toString(36).replace(/\d/g, "")}`;
    const product = await makeProduct({ title: `Copper ${word}` });
    const typo = `${word.slice(0, -1)}x`;
    const page = await call(`/search?q=${encodeURIComponent(`copper ${typo}`)}`, { headers: { Accept: "text/html" } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(product.slug);
    expect(await search(`copper ${typo}`)).toContain(product.slug);
    const api = await call(`/api/products?q=${encodeURIComponent(`copper ${typo} ${Date.now()}`)}`);
    expect(d1Queries(api)).toBeLessThanOrEqual(2);
  });
});
