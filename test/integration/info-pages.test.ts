import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { INFO_PAGE_SLUGS } from "../../src/domain/info-pages";
import { flashOf, signedIn } from "../helpers/admin-session";
import { makeCategory } from "../helpers/factories";
import { runNamed } from "../helpers/jobs";
import { type ApiDocument, apiDocument, expectDocumented } from "../helpers/openapi";
import { ADMIN, call, callJson, d1Queries, VIEWER } from "../helpers/worker";

const SHOP = "Edgefront Demo Shop";
const html = { Accept: "text/html" };

let admin: ApiDocument;
beforeAll(async () => {
  admin = await apiDocument("admin");
});

// Pages are shared by every test of this file: each test leaves them showing their default text.
afterEach(async () => {
  for (const slug of INFO_PAGE_SLUGS) await call(`/admin/api/pages/${slug}`, { method: "DELETE", headers: ADMIN });
});

const page = async (slug: string) => {
  const res = await call(`/pages/${slug}`, { headers: html });
  expect(res.status, slug).toBe(200);
  return res.text();
};

const catalogVersion = () => env.CATALOG_CACHE.get("catalog:version");

const auditRows = async (slug: string) =>
  (
    await env.DB.prepare("select actor, action, changes from audit_log where entity = 'info_page' and entity_id = ? order by id")
      .bind(slug)
      .all<{ actor: string; action: string; changes: string | null }>()
  ).results;

const putPage = (slug: string, body: unknown, headers: Record<string, string> = ADMIN) =>
  callJson(`/admin/api/pages/${slug}`, "PUT", body, headers);

describe("info pages on the store", () => {
  it("shows a default text for each of the five pages, built from the shop settings, linked from every footer", async () => {
    const titles: Record<string, string> = {
      shipping: "Shipping",
      returns: "Returns",
      privacy: "Privacy",
      terms: "Terms of sale",
      contact: "Contact us",
    };
    for (const slug of INFO_PAGE_SLUGS) {
      const text = await page(slug);
      expect(text).toContain(`<h1>${titles[slug]}</h1>`);
      expect(text).toContain(`<link rel="canonical" href="https://shop.test/pages/${slug}"/>`);
      for (const other of INFO_PAGE_SLUGS) expect(text).toContain(`<a href="/pages/${other}">`);
    }
    expect(await page("shipping")).toContain("Prices are in USD.");
    expect(await page("privacy")).toContain(`${SHOP} keeps only what it needs`);
    const returns = await page("returns");
    expect(returns).toContain("You can return items within 30 days of delivery.");
    expect(returns).toMatch(/<ul><li>Open your order from the link in your order confirmation email.<\/li>/);
  });

  it("says the shop takes no returns when the return window is 0", async () => {
    const res = await call("/admin/api/pages/returns", { headers: ADMIN }, { RETURN_WINDOW_DAYS: "0" });
    const body = await res.json<{ body: string }>();
    expect(body.body).toContain(`${SHOP} does not take returns on orders.`);
    expect(body.body).not.toMatch(/\d+ days/);
  });

  it("answers 404 for any other slug, as HTML for browsers and problem+json otherwise", async () => {
    for (const slug of ["about", "Shipping", "__proto__", "constructor", "shipping.html", "x".repeat(300)]) {
      const res = await call(`/pages/${slug}`, { headers: html });
      expect(res.status, slug).toBe(404);
      expect(await res.text()).toContain("We can&#39;t find that page");
    }
    const api = await call("/pages/about");
    expect(api.status).toBe(404);
    expect(api.headers.get("Content-Type")).toBe("application/problem+json");
  });

  it("serves a repeat view from the cache with zero D1 queries", async () => {
    await makeCategory(); // a catalog write: the next view renders afresh
    const first = await call("/pages/terms", { headers: html });
    expect(first.headers.get("X-Cache")).toBe("miss");
    expect(d1Queries(first)).toBeGreaterThan(0);
    const second = await call("/pages/terms", { headers: html });
    expect(second.headers.get("X-Cache")).toBe("hit");
    expect(d1Queries(second)).toBe(0);
    expect(await second.text()).toBe(await first.text());
  });

  it("lists the info pages in the sitemap", async () => {
    await runNamed("product-feed-sitemap", new Date());
    const sitemap = await (await call("/sitemap.xml")).text();
    for (const slug of INFO_PAGE_SLUGS) expect(sitemap).toContain(`<loc>https://shop.test/pages/${slug}</loc>`);
  });
});

describe("info pages in the admin API", () => {
  it("lists the five pages in footer order with whether each was edited", async () => {
    expect((await putPage("privacy", { title: "Your data", body: "We keep little." })).status).toBe(200);
    const list = await expectDocumented<{ items: { slug: string; edited: boolean; updatedAt: string | null; path: string }[] }>(
      admin,
      "GET",
      "/admin/api/pages",
      await call("/admin/api/pages", { headers: ADMIN }),
      200,
    );
    expect(list.items.map((p) => p.slug)).toEqual([...INFO_PAGE_SLUGS]);
    expect(list.items.find((p) => p.slug === "privacy")).toMatchObject({ edited: true, path: "/pages/privacy" });
    expect(list.items.find((p) => p.slug === "privacy")?.updatedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(list.items.find((p) => p.slug === "terms")).toMatchObject({ edited: false, updatedAt: null });
  });

  it("edits a page: the next store view shows it, escaped, as paragraphs and a list; the write is audited", async () => {
    const before = await page("shipping");
    const version = await catalogVersion();
    const body = 'We ship <b>fast</b> & "free".\nSecond line.\n\n- One <script>alert(1)</script>\n- Two\n\nThe end.';
    const res = await putPage("shipping", { title: "  Delivery & <costs>  ", body });
    const saved = await expectDocumented<{ title: string; body: string; edited: boolean; updatedBy: string }>(
      admin,
      "PUT",
      "/admin/api/pages/{slug}",
      res,
      200,
    );
    expect(saved).toMatchObject({ title: "Delivery & <costs>", body, edited: true, updatedBy: "token:admin" });
    expect(await catalogVersion()).not.toBe(version);

    const after = await page("shipping");
    expect(after).not.toBe(before);
    expect(after).toContain("<h1>Delivery &amp; &lt;costs&gt;</h1>");
    expect(after).toContain("<p>We ship &lt;b&gt;fast&lt;/b&gt; &amp; &quot;free&quot;.<br/>Second line.</p>");
    expect(after).toContain("<ul><li>One &lt;script&gt;alert(1)&lt;/script&gt;</li><li>Two</li></ul>");
    expect(after).toContain("<p>The end.</p>");
    expect(after).not.toContain("<script>alert(1)");
    expect(after).not.toContain("<b>fast</b>");

    const read = await expectDocumented<{ body: string }>(
      admin,
      "GET",
      "/admin/api/pages/{slug}",
      await call("/admin/api/pages/shipping", { headers: ADMIN }),
      200,
    );
    expect(read.body).toBe(body);
    const rows = await auditRows("shipping");
    expect(rows.at(-1)).toMatchObject({ actor: "token:admin", action: "update" });
    expect(JSON.parse(rows.at(-1)?.changes ?? "{}")).toEqual({ title: "Delivery & <costs>", body });
  });

  it("refuses bad input with problem+json 400 naming the field, and changes nothing", async () => {
    expect((await putPage("terms", { title: "Our terms", body: "Be nice." })).status).toBe(200);
    const shown = await page("terms");
    const version = await catalogVersion();
    const audited = (await auditRows("terms")).length;
    const cases: [unknown, string][] = [
      [{ title: "x".repeat(121), body: "ok" }, "title"],
      [{ title: "ok", body: "x".repeat(20_001) }, "body"],
      [{ title: "   ", body: "ok" }, "title"],
      [{ title: "ok", body: "" }, "body"],
      [{ title: "ok" }, "body"],
      [{ title: 5, body: "ok" }, "title"],
      [{ title: "ok", body: "ok", html: "<b>x</b>" }, "(root)"],
    ];
    for (const [input, field] of cases) {
      const res = await putPage("terms", input);
      expect(res.status, JSON.stringify(input).slice(0, 80)).toBe(400);
      expect(res.headers.get("Content-Type")).toBe("application/problem+json");
      const problem = await res.json<{ code: string; errors: { field: string }[] }>();
      expect(problem.code).toBe("invalid_request");
      expect(problem.errors.map((e) => e.field)).toContain(field);
    }
    const notJson = await call("/admin/api/pages/terms", { method: "PUT", headers: { ...ADMIN, "Content-Type": "text/plain" }, body: "x" });
    expect(notJson.status).toBe(415);
    expect(await catalogVersion()).toBe(version);
    expect((await auditRows("terms")).length).toBe(audited);
    expect(await page("terms")).toBe(shown);
  });

  it("accepts a title of 120 characters and a body of 20,000", async () => {
    const res = await putPage("contact", { title: "t".repeat(120), body: "b".repeat(20_000) });
    expect(res.status).toBe(200);
  });

  it("restores the default text with DELETE, audited, and the store shows it again", async () => {
    expect((await putPage("contact", { title: "Write to us", body: "Anytime." })).status).toBe(200);
    expect(await page("contact")).toContain("<h1>Write to us</h1>");
    const version = await catalogVersion();
    const res = await call("/admin/api/pages/contact", { method: "DELETE", headers: ADMIN });
    const restored = await expectDocumented<{ title: string; edited: boolean }>(admin, "DELETE", "/admin/api/pages/{slug}", res, 200);
    expect(restored).toMatchObject({ title: "Contact us", edited: false });
    expect(await catalogVersion()).not.toBe(version);
    const shown = await page("contact");
    expect(shown).toContain("<h1>Contact us</h1>");
    expect(shown).not.toContain("Anytime.");
    expect((await auditRows("contact")).at(-1)).toMatchObject({ action: "restore", actor: "token:admin" });
  });

  it("answers 404 for an unknown page and denies callers without the right", async () => {
    expect((await call("/admin/api/pages/about", { headers: ADMIN })).status).toBe(404);
    expect((await putPage("about", { title: "About", body: "Us." })).status).toBe(404);
    expect((await call("/admin/api/pages")).status).toBe(401);
    expect((await putPage("terms", { title: "T", body: "B" }, {})).status).toBe(401);
    expect((await call("/admin/api/pages", { headers: VIEWER })).status).toBe(200);
    expect((await putPage("terms", { title: "T", body: "B" }, VIEWER)).status).toBe(403);
    expect((await call("/admin/api/pages/terms", { method: "DELETE", headers: VIEWER })).status).toBe(403);
    expect((await page("terms")).includes("<h1>T</h1>")).toBe(false);
  });
});

describe("info pages in the admin UI", () => {
  it("lists the pages from the navigation and edits one through the form with CSRF", async () => {
    const browser = await signedIn("staff");
    const audited = (await auditRows("returns")).length;
    const list = await (await browser.get("/admin/pages")).text();
    expect(list).toContain('<a href="/admin/pages" aria-current="page">Pages</a>');
    for (const slug of INFO_PAGE_SLUGS) expect(list).toContain(`href="/admin/pages/${slug}"`);

    const form = await (await browser.get("/admin/pages/returns")).text();
    expect(form).toMatch(/<form method="post" action="\/admin\/pages\/returns"[^>]*><input type="hidden" name="_csrf"/);
    expect(form).toContain('<label for="body">Text</label>');
    expect(form).toContain("You can return items within 30 days of delivery.");
    expect(form).not.toContain("Restore default");

    expect((await browser.post("/admin/pages/returns", { title: "Returns", body: "Nope." }, { csrf: false })).status).toBe(403);

    const refused = await browser.post("/admin/pages/returns", { title: "", body: "Typed text stays." });
    expect(refused.status).toBe(400);
    const again = await refused.text();
    expect(again).toMatch(/<span class="error" id="title-error">[^<]+<\/span>/);
    expect(again).toMatch(/id="title"[^>]*aria-invalid="true"/);
    expect(again).toContain("Typed text stays.");
    expect((await auditRows("returns")).length).toBe(audited);

    const saved = await browser.post("/admin/pages/returns", { title: "Returns & refunds", body: "Send it back within 14 days." });
    expect(saved.status).toBe(303);
    expect(saved.headers.get("Location")).toBe("/admin/pages/returns");
    expect(flashOf(saved)?.kind).toBe("ok");
    expect(await page("returns")).toContain("<p>Send it back within 14 days.</p>");
    expect((await auditRows("returns")).at(-1)).toMatchObject({ action: "update", actor: `staff:${browser.email}` });

    const edited = await (await browser.get("/admin/pages/returns")).text();
    expect(edited).toContain("Restore default");
    const restored = await browser.post("/admin/pages/returns/restore", {});
    expect(restored.status).toBe(303);
    expect(await page("returns")).toContain("You can return items within 30 days of delivery.");
  });

  it("shows viewers the text without a way to change it, and refuses their posts", async () => {
    const viewer = await signedIn("viewer");
    const form = await (await viewer.get("/admin/pages/privacy")).text();
    expect(form).toContain("readonly");
    expect(form).not.toContain("Save page");
    expect((await viewer.post("/admin/pages/privacy", { title: "Mine", body: "Mine." })).status).toBe(403);
    expect(await page("privacy")).not.toContain("<h1>Mine</h1>");
  });

  it("answers 404 in the admin for an unknown page", async () => {
    const browser = await signedIn("owner");
    const res = await browser.get("/admin/pages/about");
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("Back to the admin");
  });
});
