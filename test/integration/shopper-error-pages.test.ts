import { describe, expect, it } from "vitest";
import { makeCategory, makeProduct } from "../helpers/factories";
import { ADMIN, call, d1Queries } from "../helpers/worker";

const html = { Accept: "text/html" };

/** D1 that fails every statement (an outage). */
const brokenD1 = {
  prepare() {
    throw new Error("D1_ERROR: injected outage in table variants");
  },
  batch: () => Promise.reject(new Error("D1_ERROR: injected outage")),
  exec: () => Promise.reject(new Error("D1_ERROR: injected outage")),
  dump: () => Promise.reject(new Error("D1_ERROR: injected outage")),
  withSession() {
    throw new Error("D1_ERROR: injected outage");
  },
};

/** The main landmark's markup (the header's own search and category bar left out). */
const mainOf = (page: string) => /<main id="main">([\s\S]*)<\/main>/.exec(page)?.[1] ?? "";

describe("shopper error pages", () => {
  it("answers an unknown route with a page for shoppers: a heading, a labelled search box and the main categories", async () => {
    const category = await makeCategory({ name: "Lamps & Lights" });
    const res = await call("/no/such/page", { headers: html });
    expect(res.status).toBe(404);
    expect(res.headers.get("Content-Type")).toContain("text/html");
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const page = await res.text();
    expect(page).toContain("<title>Page not found · Edgefront Demo Shop</title>");
    expect(page).toContain('<meta name="robots" content="noindex"/>');
    const main = mainOf(page);
    expect(main).toContain("<h1>We can&#39;t find that page</h1>");
    expect(main).toMatch(/<form class="error-search" role="search" aria-label="Search the shop" action="\/search" method="get">/);
    // A visible label (not the visually hidden "skip" class the header's search uses).
    expect(main).toContain('<label for="error-q">Search for a product</label>');
    expect(main).toContain('<input id="error-q" type="search" name="q"/>');
    expect(main).toContain(`<a href="/c/${category.slug}">Lamps &amp; Lights</a>`);
    expect(page).not.toContain("Route");
    expect(page).not.toContain("GET /no/such/page");
    expect(page).not.toContain("Request id");
  });

  it("keeps the internal detail for API clients", async () => {
    const res = await call("/no/such/page");
    expect(res.headers.get("Content-Type")).toBe("application/problem+json");
    expect(await res.json()).toMatchObject({ status: 404, code: "not_found", detail: "Route 'GET /no/such/page' not found." });
  });

  it("speaks of products and categories in shopper words, never echoing what was looked up", async () => {
    const product = await (await call("/p/no-such-lamp", { headers: html })).text();
    expect(mainOf(product)).toContain("This product isn&#39;t in the shop any more");
    expect(product).not.toMatch(/Product '|no-such-lamp'|not found\./);
    const category = await (await call("/c/no-such-shelf", { headers: html })).text();
    expect(mainOf(category)).toContain("This category isn&#39;t in the shop any more");
    expect(category).not.toMatch(/Category '|not found\./);
  });

  it("reads the categories through the versioned cache: a repeat 404 costs no D1 query, and warms /api/categories", async () => {
    await makeProduct(); // a catalog write: nothing is cached under the new version yet
    const first = await call("/nothing-here", { headers: html });
    expect(first.status).toBe(404);
    expect(d1Queries(first)).toBeGreaterThan(0);
    const again = await call("/nothing-here-either", { headers: html });
    expect(again.status).toBe(404);
    expect(d1Queries(again)).toBe(0);
    const api = await call("/api/categories");
    expect(api.headers.get("X-Cache")).toBe("hit");
    expect(d1Queries(api)).toBe(0);
    const body = await api.json<{ items: { slug: string }[] }>();
    expect(Array.isArray(body.items)).toBe(true);
  });

  it("shows a server error as 'something went wrong on our side' with the request id for support, and no internal detail", async () => {
    const product = await makeProduct();
    await makeCategory(); // a fresh catalog version, so the product page must be rendered from D1
    const res = await call(`/p/${product.slug}`, { headers: html }, { DB: brokenD1 });
    expect(res.status).toBe(500);
    const page = await res.text();
    const requestId = res.headers.get("X-Request-Id") ?? "";
    expect(requestId).not.toBe("");
    const main = mainOf(page);
    expect(main).toContain("<h1>Something went wrong on our side</h1>");
    expect(main).toContain(`quote this reference: <code class="ref">${requestId}</code>`);
    expect(main).toContain('<label for="error-q">Search for a product</label>');
    expect(page).toContain("<title>Something went wrong · Edgefront Demo Shop</title>");
    expect(page).not.toMatch(/D1_ERROR|injected|variants|stack|Error:/);
  });

  it("still renders when the shop's own settings are what failed", async () => {
    const res = await call("/cart", { headers: html }, { SHOP_CURRENCY: "dollars", SESSION_SECRET: "" });
    expect(res.status).toBe(503);
    const page = await res.text();
    expect(mainOf(page)).toContain("<h1>Something went wrong on our side</h1>");
    expect(page).toContain("Prices in USD");
    expect(page).not.toMatch(/SESSION_SECRET|SHOP_CURRENCY|setting/);
  });

  it("keeps the admin's own error page, with its detail", async () => {
    const res = await call("/admin/no-such-screen", { headers: { ...ADMIN, ...html } });
    expect(res.status).toBe(404);
    const page = await res.text();
    expect(page).toContain("Back to the admin");
    expect(page).toContain("Route &#39;GET /admin/no-such-screen&#39; not found.");
    expect(page).not.toContain('class="error-search"');
  });

  it("lets other refusals keep their sentence for the shopper", async () => {
    const res = await call("/c/anything?page=abc", { headers: html });
    expect(res.status).toBe(400);
    const main = mainOf(await res.text());
    expect(main).toContain("<h1>That didn&#39;t work</h1>");
    expect(main).toContain('<label for="error-q">');
  });
});

describe("the error handler never fails", () => {
  it("renders a 404 page even when D1 is down and nothing is cached", async () => {
    await makeCategory();
    const res = await call("/gone-while-down", { headers: html }, { DB: brokenD1 });
    expect(res.status).toBe(404);
    const page = await res.text();
    expect(mainOf(page)).toContain("<h1>We can&#39;t find that page</h1>");
    expect(page).not.toContain("Popular categories");
  });
});
