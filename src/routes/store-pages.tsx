import { Hono } from "hono";
import { z } from "zod";
import { configOf } from "../config";
import { MAX_SLUG_LENGTH, SLUG_PATTERN } from "../domain/ids";
import type { AppEnv } from "../env";
import { notFound } from "../errors";
import { cached, HTML, uncached } from "../http/cached";
import { requestDb } from "../request-db";
import { categoryTrail, categoryWithDescendants, getProduct, listCategories, listProducts } from "../services/catalog-query";
import { shopOf } from "../services/shop";
import { validate } from "../validation";
import { renderDocument } from "../views/document";
import { CategoryPage, SORT_LABELS } from "../views/pages/category";
import { HomePage } from "../views/pages/home";
import { ProductPage } from "../views/pages/product";
import { SearchPage } from "../views/pages/search";
import { pageField, searchText } from "./catalog-params";

const PAGE_SIZE = 24;
const FEATURED = 8;

const categorySort = z.enum(Object.keys(SORT_LABELS) as [keyof typeof SORT_LABELS]).default("newest");

/** Server-rendered store pages; every catalog view is served from the versioned cache. */
export const storePages = new Hono<AppEnv>()
  .get("/", (c) =>
    cached(c, "html:/", HTML, async () => {
      const db = requestDb(c);
      const currency = configOf(c.env).shopCurrency;
      const [categories, featured] = await Promise.all([
        listCategories(db),
        listProducts(db, { featured: true, sort: "newest", page: 1, limit: FEATURED }, currency),
      ]);
      const shown = featured.items.length
        ? featured.items
        : (await listProducts(db, { sort: "newest", page: 1, limit: FEATURED }, currency)).items;
      return { body: await renderDocument(<HomePage shop={shopOf(c.env)} categories={categories} featured={shown} />) };
    }),
  )
  .get("/c/:slug", validate("query", z.object({ page: pageField, sort: categorySort })), (c) => {
    const slug = c.req.param("slug");
    if (slug.length > MAX_SLUG_LENGTH || !SLUG_PATTERN.test(slug)) throw notFound("Category", slug);
    const { page, sort } = c.req.valid("query");
    return cached(c, `html:/c/${slug}?page=${page}&sort=${sort}`, HTML, async () => {
      const db = requestDb(c);
      const categories = await listCategories(db);
      const found = categoryWithDescendants(categories, slug);
      if (!found) throw notFound("Category", slug);
      const listing = await listProducts(db, { categoryIds: found.ids, sort, page, limit: PAGE_SIZE }, configOf(c.env).shopCurrency);
      if (page > 1 && listing.items.length === 0) throw notFound("Page", page);
      const page_ = (
        <CategoryPage
          shop={shopOf(c.env)}
          categories={categories}
          trail={categoryTrail(categories, found.category.id)}
          category={found.category}
          listing={listing}
          sort={sort}
        />
      );
      return { body: await renderDocument(page_) };
    });
  })
  .get("/p/:slug", validate("query", z.object({ variant: z.string().max(64).optional() })), (c) => {
    const slug = c.req.param("slug");
    if (slug.length > MAX_SLUG_LENGTH || !SLUG_PATTERN.test(slug)) throw notFound("Product", slug);
    const { variant } = c.req.valid("query");
    const key = `html:/p/${slug}${variant ? `?variant=${encodeURIComponent(variant)}` : ""}`;
    return cached(c, key, HTML, async () => {
      const db = requestDb(c);
      const [product, categories] = await Promise.all([getProduct(db, { slug }), listCategories(db)]);
      if (!product) throw notFound("Product", slug);
      const requested = variant ? product.variants.find((v) => v.sku === variant) : undefined;
      const selected = requested ?? product.variants.find((v) => v.available > 0) ?? product.variants[0];
      if (!selected) throw notFound("Product", slug);
      const primary = product.categories[0];
      const trail = primary ? categoryTrail(categories, primary.id) : [];
      const body = await renderDocument(
        <ProductPage shop={shopOf(c.env)} categories={categories} trail={trail} product={product} selected={selected} />,
      );
      // An unknown ?variant= renders the default, but is not worth a cache entry of its own.
      return { body, cacheable: !variant || requested !== undefined };
    });
  })
  .get("/search", validate("query", z.object({ q: searchText.default(""), page: pageField })), async (c) => {
    const { q, page } = c.req.valid("query");
    const db = requestDb(c);
    const [categories, listing] = await Promise.all([
      listCategories(db),
      q
        ? listProducts(db, { q, sort: "relevance", page, limit: PAGE_SIZE }, configOf(c.env).shopCurrency)
        : Promise.resolve({ items: [], page, limit: PAGE_SIZE, total: 0 }),
    ]);
    const body = await renderDocument(<SearchPage shop={shopOf(c.env)} categories={categories} q={q} listing={listing} />);
    return uncached(c, HTML, body);
  })
  .get("/robots.txt", (c) =>
    c.text(
      `User-agent: *\nAllow: /\nDisallow: /admin/\nDisallow: /api/\nDisallow: /cart\nDisallow: /checkout\nSitemap: ${new URL("/sitemap.xml", configOf(c.env).publicBaseUrl)}\n`,
      200,
      {
        "Cache-Control": "public, max-age=3600",
      },
    ),
  );
