import type { Context } from "hono";
import { configOf } from "../config";
import type { CategoryView, ProductSummary } from "../domain/catalog";
import { buildListing, type ListingCandidate, NO_FILTERS, offeredOptions } from "../domain/listing";
import { Vocabulary } from "../domain/search-text";
import type { AppEnv } from "../env";
import { cachedData } from "../http/cached";
import { MAX_ENTRY_CHARS } from "../http/hot-cache";
import { requestDb } from "../request-db";
import { loadCandidates, MAX_CANDIDATES, rankedMatches, searchVocabulary } from "../services/catalog-listing";
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
    const candidates =
      (await catalogSnapshot(c))?.all ?? (await loadCandidates(requestDb(c), {}, new Date(), configOf(c.env).shopCurrency));
    return buildListing(candidates, { filters: NO_FILTERS, sort: "best_selling", page: 1, limit }).items;
  });
}

interface Snapshot {
  all: ListingCandidate[];
  byId: Map<number, ListingCandidate>;
}

const snapshots = new WeakMap<ListingCandidate[], Snapshot>();

/**
 * Every published product as listings see it, from the versioned cache and indexed once per isolate;
 * undefined for a catalog at the listing limit or too big for the isolate's memory (searches then ask D1).
 */
async function catalogSnapshot(c: Context<AppEnv>): Promise<Snapshot | undefined> {
  const all = await cachedData(c, "data:catalog-snapshot", async () => {
    const candidates = await loadCandidates(requestDb(c), {}, new Date(), configOf(c.env).shopCurrency);
    const fits = candidates.length < MAX_CANDIDATES && JSON.stringify(candidates).length <= MAX_ENTRY_CHARS;
    return fits ? candidates : null;
  });
  if (!all) return undefined;
  let snapshot = snapshots.get(all);
  if (!snapshot) {
    snapshot = { all, byId: new Map(all.map((p) => [p.id, p])) };
    snapshots.set(all, snapshot);
  }
  return snapshot;
}

/** Published products matching a MATCH expression, best first: D1 ranks them, the catalog snapshot describes them. */
export async function searchCandidates(c: Context<AppEnv>, match: string, categoryIds?: number[]): Promise<ListingCandidate[]> {
  const db = requestDb(c);
  const snapshot = categoryIds ? undefined : await catalogSnapshot(c);
  if (!snapshot) return loadCandidates(db, { categoryIds, match }, new Date(), configOf(c.env).shopCurrency);
  return (await rankedMatches(db, match)).flatMap((id) => snapshot.byId.get(id) ?? []);
}
