import { Hono } from "hono";
import { z } from "zod";
import { configOf } from "../config";
import { MAX_SLUG_LENGTH, SLUG_PATTERN } from "../domain/ids";
import { buildListing, filterParams, filtersKnown, knownFilters } from "../domain/listing";
import { normaliseQuery, planSearch } from "../domain/search-text";
import type { AppEnv } from "../env";
import { notFound } from "../errors";
import { cached, HTML } from "../http/cached";
import { requestDb } from "../request-db";
import { loadCandidates } from "../services/catalog-listing";
import { categoryTrail, categoryWithDescendants, getProduct, listCategories, listProducts } from "../services/catalog-query";
import { recommendedFor } from "../services/recommendations";
import { productReviews } from "../services/reviews";
import { shopOf } from "../services/shop";
import { validate } from "../validation";
import { renderDocument } from "../views/document";
import { listingHref } from "../views/listing-filters";
import { CATEGORY_SORTS, CategoryPage, SEARCH_SORTS } from "../views/pages/category";
import { HomePage } from "../views/pages/home";
import { heroPreload, ProductPage } from "../views/pages/product";
import { SearchPage } from "../views/pages/search";
import { bestSellers, categoryOptions, searchCandidates, shopCategories, shopVocabulary } from "./catalog-data";
import { filterFields, listingFilters, pageField, searchText } from "./catalog-params";

const PAGE_SIZE = 24;
const FEATURED = 8;

const categorySort = z.enum(CATEGORY_SORTS).default("featured");
const searchSort = z.enum(SEARCH_SORTS).default("relevance");

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
  .get("/c/:slug", validate("query", z.object({ page: pageField, sort: categorySort, ...filterFields })), async (c) => {
    const slug = c.req.param("slug");
    if (slug.length > MAX_SLUG_LENGTH || !SLUG_PATTERN.test(slug)) throw notFound("Category", slug);
    const { page, sort, ...raw } = c.req.valid("query");
    const filters = listingFilters(raw);
    if (Object.keys(filters.options).length) {
      // Values the category does not offer (an old link, a typo, a crawler's invention) go to the view
      // without them: no page is rendered or stored for them, and the check reads only cached data.
      const offered = await categoryOptions(c, slug);
      const known = offered && knownFilters(filters, offered);
      if (known && known !== filters) return c.redirect(listingHref([], `/c/${slug}`, sort, known, page), 302);
    }
    const query = new URLSearchParams([["sort", sort], ["page", String(page)], ...filterParams(filters)]);
    return cached(c, `html:/c/${slug}?${query}`, HTML, async () => {
      const categories = await shopCategories(c);
      const found = categoryWithDescendants(categories, slug);
      if (!found) throw notFound("Category", slug);
      const candidates = await loadCandidates(requestDb(c), { categoryIds: found.ids }, new Date(), configOf(c.env).shopCurrency);
      const listing = buildListing(candidates, { filters, sort, page, limit: PAGE_SIZE });
      if (page > 1 && listing.items.length === 0) throw notFound("Page", page);
      const page_ = (
        <CategoryPage
          shop={shopOf(c.env)}
          categories={categories}
          trail={categoryTrail(categories, found.category.id)}
          category={found.category}
          listing={listing}
          sort={sort}
          filters={filters}
        />
      );
      // Only filter values the category offers get a cache entry: the stored key space stays bounded.
      return { body: await renderDocument(page_), cacheable: filtersKnown(listing.facets, filters) };
    });
  })
  .get("/p/:slug", validate("query", z.object({ variant: z.string().max(64).optional() })), (c) => {
    const slug = c.req.param("slug");
    if (slug.length > MAX_SLUG_LENGTH || !SLUG_PATTERN.test(slug)) throw notFound("Product", slug);
    const { variant } = c.req.valid("query");
    const key = `html:/p/${slug}${variant ? `?variant=${encodeURIComponent(variant)}` : ""}`;
    return cached(c, key, HTML, async () => {
      const db = requestDb(c);
      const [product, categories] = await Promise.all([getProduct(db, { slug }), shopCategories(c)]);
      if (!product) throw notFound("Product", slug);
      const [recommended, reviews] = await Promise.all([
        recommendedFor(db, product.id, configOf(c.env).shopCurrency),
        productReviews(db, product.id),
      ]);
      const requested = variant ? product.variants.find((v) => v.sku === variant) : undefined;
      const selected = requested ?? product.variants.find((v) => v.available > 0) ?? product.variants[0];
      if (!selected) throw notFound("Product", slug);
      const primary = product.categories[0];
      const trail = primary ? categoryTrail(categories, primary.id) : [];
      const body = await renderDocument(
        <ProductPage
          shop={shopOf(c.env)}
          categories={categories}
          trail={trail}
          product={product}
          selected={selected}
          recommended={recommended}
          reviews={reviews}
        />,
      );
      // An unknown ?variant= renders the default, but is not worth a cache entry of its own.
      return { body, cacheable: !variant || requested !== undefined, link: heroPreload(product) };
    });
  })
  .get("/search", validate("query", z.object({ q: searchText.default(""), page: pageField, sort: searchSort, ...filterFields })), (c) => {
    const { q, page, sort, ...raw } = c.req.valid("query");
    const filters = listingFilters(raw);
    const normal = normaliseQuery(q);
    const query = new URLSearchParams([["q", normal], ["sort", sort], ["page", String(page)], ...filterParams(filters)]);
    const render = async () => {
      const categories = await shopCategories(c);
      const shop = shopOf(c.env);
      if (!normal) return { body: await renderDocument(<SearchPage shop={shop} categories={categories} q={q} />) };
      const plan = planSearch(q, await shopVocabulary(c));
      const candidates = plan ? await searchCandidates(c, plan.match) : [];
      const listing = buildListing(candidates, { filters, sort, page, limit: PAGE_SIZE });
      const alternatives = listing.total === 0 ? await bestSellers(c, 4) : [];
      const body = await renderDocument(
        <SearchPage
          shop={shop}
          categories={categories}
          q={q}
          result={{ listing, sort, filters, corrected: plan?.corrected ?? [], alternatives }}
        />,
      );
      return { body, cacheable: filtersKnown(listing.facets, filters) };
    };
    // Search keys are unbounded: kept in the location's edge cache, never in KV.
    return cached(c, `html:/search?${query}`, HTML, render, "edge");
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
