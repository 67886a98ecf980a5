import { describe, expect, it } from "vitest";
import { makeCategory, makeProduct, unique } from "../helpers/factories";
import { call } from "../helpers/worker";

interface Listing {
  items: { slug: string; title: string; price: { amount: number; currency: string }; available: boolean }[];
  page: number;
  limit: number;
  total: number;
}

const listing = async (path: string) => {
  const res = await call(path);
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json<Listing>();
};

describe("GET /api/products", () => {
  it("pages through a category with a stable total", async () => {
    const category = await makeCategory();
    for (let i = 0; i < 5; i++) await makeProduct({ categoryIds: [category.id] });
    const first = await listing(`/api/products?category=${category.slug}&limit=2`);
    const third = await listing(`/api/products?category=${category.slug}&limit=2&page=3`);
    expect(first).toMatchObject({ page: 1, limit: 2, total: 5 });
    expect(first.items).toHaveLength(2);
    expect(third.items).toHaveLength(1);
    expect(third.items[0]!.slug).not.toBe(first.items[0]!.slug);
  });

  it("includes products of sub-categories when filtering by a parent", async () => {
    const parent = await makeCategory();
    const child = await makeCategory({ parentId: parent.id });
    const inChild = await makeProduct({ categoryIds: [child.id] });
    const result = await listing(`/api/products?category=${parent.slug}`);
    expect(result.items.map((i) => i.slug)).toContain(inChild.slug);
  });

  it("sorts by lowest variant price in both directions", async () => {
    const category = await makeCategory();
    const prices = [3000, 1000, 2000];
    for (const amount of prices) {
      await makeProduct({
        categoryIds: [category.id],
        variants: [
          { sku: unique("A"), price: { amount, currency: "USD" } },
          { sku: unique("B"), price: { amount: amount + 5000, currency: "USD" } },
        ],
      });
    }
    const asc = await listing(`/api/products?category=${category.slug}&sort=price_asc`);
    const desc = await listing(`/api/products?category=${category.slug}&sort=price_desc`);
    expect(asc.items.map((i) => i.price.amount)).toEqual([1000, 2000, 3000]);
    expect(desc.items.map((i) => i.price.amount)).toEqual([3000, 2000, 1000]);
    expect(asc.items[0]!.price.currency).toBe("USD");
  });

  it("sorts by name", async () => {
    const category = await makeCategory();
    for (const title of ["Zinc Tray", "apple Crate", "Maple Board"]) await makeProduct({ title, categoryIds: [category.id] });
    const result = await listing(`/api/products?category=${category.slug}&sort=name`);
    expect(result.items.map((i) => i.title)).toEqual(["apple Crate", "Maple Board", "Zinc Tray"]);
  });

  it("hides drafts and archived products", async () => {
    const category = await makeCategory();
    await makeProduct({ categoryIds: [category.id], status: "draft" });
    await makeProduct({ categoryIds: [category.id], status: "archived" });
    const visible = await makeProduct({ categoryIds: [category.id] });
    const result = await listing(`/api/products?category=${category.slug}`);
    expect(result.items.map((i) => i.slug)).toEqual([visible.slug]);
    expect(result.total).toBe(1);
  });

  it("rejects bad query values with per-field problem details", async () => {
    const res = await call("/api/products?limit=500&page=0&sort=cheapest");
    expect(res.status).toBe(400);
    expect(res.headers.get("Content-Type")).toBe("application/problem+json");
    const problem = await res.json<{ code: string; status: number; errors: { field: string; in: string }[] }>();
    expect(problem.code).toBe("invalid_request");
    expect(problem.status).toBe(400);
    expect(problem.errors.map((e) => e.field).sort()).toEqual(["limit", "page", "sort"]);
    expect(problem.errors.every((e) => e.in === "query")).toBe(true);
  });

  it("answers 404 problem+json for an unknown category", async () => {
    const res = await call("/api/products?category=no-such-category");
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: "not_found", status: 404 });
  });
});

describe("GET /api/products/:slug", () => {
  it("returns variants with sku, options, price and availability", async () => {
    const product = await makeProduct({
      variants: [
        { sku: unique("S"), options: { size: "S", colour: "Navy" }, price: { amount: 1500, currency: "USD" } },
        { sku: unique("L"), options: { size: "L", colour: "Navy" }, price: { amount: 1700, currency: "USD" } },
      ],
    });
    const res = await call(`/api/products/${product.slug}`);
    expect(res.status).toBe(200);
    const body = await res.json<{ slug: string; variants: Record<string, unknown>[]; status?: string }>();
    expect(body.slug).toBe(product.slug);
    expect(body.status).toBeUndefined();
    expect(body.variants).toHaveLength(2);
    expect(body.variants[0]).toMatchObject({
      options: { size: "S", colour: "Navy" },
      title: "S / Navy",
      price: { amount: 1500, currency: "USD" },
      available: false,
      stock: { status: "out_of_stock" },
    });
  });

  it("answers 404 for drafts and unknown slugs, 400 for malformed slugs", async () => {
    const draft = await makeProduct({ status: "draft" });
    expect((await call(`/api/products/${draft.slug}`)).status).toBe(404);
    expect((await call("/api/products/nothing-here")).status).toBe(404);
    const bad = await call("/api/products/Not_A_Slug");
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: "invalid_request", errors: [{ field: "slug", in: "param" }] });
  });
});

describe("GET /api/categories", () => {
  it("lists categories with parents and published product counts", async () => {
    const parent = await makeCategory({ name: "Kitchen" });
    const child = await makeCategory({ parentId: parent.id });
    await makeProduct({ categoryIds: [child.id] });
    await makeProduct({ categoryIds: [child.id], status: "draft" });
    const res = await call("/api/categories");
    const { items } = await res.json<{ items: { id: number; parentId: number | null; productCount: number }[] }>();
    expect(items.find((c) => c.id === child.id)).toMatchObject({ parentId: parent.id, productCount: 1 });
  });
});
