import type { Context } from "hono";
import { configOf } from "../config";
import type { CategoryView, ProductSummary } from "../domain/catalog";
import { buildListing, NO_FILTERS, offeredOptions } from "../domain/listing";
import { Vocabulary } from "../domain/search-text";
import type { AppEnv } from "../env";
import { cachedData } from "../http/cached";
import { requestDb } from "../request-db";
import { loadCandidates, searchVocabulary } from "../services/catalog-listing";
import { categoryWithDescendants, listCategories } from "../services/catalog-query";

/** Every category with its product count, from the versioned cache (the same entry `/api/categories` serves). */
export async function shopCategories(c: Context<AppEnv>): Promise<CategoryView[]> {
  const data = await cachedData(c, "json:/api/categories", async () => ({ items: await listCategories(requestDb(c)) }));
  return data.items;
}

const vocabularies = new WeakMap<string[], Vocabulary>();

/** The catalog's words for typo corrections, from the versioned cache, indexed once per isolate. */
export async function shopVocabulary(c: Context<AppEnv>): Promise<Vocabulary> {
  const words = await cachedData(c, "data:search-vocabulary", () => searchVocabulary(requestDb(c)));
  let vocabulary = vocabularies.get(words);
  if (!vocabulary) {
    vocabulary = new Vocabulary(words);
    vocabularies.set(words, vocabulary);
  }
  return vocabulary;
}

/** The option values a category's products offer (its filters), from the versioned cache; undefined for an unknown category. */
export async function categoryOptions(c: Context<AppEnv>, slug: string): Promise<Record<string, string[]> | undefined> {
  const found = categoryWithDescendants(await shopCategories(c), slug);
  if (!found) return undefined;
  return cachedData(c, `data:options:/c/${slug}`, async () =>
    offeredOptions(await loadCandidates(requestDb(c), { categoryIds: found.ids }, new Date(), configOf(c.env).shopCurrency)),
  );
}

/** The shop's best sellers (newest when nothing sold yet), from the versioned cache. */
export async function bestSellers(c: Context<AppEnv>, limit: number): Promise<ProductSummary[]> {
  return cachedData(c, `data:best-sellers:${limit}`, async () => {
    const candidates = await loadCandidates(requestDb(c), {}, new Date(), configOf(c.env).shopCurrency);
    return buildListing(candidates, { filters: NO_FILTERS, sort: "best_selling", page: 1, limit }).items;
  });
}
