import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { makeCategory, makeProduct, unique } from "../helpers/factories";
import { ADMIN, call, callJson } from "../helpers/worker";

const productCount = async () => (await env.DB.prepare("select count(*) as n from products").first<{ n: number }>())!.n;
const variantCount = async () => (await env.DB.prepare("select count(*) as n from variants").first<{ n: number }>())!.n;

describe("admin products", () => {
  it("creates a product with variants and categories, deriving a slug from the title", async () => {
    const category = await makeCategory();
    const sku = unique("MUG");
    const res = await callJson("/admin/api/products", "POST", {
      title: "Crème Brûlée Mug",
      status: "published",
      categoryIds: [category.id],
      variants: [{ sku, options: { colour: "Oat" }, price: { amount: 1800, currency: "USD" }, weightGrams: 350 }],
    });
    expect(res.status).toBe(201);
    const product = await res.json<{ id: number; slug: string; categories: { id: number }[]; variants: { sku: string }[] }>();
    expect(res.headers.get("Location")).toBe(`/admin/api/products/${product.id}`);
    expect(product.slug).toMatch(/^creme-brulee-mug/);
    expect(product.categories.map((c) => c.id)).toEqual([category.id]);
    expect(product.variants.map((v) => v.sku)).toEqual([sku]);
    expect((await call(`/p/${product.slug}`)).status).toBe(200);
  });

  it("rejects invalid input with per-field errors and writes nothing", async () => {
    const before = await productCount();
    const res = await callJson("/admin/api/products", "POST", {
      title: "",
      slug: "Bad Slug",
      variants: [{ sku: "ok-1", price: { amount: 19.99, currency: "usd" } }],
      colour: "extra field",
    });
    expect(res.status).toBe(400);
    const problem = await res.json<{ errors: { field: string }[] }>();
    const fields = problem.errors.map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(["title", "slug", "variants.0.price.amount", "variants.0.price.currency"]));
    expect(await productCount()).toBe(before);
  });

  it("rejects malformed JSON with 400 problem+json", async () => {
    const res = await call("/admin/api/products", {
      method: "POST",
      headers: { ...ADMIN, "Content-Type": "application/json" },
      body: "{not json",
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("Content-Type")).toBe("application/problem+json");
  });

  it("answers 409 for a taken slug or SKU and leaves no partial product behind", async () => {
    const existing = await makeProduct();
    const products = await productCount();
    const variants = await variantCount();
    const slugClash = await callJson("/admin/api/products", "POST", {
      slug: existing.slug,
      title: "Clash",
      variants: [{ sku: unique("NEW"), price: { amount: 100, currency: "USD" } }],
    });
    expect(slugClash.status).toBe(409);
    expect(await slugClash.json()).toMatchObject({ code: "slug_taken" });
    const skuClash = await callJson("/admin/api/products", "POST", {
      title: "Clash Two",
      variants: [
        { sku: unique("FRESH"), price: { amount: 100, currency: "USD" } },
        { sku: existing.variants[0]!.sku, price: { amount: 100, currency: "USD" } },
      ],
    });
    expect(skuClash.status).toBe(409);
    expect(await skuClash.json()).toMatchObject({ code: "sku_taken" });
    expect(await productCount()).toBe(products);
    expect(await variantCount()).toBe(variants);
  });

  it("creates exactly one product when the same slug is submitted concurrently", async () => {
    const slug = unique("race");
    const attempts = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        callJson("/admin/api/products", "POST", {
          slug,
          title: `Race ${i}`,
          variants: [{ sku: unique(`R${i}`), price: { amount: 100, currency: "USD" } }],
        }),
      ),
    );
    const statuses = attempts.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(7);
    const rows = await env.DB.prepare("select count(*) as n from products where slug = ?").bind(slug).first<{ n: number }>();
    expect(rows!.n).toBe(1);
  });

  it("rejects a price in another currency than the shop's", async () => {
    const res = await callJson("/admin/api/products", "POST", {
      title: "Euro Thing",
      variants: [{ sku: unique("EUR"), price: { amount: 100, currency: "EUR" } }],
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: "currency_mismatch" });
  });

  it("publishes a draft, stamping publishedAt once", async () => {
    const draft = await makeProduct({ status: "draft" });
    expect((await call(`/p/${draft.slug}`)).status).toBe(404);
    const res = await callJson(`/admin/api/products/${draft.id}`, "PATCH", { status: "published" });
    const published = await res.json<{ publishedAt: string | null }>();
    expect(published.publishedAt).not.toBeNull();
    expect((await call(`/p/${draft.slug}`)).status).toBe(200);
  });

  it("archives on DELETE: gone from the store, kept for the admin", async () => {
    const product = await makeProduct();
    const res = await call(`/admin/api/products/${product.id}`, { method: "DELETE", headers: ADMIN });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "archived" });
    expect((await call(`/p/${product.slug}`)).status).toBe(404);
    expect((await call(`/api/products/${product.slug}`)).status).toBe(404);
    expect((await call(`/admin/api/products/${product.id}`, { headers: ADMIN })).status).toBe(200);
  });

  it("answers 404 for unknown product ids and 400 for non-numeric ones", async () => {
    expect((await callJson("/admin/api/products/999999", "PATCH", { title: "x" })).status).toBe(404);
    expect((await callJson("/admin/api/products/abc", "PATCH", { title: "x" })).status).toBe(400);
  });

  it("lists products of every status, filtered by status and text", async () => {
    const draft = await makeProduct({ status: "draft", title: `Listable ${unique("d")}` });
    const res = await call(`/admin/api/products?status=draft&q=${encodeURIComponent(draft.title)}`, { headers: ADMIN });
    const body = await res.json<{ items: { id: number; status: string }[]; total: number }>();
    expect(body.items.map((i) => i.id)).toEqual([draft.id]);
    expect(body.items[0]!.status).toBe("draft");
  });
});

describe("admin variants", () => {
  it("adds, updates and deletes variants, but never the last one", async () => {
    const product = await makeProduct();
    const sku = unique("ADD");
    const added = await callJson(`/admin/api/products/${product.id}/variants`, "POST", {
      sku,
      options: { size: "XL" },
      price: { amount: 2700, currency: "USD" },
    });
    expect(added.status).toBe(201);
    expect((await added.json<{ variants: unknown[] }>()).variants).toHaveLength(2);

    const updated = await callJson(`/admin/api/variants/${sku}`, "PATCH", {
      price: { amount: 2600, currency: "USD" },
      compareAtPrice: { amount: 3200, currency: "USD" },
    });
    const body = await updated.json<{ variants: { sku: string; price: { amount: number }; compareAtPrice: { amount: number } }[] }>();
    expect(body.variants.find((v) => v.sku === sku)).toMatchObject({ price: { amount: 2600 }, compareAtPrice: { amount: 3200 } });

    expect((await call(`/admin/api/variants/${sku}`, { method: "DELETE", headers: ADMIN })).status).toBe(200);
    const last = await call(`/admin/api/variants/${product.variants[0]!.sku}`, { method: "DELETE", headers: ADMIN });
    expect(last.status).toBe(409);
    expect(await last.json()).toMatchObject({ code: "last_variant" });
  });

  it("answers 404 for an unknown SKU", async () => {
    const res = await callJson("/admin/api/variants/NOPE-404", "PATCH", { weightGrams: 10 });
    expect(res.status).toBe(404);
  });
});

describe("admin categories", () => {
  it("creates, renames, moves and deletes categories", async () => {
    const parent = await makeCategory();
    const child = await makeCategory();
    const moved = await callJson(`/admin/api/categories/${child.id}`, "PATCH", { parentId: parent.id, name: "Moved" });
    expect(await moved.json()).toMatchObject({ parentId: parent.id, name: "Moved" });

    const blocked = await call(`/admin/api/categories/${parent.id}`, { method: "DELETE", headers: ADMIN });
    expect(blocked.status).toBe(409);
    expect(await blocked.json()).toMatchObject({ code: "category_has_children" });

    expect((await call(`/admin/api/categories/${child.id}`, { method: "DELETE", headers: ADMIN })).status).toBe(204);
    expect((await call(`/admin/api/categories/${parent.id}`, { method: "DELETE", headers: ADMIN })).status).toBe(204);
    expect((await call(`/admin/api/categories/${parent.id}`, { headers: ADMIN })).status).toBe(404);
  });

  it("refuses to put a category below its own descendant", async () => {
    const top = await makeCategory();
    const middle = await makeCategory({ parentId: top.id });
    const bottom = await makeCategory({ parentId: middle.id });
    const res = await callJson(`/admin/api/categories/${top.id}`, "PATCH", { parentId: bottom.id });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ code: "category_cycle" });
  });

  it("rejects products linked to unknown categories", async () => {
    const res = await callJson("/admin/api/products", "POST", {
      title: "Orphan",
      categoryIds: [987654],
      variants: [{ sku: unique("ORPH"), price: { amount: 100, currency: "USD" } }],
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: "unknown_category", errors: [{ field: "categoryIds" }] });
  });
});

describe("audit log", () => {
  it("records one row per write with actor and request id", async () => {
    const product = await makeProduct();
    await callJson(`/admin/api/products/${product.id}`, "PATCH", { featured: true });
    const res = await call(`/admin/api/audit?entity=product&entityId=${product.id}`, { headers: ADMIN });
    const { items } = await res.json<{ items: { action: string; actor: string; requestId: string | null }[] }>();
    expect(items.map((i) => i.action)).toEqual(["update", "create"]);
    expect(items.every((i) => i.actor === "token:admin" && i.requestId)).toBe(true);
  });
});
