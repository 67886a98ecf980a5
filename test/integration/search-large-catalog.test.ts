import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { bumpCatalogVersion } from "../../src/cache/catalog-cache";
import { MAX_CANDIDATES } from "../../src/services/catalog-listing";
import { call, d1Queries } from "../helpers/worker";

const PRODUCTS = MAX_CANDIDATES + 40;
const T = Date.UTC(2026, 0, 5);

describe("search in a catalog too big to hold in memory", () => {
  beforeAll(async () => {
    // Every 510th product is a harp (the last past the listing limit); prices rise with the number so the order is known.
    await env.DB.prepare(
      `insert into products (slug, title, description, status, featured, published_at, created_at, updated_at)
       with recursive n(i) as (select 1 union all select i + 1 from n where i < ?1)
       select 'bulk-' || i, 'Bulk Crate ' || i || case when i % 510 = 0 then ' Harp' else '' end, '', 'published', 0, ?2, ?2, ?2 from n`,
    )
      .bind(PRODUCTS, T)
      .run();
    await env.DB.prepare(
      `insert into variants (product_id, sku, title, options, price_amount, currency, position, created_at, updated_at)
       select id, 'BULK-' || id, 'One size', '{}', 1000 + id, 'USD', 0, ?1, ?1 from products where slug like 'bulk-%'`,
    )
      .bind(T)
      .run();
    await bumpCatalogVersion(env.CATALOG_CACHE, new Date());
  });

  it("still finds every match past the listing limit, cheapest first when asked", async () => {
    const res = await call("/api/products?q=harp&sort=price_asc&limit=50");
    expect(res.status).toBe(200);
    const { items, total } = await res.json<{ items: { title: string }[]; total: number }>();
    expect(total).toBe(4);
    expect(items.map((i) => i.title)).toEqual([
      "Bulk Crate 510 Harp",
      "Bulk Crate 1020 Harp",
      "Bulk Crate 1530 Harp",
      "Bulk Crate 2040 Harp",
    ]);
    const page = await (await call("/search?q=harps")).text();
    expect(page).toContain("Bulk Crate 2040 Harp");
  });

  it("makes one D1 query for each new search once the catalog's size is known", async () => {
    await call("/search?q=crate"); // learns, for this catalog version, that the catalog is past the limit
    const fresh = await call("/search?q=harp+crate");
    expect(fresh.headers.get("X-Cache")).toBe("miss");
    expect(await fresh.text()).toContain("Bulk Crate 2040 Harp");
    expect(d1Queries(fresh)).toBe(1);
  });
});
