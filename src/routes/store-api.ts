import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import { z } from "zod";
import { configOf } from "../config";
import { MAX_SLUG_LENGTH, SLUG_PATTERN } from "../domain/ids";
import { buildListing, NO_FILTERS } from "../domain/listing";
import { normaliseQuery, planSearch, searchTokens } from "../domain/search-text";
import { stockDisplay } from "../domain/stock";
import type { AppEnv } from "../env";
import { notFound } from "../errors";
import { cached, JSON_TYPE } from "../http/cached";
import { jsonBody, problems } from "../openapi/responses";
import { CategoryListSchema, ProductListSchema, PublicProductSchema, SuggestionsSchema } from "../openapi/store-schemas";
import { requestDb } from "../request-db";
import { suggestProducts } from "../services/catalog-listing";
import { categoryWithDescendants, getProduct, listCategories, listProducts } from "../services/catalog-query";
import { validate } from "../validation";
import { searchCandidates, shopCategories, shopVocabulary } from "./catalog-data";
import { limitField, pageField, searchText, slugParam, sortField } from "./catalog-params";

const productsQuery = z.object({
  category: z.string().max(MAX_SLUG_LENGTH).regex(SLUG_PATTERN, "Must be a category slug.").optional(),
  q: searchText.min(1, "Search text must not be empty.").optional(),
  sort: sortField.optional(),
  page: pageField,
  limit: limitField(100, 24),
});

const SUGGESTED_PRODUCTS = 6;
const SUGGESTED_CATEGORIES = 3;

const doc = {
  suggest: describeRoute({
    tags: ["Catalog"],
    summary: "Search suggestions",
    description: "Products and categories for type-ahead; tolerates one typo in words of five letters or more.",
    responses: { 200: jsonBody("Up to six products and three categories.", SuggestionsSchema) },
  }),
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
      const currency = configOf(c.env).shopCurrency;
      if (!query.q) return JSON.stringify(await listProducts(db, { categoryIds, sort, page: query.page, limit: query.limit }, currency));
      // The same search as the search page: typo-tolerant, one D1 query for the candidates.
      const plan = planSearch(query.q, await shopVocabulary(c));
      const candidates = plan ? await searchCandidates(c, plan.match, categoryIds) : [];
      const { facets: _facets, ...page } = buildListing(candidates, { filters: NO_FILTERS, sort, page: query.page, limit: query.limit });
      return JSON.stringify(page);
    };
    const key = `json:/api/products?category=${query.category ?? ""}&q=${normaliseQuery(query.q ?? "")}&sort=${sort}&page=${query.page}&limit=${query.limit}`;
    // Free-text queries have unbounded keys: the location's edge cache keeps them, KV never does.
    return cached(c, key, JSON_TYPE, async () => ({ body: await load() }), query.q ? "edge" : "kv");
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
  .get("/search/suggest", doc.suggest, validate("query", z.object({ q: searchText.default("") })), (c) => {
    const { q } = c.req.valid("query");
    const words = searchTokens(q);
    if (!words.length) return Response.json({ products: [], categories: [] });
    return cached(
      c,
      `json:/api/search/suggest?q=${words.join(" ")}`,
      JSON_TYPE,
      async () => {
        const [vocabulary, categories] = await Promise.all([shopVocabulary(c), shopCategories(c)]);
        const plan = planSearch(q, vocabulary);
        const products = plan ? await suggestProducts(requestDb(c), plan.match, SUGGESTED_PRODUCTS) : [];
        const named = categories.filter((cat) => {
          const own = searchTokens(cat.name);
          return cat.productCount > 0 && words.every((w) => own.some((o) => o.startsWith(w)));
        });
        const body = {
          products: products.map((p) => ({
            title: p.title,
            slug: p.slug,
            price: p.price,
            image: p.image ? `/media/${p.image.key}?w=160&format=auto` : null,
          })),
          categories: named.slice(0, SUGGESTED_CATEGORIES).map((cat) => ({ name: cat.name, slug: cat.slug })),
        };
        return { body: JSON.stringify(body) };
      },
      "edge",
    );
  })
  .get("/categories", doc.categories, (c) =>
    cached(c, "json:/api/categories", JSON_TYPE, async () => ({
      body: JSON.stringify({ items: await listCategories(requestDb(c)) }),
    })),
  );
