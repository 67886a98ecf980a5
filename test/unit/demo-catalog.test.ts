import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { demoCatalog, demoCatalogSql } from "../../scripts/demo-catalog";

describe("demo catalog", () => {
  it("has at least 500 products in 10+ categories with 1–6 variants each", () => {
    const catalog = demoCatalog();
    expect(catalog.products.length).toBeGreaterThanOrEqual(500);
    expect(catalog.categories.length).toBeGreaterThanOrEqual(10);
    for (const p of catalog.products) {
      expect(p.variants.length).toBeGreaterThanOrEqual(1);
      expect(p.variants.length).toBeLessThanOrEqual(6);
      for (const v of p.variants) expect(Number.isInteger(v.priceAmount) && v.priceAmount > 0).toBe(true);
    }
    expect(new Set(catalog.products.map((p) => p.slug)).size).toBe(catalog.products.length);
  });

  it("is the same shop for the same seed and a different one for another", () => {
    expect(demoCatalog()).toEqual(demoCatalog());
    expect(demoCatalog({ seed: 7 }).products[0]!.title).not.toBe(demoCatalog({ seed: 8 }).products[0]!.title);
  });

  it("loads into D1 idempotently and becomes searchable", async () => {
    const statements = demoCatalogSql();
    for (let round = 0; round < 2; round++) {
      await env.DB.batch(statements.map((s) => env.DB.prepare(s)));
    }
    const counts = await env.DB.prepare(
      "select (select count(*) from products) as products, (select count(*) from categories) as categories, (select count(*) from products_fts) as indexed",
    ).first<{ products: number; categories: number; indexed: number }>();
    const catalog = demoCatalog();
    expect(counts).toEqual({
      products: catalog.products.length,
      categories: catalog.categories.length,
      indexed: catalog.products.length,
    });
    const word = catalog.products[0]!.title.split(" ")[0]!;
    const hits = await env.DB.prepare("select count(*) as n from products_fts where products_fts match ?")
      .bind(`"${word.toLowerCase()}"*`)
      .first<{ n: number }>();
    expect(hits!.n).toBeGreaterThan(0);
  });
});
