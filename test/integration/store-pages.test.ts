import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { makeCategory, makeProduct, unique } from "../helpers/factories";
import { call } from "../helpers/worker";

const html = async (path: string, status = 200) => {
  const res = await call(path, { headers: { Accept: "text/html" } });
  expect(res.status, path).toBe(status);
  return res.text();
};

const setStock = (sku: string, available: number) =>
  env.DB.prepare("insert or replace into stock_levels (sku, available, updated_at) values (?, ?, 0)").bind(sku, available).run();

describe("store pages", () => {
  it("home lists featured products and top-level categories", async () => {
    const category = await makeCategory({ name: "Garden Tools" });
    const featured = await makeProduct({ featured: true, title: "Featured Trowel", categoryIds: [category.id] });
    const page = await html("/");
    expect(page).toContain(featured.title);
    expect(page).toContain(`href="/c/${category.slug}"`);
    expect(page).toMatch(/<html lang="en">/);
    expect(page).toContain('<main id="main">');
  });

  it("category page paginates, sorts, and links pages without JavaScript", async () => {
    const category = await makeCategory();
    for (let i = 0; i < 26; i++) {
      await makeProduct({ categoryIds: [category.id], variants: [{ sku: unique("PG"), price: { amount: 1000 + i, currency: "USD" } }] });
    }
    const first = await html(`/c/${category.slug}?sort=price_asc`);
    expect(first).toContain("26 products");
    expect(first).toContain("$10.00");
    expect(first).not.toContain("$10.25");
    expect(first).toContain(`href="/c/${category.slug}?sort=price_asc&amp;page=2"`);
    const second = await html(`/c/${category.slug}?sort=price_asc&page=2`);
    expect(second).toContain("$10.25");
    expect(second).toContain('rel="prev"');
    await html(`/c/${category.slug}?page=9`, 404);
  });

  it("product page offers no-JS option choices with stock states and structured data", async () => {
    const soldOut = unique("OUT");
    const few = unique("FEW");
    const product = await makeProduct({
      title: "Picker Jacket",
      brand: "Greyfell",
      variants: [
        { sku: soldOut, options: { size: "S" }, price: { amount: 12000, currency: "USD" } },
        { sku: few, options: { size: "M" }, price: { amount: 12500, currency: "USD" } },
      ],
    });
    await setStock(few, 3);
    const page = await html(`/p/${product.slug}`);
    expect(page).toContain(
      `<a class="choice sold-out" href="/p/${product.slug}?variant=${soldOut}#buy">S<span class="vh"> (sold out)</span></a>`,
    );
    expect(page).toContain(`<a class="choice" href="/p/${product.slug}?variant=${few}#buy" aria-current="true">M</a>`);
    expect(page).toContain(`<input type="hidden" name="sku" value="${few}"/>`);
    expect(page).toContain("Only 3 left");
    expect(page).toContain('<meta property="og:title" content="Picker Jacket"/>');
    expect(page).toContain('<meta property="product:price:amount" content="125.00"/>');
    const ld = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(page)![1]!);
    expect(ld).toMatchObject({ "@type": "Product", name: "Picker Jacket", brand: { name: "Greyfell" } });
    expect(ld.offers).toEqual([
      expect.objectContaining({ sku: soldOut, price: "120.00", priceCurrency: "USD", availability: "https://schema.org/OutOfStock" }),
      expect.objectContaining({ sku: few, price: "125.00", availability: "https://schema.org/InStock" }),
    ]);
  });

  it("preselects the variant named in ?variant=", async () => {
    const a = unique("VA");
    const b = unique("VB");
    const product = await makeProduct({
      variants: [
        { sku: a, price: { amount: 1000, currency: "USD" } },
        { sku: b, price: { amount: 2000, currency: "USD" } },
      ],
    });
    const page = await html(`/p/${product.slug}?variant=${b}`);
    expect(page).toMatch(new RegExp(`value="${b}"[^>]*checked`));
    expect(page).toContain('<span class="price">$20.00</span>');
  });

  it("does not store pages for unknown ?variant= values", async () => {
    const product = await makeProduct();
    const res = await call(`/p/${product.slug}?variant=JUNK-${Date.now()}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("X-Cache")).toBe("bypass");
  });

  it("search page shows results and keeps the query in the box, escaped", async () => {
    const product = await makeProduct({ title: "Searchable Kettle" });
    const page = await html(`/search?q=${encodeURIComponent('Searchable "><b>')}`);
    expect(page).toContain('value="Searchable &quot;&gt;&lt;b&gt;"');
    const found = await html("/search?q=Searchable");
    expect(found).toContain(product.title);
    expect(found).toContain('<meta name="robots" content="noindex"/>');
  });

  it("answers unknown pages with an HTML 404 for browsers and problem+json otherwise", async () => {
    const page = await html("/p/no-such-product", 404);
    expect(page).toContain("Page not found");
    const api = await call("/p/no-such-product");
    expect(api.headers.get("Content-Type")).toBe("application/problem+json");
  });

  it("answers a bad page number with 400, not 500", async () => {
    const category = await makeCategory();
    await html(`/c/${category.slug}?page=abc`, 400);
  });

  it("serves robots.txt that keeps crawlers out of admin and cart", async () => {
    const text = await (await call("/robots.txt")).text();
    expect(text).toContain("Disallow: /admin/");
    expect(text).toContain("Disallow: /cart");
  });
});
