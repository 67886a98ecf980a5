import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { encodePng } from "../../scripts/png";
import { Browser } from "../helpers/browser";
import { makeCategory, makeProduct, setStock, unique } from "../helpers/factories";
import { ADMIN, call, callJson, d1Queries } from "../helpers/worker";

const usd = (amount: number) => ({ amount, currency: "USD" });

/** A category of three mugs: Alpha (red $8 in stock, blue $12 sold out), Beta (blue $30 in stock), Gamma (green $60, featured, sold out). */
async function mugShelf() {
  const category = await makeCategory({ name: unique("Mugs") });
  const tag = unique("m").toUpperCase();
  const alpha = await makeProduct({
    title: `Alpha Mug ${tag}`,
    categoryIds: [category.id],
    variants: [
      { sku: `${tag}-AR`, options: { Color: "Red" }, price: usd(800) },
      { sku: `${tag}-AB`, options: { Color: "Blue" }, price: usd(1200) },
    ],
  });
  const beta = await makeProduct({
    title: `Beta Mug ${tag}`,
    categoryIds: [category.id],
    variants: [{ sku: `${tag}-BB`, options: { Color: "Blue" }, price: usd(3000) }],
  });
  const gamma = await makeProduct({
    title: `Gamma Mug ${tag}`,
    categoryIds: [category.id],
    featured: true,
    variants: [{ sku: `${tag}-GG`, options: { Color: "Green" }, price: usd(6000) }],
  });
  await setStock(`${tag}-AR`, 5);
  await setStock(`${tag}-BB`, 3);
  return { category, alpha, beta, gamma, tag };
}

const page = async (path: string) => {
  const res = await call(path, { headers: { Accept: "text/html" } });
  return { res, html: await res.text() };
};

/** The count shown next to a filter value (`Color:Blue`, `price=10-25`, `stock`). */
function facetCount(html: string, value: string): number | undefined {
  const escaped = value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const m = new RegExp(`value="${escaped}"[^>]*>[^<]*<span class="muted">\\((\\d+)\\)`).exec(html);
  return m ? Number(m[1]) : undefined;
}

/** Product titles in the order the grid shows them. */
const titlesIn = (html: string, tag: string) => [...html.matchAll(new RegExp(`<h2>(\\w+) Mug ${tag}</h2>`, "g"))].map((m) => m[1]);

describe("category filters and sorting", () => {
  it("counts every option value, price band and availability with the other filters applied", async () => {
    const { category } = await mugShelf();
    const all = await page(`/c/${category.slug}`);
    expect(facetCount(all.html, "Color:Red")).toBe(1);
    expect(facetCount(all.html, "Color:Blue")).toBe(2);
    expect(facetCount(all.html, "Color:Green")).toBe(1);
    expect(facetCount(all.html, "0-10")).toBe(1);
    expect(facetCount(all.html, "10-25")).toBe(1);
    expect(facetCount(all.html, "50-100")).toBe(1);
    expect(facetCount(all.html, "1")).toBe(2);

    const blue = await page(`/c/${category.slug}?opt=Color:Blue`);
    // The colour facet ignores its own filter; the others narrow to blue variants.
    expect(facetCount(blue.html, "Color:Red")).toBe(1);
    expect(facetCount(blue.html, "Color:Blue")).toBe(2);
    expect(facetCount(blue.html, "10-25")).toBe(1);
    expect(facetCount(blue.html, "25-50")).toBe(1);
    expect(facetCount(blue.html, "0-10")).toBeUndefined();
    expect(facetCount(blue.html, "1")).toBe(1);
    expect(blue.html).toContain("2 products");
  });

  it("filters by option, price band and stock together, and lists active filters with links to remove them", async () => {
    const { category, tag } = await mugShelf();
    const blueInStock = await page(`/c/${category.slug}?opt=Color:Blue&stock=1`);
    expect(titlesIn(blueInStock.html, tag)).toEqual(["Beta"]);
    expect(blueInStock.html).toContain('aria-label="Remove filter Color: Blue"');

    const cheapOrRed = await page(`/c/${category.slug}?price=0-10&price=50-100`);
    expect(titlesIn(cheapOrRed.html, tag).sort()).toEqual(["Alpha", "Gamma"]);
    const blueAndCheap = await page(`/c/${category.slug}?price=0-10&opt=Color:Blue`);
    expect(titlesIn(blueAndCheap.html, tag)).toEqual([]);
    expect(blueAndCheap.html).toContain("Nothing matches these filters");
  });

  it("sorts by featured, newest, price both ways and best selling", async () => {
    const { category, tag, alpha, beta } = await mugShelf();
    const order = async (sort: string) => titlesIn((await page(`/c/${category.slug}?sort=${sort}`)).html, tag);
    expect(await order("featured")).toEqual(["Gamma", "Beta", "Alpha"]);
    expect(await order("newest")).toEqual(["Gamma", "Beta", "Alpha"]);
    expect(await order("price_asc")).toEqual(["Alpha", "Beta", "Gamma"]);
    expect(await order("price_desc")).toEqual(["Gamma", "Beta", "Alpha"]);

    const today = new Date().toISOString().slice(0, 10);
    await env.DB.batch([
      env.DB.prepare("INSERT INTO daily_product_sales (day, product_id, title, units, revenue) VALUES (?, ?, 'Alpha', 2, 1600)").bind(
        today,
        alpha.id,
      ),
      env.DB.prepare("INSERT INTO daily_product_sales (day, product_id, title, units, revenue) VALUES (?, ?, 'Beta', 7, 21000)").bind(
        today,
        beta.id,
      ),
    ]);
    await callJson(`/admin/api/products/${alpha.id}`, "PATCH", { title: `Alpha Mug ${tag}` }, ADMIN);
    expect(await order("best_selling")).toEqual(["Beta", "Alpha", "Gamma"]);
  });

  it("caches each canonical filtered view, serves repeats without D1, and shows catalog changes at once", async () => {
    const { category, beta, tag } = await mugShelf();
    await page(`/c/${category.slug}?opt=Color:Blue&stock=1`);
    // Same filters in another order and with a duplicate: the same cache entry.
    const again = await page(`/c/${category.slug}?stock=1&opt=Color:Blue&opt=Color:Blue`);
    expect(again.res.headers.get("X-Cache")).toBe("hit");
    expect(d1Queries(again.res)).toBe(0);

    const renamed = await callJson(`/admin/api/products/${beta.id}`, "PATCH", { title: `Delta Mug ${tag}` }, ADMIN);
    expect(renamed.status).toBe(200);
    const after = await page(`/c/${category.slug}?opt=Color:Blue&stock=1`);
    expect(after.res.headers.get("X-Cache")).toBe("miss");
    expect(titlesIn(after.html, tag)).toEqual(["Delta"]);
  });

  it("sends values the category does not offer to the view without them, rendering and storing nothing for them", async () => {
    const { category } = await mugShelf();
    const purple = await page(`/c/${category.slug}?opt=Color:Purple&opt=Color:Blue&opt=Shape:Round&stock=1`);
    expect(purple.res.status).toBe(302);
    expect(purple.res.headers.get("Location")).toBe(`/c/${category.slug}?sort=featured&opt=Color%3ABlue&stock=1`);
    const again = await page(`/c/${category.slug}?opt=Color:Green&opt=Color:Teal`);
    expect(again.res.headers.get("Location")).toBe(`/c/${category.slug}?sort=featured&opt=Color%3AGreen`);
    // The category's values are cached data: a repeat costs no D1 query.
    expect(d1Queries(again.res)).toBe(0);
    const keys = await env.CATALOG_CACHE.list({ prefix: "page:" });
    expect(keys.keys.some((k) => /Purple|Teal|Round/.test(k.name))).toBe(false);
  });

  it("refuses malformed filters with a 400 problem", async () => {
    const { category } = await mugShelf();
    for (const query of [
      "opt=nocolon",
      "opt=:Blue",
      "price=7-9",
      "stock=yes",
      Array.from({ length: 13 }, (_, i) => `opt=Color:v${i}`).join("&"),
    ]) {
      const res = await call(`/c/${category.slug}?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.headers.get("Content-Type")).toContain("application/problem+json");
    }
  });
});

describe("search", () => {
  it("tolerates one typo in words of five letters or more, and says what it searched for", async () => {
    const product = await makeProduct({ title: `Porcelain Teapot ${unique("t")}` });
    for (const typo of ["porcelian", "porcelaine", "porcelan", "teapto"]) {
      const { html } = await page(`/search?q=${typo}`);
      expect(html, typo).toContain(product.title);
    }
    expect((await page("/search?q=porcelian")).html).toContain("Including results for “porcelain”");
    await makeProduct({ title: `Cup ${unique("c")}` });
    expect((await page("/search?q=cupp")).html).toContain("No products found");
  });

  it("makes at most one D1 query for a new search, none for a repeat", async () => {
    await makeProduct({ title: `Walnut Tray ${unique("w")}` });
    await page("/search?q=walnut"); // fills the category list and the vocabulary for this catalog version
    const fresh = await page("/search?q=walnut+tray");
    expect(fresh.res.headers.get("X-Cache")).toBe("miss");
    expect(d1Queries(fresh.res)).toBeLessThanOrEqual(1);
    const repeat = await page("/search?q=Walnut%20Tray");
    expect(d1Queries(repeat.res)).toBe(0);
  });

  it("filters search results by option and offers alternatives when nothing matches", async () => {
    const { tag } = await mugShelf();
    const blue = await page(`/search?q=${tag}&opt=Color:Blue`);
    expect(titlesIn(blue.html, tag).sort()).toEqual(["Alpha", "Beta"]);
    const none = await page(`/search?q=zzqxv${Date.now().toString(36)}`);
    expect(none.html).toContain("No products found");
    expect(none.html).toMatch(/<ul class="cats-grid">\s*<li><a href="\/c\//);
  });

  it("suggests products and categories for type-ahead, typos included", async () => {
    const category = await makeCategory({ name: `Glassware ${unique("g")}` });
    const product = await makeProduct({ title: `Glassware Carafe ${unique("c")}`, categoryIds: [category.id] });
    const res = await call("/api/search/suggest?q=glasswar");
    expect(res.status).toBe(200);
    const body = await res.json<{
      products: { title: string; slug: string; price: unknown; image: string | null }[];
      categories: { name: string; slug: string }[];
    }>();
    expect(body.products).toContainEqual({ title: product.title, slug: product.slug, price: usd(2500), image: null });
    expect(body.categories).toContainEqual({ name: category.name, slug: category.slug });
    const typo = await (await call("/api/search/suggest?q=glasswrae")).json<{ products: { slug: string }[] }>();
    expect(typo.products.map((p) => p.slug)).toContain(product.slug);
    expect(await (await call("/api/search/suggest?q=%20%20")).json()).toEqual({ products: [], categories: [] });
  });
});

describe("mini-cart", () => {
  it("keeps the item count in a readable cookie and confirms an add in place with the cart total", async () => {
    const product = await makeProduct({ title: `Count Jar ${unique("j")}` });
    const sku = product.variants[0]!.sku;
    await setStock(sku, 9);
    const browser = new Browser();
    const first = await browser.post("/cart/lines", { sku, quantity: "2" });
    expect(first.headers.get("Location")).toBe("/cart?notice=added");
    const cart = await browser.page("/cart?notice=added");
    expect(cart).toContain("Added to your cart.");
    expect(browser.cookies.get("cart_count")).toBe("2");

    const json = await browser.request("/cart/lines", {
      method: "POST",
      headers: { Origin: "https://shop.test", "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
      body: new URLSearchParams({ sku, quantity: "1" }).toString(),
    });
    expect(json.status).toBe(200);
    expect(await json.json()).toEqual({ count: 3, subtotal: usd(7500), title: product.title });
    const cookie = json.headers.getSetCookie().find((c) => c.startsWith("cart_count="))!;
    expect(cookie).toMatch(/^cart_count=3;/);
    expect(cookie).not.toMatch(/HttpOnly/);
  });
});

describe("product page choices", () => {
  async function tee() {
    const tag = unique("T").toUpperCase();
    const product = await makeProduct({
      title: `Harbour Tee ${tag}`,
      variants: [
        { sku: `${tag}-S-RED`, options: { size: "S", colour: "Red" }, price: usd(2000) },
        { sku: `${tag}-S-BLUE`, options: { size: "S", colour: "Blue" }, price: usd(2000) },
        { sku: `${tag}-M-RED`, options: { size: "M", colour: "Red" }, price: usd(2500) },
      ],
    });
    await setStock(`${tag}-S-RED`, 2);
    await setStock(`${tag}-M-RED`, 3);
    return { product, tag };
  }
  const choice = (html: string, value: string) =>
    new RegExp(`<a class="([^"]*)" href="([^"]*)"[^>]*>${value}(<span class="vh"> \\(([^)]*)\\)</span>)?</a>`).exec(html);

  it("shows each option's values as links to their variant, marking sold-out and missing combinations", async () => {
    const { product, tag } = await tee();
    const { html } = await page(`/p/${product.slug}?variant=${tag}-S-RED`);
    expect(choice(html, "Blue")?.[1]).toBe("choice sold-out");
    expect(choice(html, "Blue")?.[2]).toBe(`/p/${product.slug}?variant=${tag}-S-BLUE#buy`);
    expect(choice(html, "Blue")?.[4]).toBe("sold out");
    expect(choice(html, "M")?.[2]).toBe(`/p/${product.slug}?variant=${tag}-M-RED#buy`);
    expect(html).toMatch(/aria-current="true"[^>]*>S</);
    expect(html).toContain(`<input type="hidden" name="sku" value="${tag}-S-RED"/>`);

    const medium = await page(`/p/${product.slug}?variant=${tag}-M-RED`);
    expect(choice(medium.html, "Blue")?.[4]).toBe("not in this combination");
    expect(medium.html).toMatch(/<span class="price">\$25\.00<\/span>/);
  });

  it("follows the chosen variant's price and stock, and cannot add a sold-out choice", async () => {
    const { product, tag } = await tee();
    const red = await page(`/p/${product.slug}?variant=${tag}-S-RED`);
    expect(red.html).toMatch(/<span class="price">\$20\.00<\/span>/);
    expect(red.html).toContain("Only 2 left");
    const blue = await page(`/p/${product.slug}?variant=${tag}-S-BLUE`);
    expect(blue.html).toMatch(/<button class="add" type="submit" disabled="">/);
    expect(blue.html).toContain("Sold out");
  });
});

describe("product gallery and navigation hints", () => {
  async function withImages(count: number) {
    const product = await makeProduct({ title: `Gallery Vase ${unique("g")}` });
    const keys: string[] = [];
    for (let i = 0; i < count; i++) {
      const bytes = await encodePng(700, 700, (x, y) => [(x + i * 40) % 256, y % 256, (i * 90) % 256]);
      const res = await call("/admin/api/media", {
        method: "POST",
        headers: { ...ADMIN, "Content-Type": "application/octet-stream" },
        body: bytes,
      });
      keys.push((await res.json<{ key: string }>()).key);
    }
    const put = await callJson(
      `/admin/api/products/${product.id}/media`,
      "PUT",
      { items: keys.map((key) => ({ key, alt: "A vase" })) },
      ADMIN,
    );
    expect(put.status).toBe(200);
    return { product, keys };
  }

  it("shows every image with thumbnails, loads the first at high priority and preloads it from the response headers", async () => {
    const { product, keys } = await withImages(3);
    const { res, html } = await page(`/p/${product.slug}`);
    for (const [i, key] of keys.entries()) {
      expect(html).toContain(`id="image-${i + 1}"`);
      expect(html).toContain(`href="#image-${i + 1}" aria-label="Show image ${i + 1} of 3"`);
      expect(html).toContain(`/media/${key}?w=`);
    }
    expect(html.match(/fetchpriority="high"/g)).toHaveLength(1);
    expect(html.indexOf('fetchpriority="high"')).toBeLessThan(html.indexOf('id="image-2"'));
    expect(res.headers.get("Link")).toMatch(
      new RegExp(
        `^</assets/store\\.\\w+\\.css>; rel=preload; as=style, </media/${keys[0]}\\?w=640&format=auto>; rel=preload; as=image; fetchpriority=high; imagesrcset="`,
      ),
    );
    const again = await page(`/p/${product.slug}`);
    expect(again.res.headers.get("X-Cache")).toBe("hit");
    expect(again.res.headers.get("Link")).toBe(res.headers.get("Link"));
  });

  it("announces speculation rules that prefetch product and category links only", async () => {
    const product = await makeProduct();
    const { res } = await page(`/p/${product.slug}`);
    expect(res.headers.get("Speculation-Rules")).toBe('"/assets/speculation-rules.json"');
    const rules = await call("/assets/speculation-rules.json");
    expect(rules.headers.get("Content-Type")).toBe("application/speculationrules+json");
    expect(await rules.json()).toEqual({
      prefetch: [{ where: { or: [{ href_matches: "/p/*" }, { href_matches: "/c/*" }] }, eagerness: "moderate" }],
    });
  });
});

describe("the stylesheet", () => {
  const stylesheetOf = (html: string) => /<link rel="stylesheet" href="(\/assets\/store\.\w+\.css)"/.exec(html)?.[1];

  it("is one fingerprinted file every shopper page links, preloads from its headers and the CSP allows from this origin only", async () => {
    const product = await makeProduct();
    const hrefs = new Set<string>();
    for (const path of [`/p/${product.slug}`, "/search?q=mug", "/cart", "/pages/shipping", "/no-such-page"]) {
      const { res, html } = await page(path);
      const href = stylesheetOf(html);
      expect(href, path).toBeDefined();
      hrefs.add(href as string);
      expect(html, path).not.toMatch(/<style|\sstyle="/);
      expect(res.headers.get("Link"), path).toContain(`<${href}>; rel=preload; as=style`);
      expect(res.headers.get("Content-Security-Policy"), path).toContain("style-src 'self';");
    }
    expect(hrefs.size).toBe(1);
    const [href] = hrefs;
    const css = await call(href as string);
    expect(css.status).toBe(200);
    expect(css.headers.get("Content-Type")).toBe("text/css; charset=utf-8");
    expect(css.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
    expect(await css.text()).toContain("body{margin:0}");
    const again = await call(href as string, { headers: { "If-None-Match": css.headers.get("ETag") as string } });
    expect(again.status).toBe(304);
  });

  it("answers a page of another build with this build's stylesheet, which nobody keeps, and unknown files with a 404", async () => {
    const { html } = await page("/cart");
    const href = stylesheetOf(html) as string;
    const current = await (await call(href)).text();
    const other = await call("/assets/store.0ld0ne.css");
    expect(other.status).toBe(200);
    expect(other.headers.get("Cache-Control")).toBe("no-store");
    expect(other.headers.get("ETag")).toBe(`"${href.slice("/assets/".length)}"`);
    expect(await other.text()).toBe(current);
    for (const path of ["/assets/theme.0ld0ne.css", "/assets/constructor.0ld0ne.css", "/assets/store.css", "/assets/store.0ld0ne.js"]) {
      const res = await call(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get("Content-Type"), path).toContain("application/problem+json");
    }
  });

  it("is not announced on admin pages, which carry their own styles, nor on JSON", async () => {
    const res = await call("/admin", { headers: { Accept: "text/html", ...ADMIN } });
    expect(res.status).toBe(200);
    expect(res.headers.get("Link")).toBeNull();
    const product = await makeProduct();
    for (const path of [`/api/products/${product.slug}`, "/api/products?limit=2", "/api/search/suggest?q=mug"]) {
      const json = await call(path);
      expect(json.headers.get("Content-Type"), path).toContain("application/json");
      expect(json.headers.get("Link"), path).toBeNull();
    }
  });

  it("preloads the API reference's own stylesheet on the API reference", async () => {
    const res = await call("/docs", { headers: { Accept: "text/html" } });
    const href = /<link rel="stylesheet" href="(\/assets\/docs\.\w+\.css)"/.exec(await res.text())?.[1];
    expect(href).toBeDefined();
    expect(res.headers.get("Link")).toBe(`<${href}>; rel=preload; as=style`);
    expect(await (await call(href as string)).text()).toContain(".docs-nav");
  });
});
