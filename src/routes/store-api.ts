import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import { z } from "zod";
import { configOf } from "../config";
import { MAX_SLUG_LENGTH, SLUG_PATTERN } from "../domain/ids";
import { stockDisplay } from "../domain/stock";
import type { AppEnv } from "../env";
import { notFound } from "../errors";
import { cached, JSON_TYPE, uncached } from "../http/cached";
import { jsonBody, problems } from "../openapi/responses";
import { CategoryListSchema, ProductListSchema, PublicProductSchema } from "../openapi/store-schemas";
import { requestDb } from "../request-db";
import { categoryWithDescendants, getProduct, listCategories, listProducts } from "../services/catalog-query";
import { validate } from "../validation";
import { limitField, pageField, searchText, slugParam, sortField } from "./catalog-params";

const productsQuery = z.object({
  category: z.string().max(MAX_SLUG_LENGTH).regex(SLUG_PATTERN, "Must be a category slug.").optional(),
  q: searchText.min(1, "Search text must not be empty.").optional(),
  sort: sortField.optional(),
  page: pageField,
  limit: limitField(100, 24),
});

const doc = {
  products: describeRoute({
    tags: ["Catalog"],
    summary: "List published products",
    description: "Filter by category (sub-categories included), search by text, sort and page.",
    responses: { 200: jsonBody("One page of products.", ProductListSchema), ...problems(404) },
  }),
  product: describeRoute({
    tags: ["Catalog"],
    summary: "Get a published product",
    responses: { 200: jsonBody("The product with its variants and displayed stock.", PublicProductSchema), ...problems(404) },
  }),
  categories: describeRoute({
    tags: ["Catalog"],
    summary: "List categories",
    responses: { 200: jsonBody("Every category with its count of published products.", CategoryListSchema) },
  }),
};

/** The JSON store API (contract paths). Catalog reads are cached like pages. */
export const storeApi = new Hono<AppEnv>()
  .get("/products", doc.products, validate("query", productsQuery), async (c) => {
    const query = c.req.valid("query");
    const sort = query.sort ?? (query.q ? "relevance" : "newest");
    const load = async () => {
      const db = requestDb(c);
      let categoryIds: number[] | undefined;
      if (query.category) {
        const found = categoryWithDescendants(await listCategories(db), query.category);
        if (!found) throw notFound("Category", query.category);
        categoryIds = found.ids;
      }
      const result = await listProducts(
        db,
        { categoryIds, q: query.q, sort, page: query.page, limit: query.limit },
        configOf(c.env).shopCurrency,
      );
      return JSON.stringify(result);
    };
    // Free-text queries have unbounded keys; they are answered from D1 every time.
    if (query.q) return uncached(c, JSON_TYPE, await load());
    const key = `json:/api/products?category=${query.category ?? ""}&sort=${sort}&page=${query.page}&limit=${query.limit}`;
    return cached(c, key, JSON_TYPE, async () => ({ body: await load() }));
  })
  .get("/products/:slug", doc.product, validate("param", slugParam), (c) => {
    const { slug } = c.req.valid("param");
    return cached(c, `json:/api/products/${slug}`, JSON_TYPE, async () => {
      const product = await getProduct(requestDb(c), { slug });
      if (!product) throw notFound("Product", slug);
      const { status: _status, featured: _featured, variants, ...publicFields } = product;
      // Only what shoppers are shown: cached output changes exactly when the displayed stock does.
      const shown = variants.map(({ available, ...v }) => ({ ...v, available: available > 0, stock: stockDisplay(available) }));
      return { body: JSON.stringify({ ...publicFields, variants: shown }) };
    });
  })
  .get("/categories", doc.categories, (c) =>
    cached(c, "json:/api/categories", JSON_TYPE, async () => ({
      body: JSON.stringify({ items: await listCategories(requestDb(c)) }),
    })),
  );
