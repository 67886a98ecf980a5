import type { MediaRef, ProductSummary } from "./catalog";
import { currencyExponent } from "./money";

/** How category and search pages can be ordered (`relevance` only with a search). */
export const LISTING_SORTS = ["featured", "relevance", "newest", "best_selling", "price_asc", "price_desc", "name"] as const;
export type ListingSort = (typeof LISTING_SORTS)[number];

/** Price bands in whole units of the currency: `[from, to)`, the last one open. */
export const PRICE_BANDS = [
  { id: "0-10", from: 0, to: 10 },
  { id: "10-25", from: 10, to: 25 },
  { id: "25-50", from: 25, to: 50 },
  { id: "50-100", from: 50, to: 100 },
  { id: "100-250", from: 100, to: 250 },
  { id: "250-", from: 250, to: null },
] as const;
export type PriceBandId = (typeof PRICE_BANDS)[number]["id"];

/** At most this many filter values at once: keeps the cached key space small. */
export const MAX_FILTER_VALUES = 12;

/** One sellable variant as listings see it. */
export interface CandidateVariant {
  options: Record<string, string>;
  price: number;
  available: boolean;
}

/** A published product with what listings filter, count and sort by. */
export interface ListingCandidate {
  id: number;
  slug: string;
  title: string;
  brand: string | null;
  currency: string;
  publishedAt: number;
  featured: boolean;
  /** Units sold recently (best-selling order). */
  sold: number;
  image: MediaRef | null;
  variants: CandidateVariant[];
}

/** What a shopper narrowed a listing to, in canonical order. */
export interface ListingFilters {
  /** Option name → accepted values (a variant matches with any of them). */
  options: Record<string, string[]>;
  prices: PriceBandId[];
  inStock: boolean;
}

export interface FacetValue {
  value: string;
  count: number;
  selected: boolean;
}

/** Counts for every filter value, each counted with the other filters applied. */
export interface Facets {
  options: { name: string; values: FacetValue[] }[];
  prices: (FacetValue & { from: number; to: number | null })[];
  inStock: FacetValue;
}

/** One page of a filtered listing with its facets. */
export interface Listing {
  items: ProductSummary[];
  page: number;
  limit: number;
  total: number;
  facets: Facets;
}

export const NO_FILTERS: ListingFilters = { options: {}, prices: [], inStock: false };

/** Filters from query values (`opt=Color:Red`, `price=10-25`, `stock=1`), deduplicated and sorted. */
export function parseFilters(input: { opt?: string[]; price?: string[]; stock?: string }): ListingFilters | undefined {
  const options: Record<string, Set<string>> = {};
  let count = 0;
  for (const raw of input.opt ?? []) {
    const at = raw.indexOf(":");
    if (at <= 0 || at === raw.length - 1) return undefined;
    const name = raw.slice(0, at).trim();
    const value = raw.slice(at + 1).trim();
    if (!name || !value) return undefined;
    const values = options[name] ?? new Set<string>();
    values.add(value);
    options[name] = values;
  }
  const prices = [...new Set(input.price ?? [])];
  if (prices.some((p) => !PRICE_BANDS.some((b) => b.id === p))) return undefined;
  for (const values of Object.values(options)) count += values.size;
  if (count + prices.length > MAX_FILTER_VALUES) return undefined;
  return {
    options: Object.fromEntries(
      Object.keys(options)
        .sort()
        .map((name) => [name, [...(options[name] ?? [])].sort()]),
    ),
    prices: PRICE_BANDS.filter((b) => prices.includes(b.id)).map((b) => b.id),
    inStock: input.stock === "1",
  };
}

/** The filters as query parameters, in canonical order (also the cache key's filter part). */
export function filterParams(filters: ListingFilters): [string, string][] {
  const params: [string, string][] = [];
  for (const [name, values] of Object.entries(filters.options)) for (const v of values) params.push(["opt", `${name}:${v}`]);
  for (const p of filters.prices) params.push(["price", p]);
  if (filters.inStock) params.push(["stock", "1"]);
  return params;
}

/** Whether any filter is set. */
export function hasFilters(filters: ListingFilters): boolean {
  return filters.inStock || filters.prices.length > 0 || Object.keys(filters.options).length > 0;
}

type Dimension = { kind: "option"; name: string } | { kind: "price" } | { kind: "stock" };

function bandOf(price: number, currency: string): PriceBandId {
  const whole = price / 10 ** currencyExponent(currency);
  for (const b of PRICE_BANDS) if (whole >= b.from && (b.to === null || whole < b.to)) return b.id;
  return "0-10";
}

/** Whether a variant passes every filter except the one on `skip`. */
function variantMatches(v: CandidateVariant, currency: string, f: ListingFilters, skip?: Dimension): boolean {
  for (const [name, values] of Object.entries(f.options)) {
    if (skip?.kind === "option" && skip.name === name) continue;
    const own = v.options[name];
    if (own === undefined || !values.includes(own)) return false;
  }
  if (skip?.kind !== "price" && f.prices.length && !f.prices.includes(bandOf(v.price, currency))) return false;
  if (skip?.kind !== "stock" && f.inStock && !v.available) return false;
  return true;
}

function countFacets(candidates: ListingCandidate[], f: ListingFilters): Facets {
  const optionCounts = new Map<string, Map<string, Set<number>>>();
  const priceCounts = new Map<string, Set<number>>();
  const inStock = new Set<number>();
  for (const p of candidates) {
    for (const v of p.variants) {
      for (const [name, value] of Object.entries(v.options)) {
        const values = optionCounts.get(name) ?? new Map<string, Set<number>>();
        optionCounts.set(name, values);
        const ids = values.get(value) ?? new Set<number>();
        values.set(value, ids);
        if (variantMatches(v, p.currency, f, { kind: "option", name })) ids.add(p.id);
      }
      if (variantMatches(v, p.currency, f, { kind: "price" })) {
        const band = bandOf(v.price, p.currency);
        priceCounts.set(band, (priceCounts.get(band) ?? new Set()).add(p.id));
      }
      if (v.available && variantMatches(v, p.currency, f, { kind: "stock" })) inStock.add(p.id);
    }
  }
  const options = [...optionCounts.entries()]
    .filter(([name, values]) => values.size > 1 || f.options[name])
    .map(([name, values]) => ({
      name,
      values: [...values.entries()].map(([value, ids]) => ({
        value,
        count: ids.size,
        selected: f.options[name]?.includes(value) ?? false,
      })),
    }));
  const prices = PRICE_BANDS.map((b) => ({
    value: b.id,
    from: b.from,
    to: b.to,
    count: priceCounts.get(b.id)?.size ?? 0,
    selected: f.prices.includes(b.id),
  })).filter((b) => b.count > 0 || b.selected);
  return { options, prices, inStock: { value: "1", count: inStock.size, selected: f.inStock } };
}

/** Every option value the candidates' variants offer, by option name. */
export function offeredOptions(candidates: ListingCandidate[]): Record<string, string[]> {
  const offered: Record<string, Set<string>> = {};
  for (const p of candidates) {
    for (const v of p.variants) {
      for (const [name, value] of Object.entries(v.options)) {
        const values = offered[name] ?? new Set<string>();
        values.add(value);
        offered[name] = values;
      }
    }
  }
  return Object.fromEntries(Object.entries(offered).map(([name, values]) => [name, [...values]]));
}

/** The filters without option values that `offered` lacks (the same object when nothing is dropped). */
export function knownFilters(filters: ListingFilters, offered: Record<string, string[]>): ListingFilters {
  const options = Object.fromEntries(
    Object.entries(filters.options)
      .map(([name, values]) => [name, values.filter((v) => offered[name]?.includes(v))] as const)
      .filter(([, values]) => values.length > 0),
  );
  const dropped = Object.entries(filters.options).some(([name, values]) => (options[name]?.length ?? 0) !== values.length);
  return dropped ? { ...filters, options } : filters;
}

/** Whether every selected value is one the listing offers (only such views are worth caching). */
export function filtersKnown(facets: Facets, f: ListingFilters): boolean {
  for (const [name, values] of Object.entries(f.options)) {
    const facet = facets.options.find((o) => o.name === name);
    if (!facet || values.some((v) => !facet.values.some((fv) => fv.value === v))) return false;
  }
  return true;
}

const byNewest = (a: ListingCandidate, b: ListingCandidate) => b.publishedAt - a.publishedAt || b.id - a.id;
const fromPrices = new WeakMap<ListingCandidate, number>();

/** The lowest variant price, worked out once per candidate (sorts ask for it many times). */
function fromPrice(p: ListingCandidate): number {
  let price = fromPrices.get(p);
  if (price === undefined) {
    price = p.variants.reduce((low, v) => Math.min(low, v.price), Number.POSITIVE_INFINITY);
    fromPrices.set(p, price);
  }
  return price;
}

const COMPARE: Record<Exclude<ListingSort, "relevance">, (a: ListingCandidate, b: ListingCandidate) => number> = {
  featured: (a, b) => Number(b.featured) - Number(a.featured) || byNewest(a, b),
  newest: byNewest,
  best_selling: (a, b) => b.sold - a.sold || byNewest(a, b),
  price_asc: (a, b) => fromPrice(a) - fromPrice(b) || a.id - b.id,
  price_desc: (a, b) => fromPrice(b) - fromPrice(a) || b.id - a.id,
  name: (a, b) => a.title.localeCompare(b.title, "en", { sensitivity: "base" }) || a.id - b.id,
};

/** The tile a listing shows for a candidate. */
export function summaryOf(p: ListingCandidate): ProductSummary {
  const price = p.variants.length ? fromPrice(p) : 0;
  return {
    id: p.id,
    slug: p.slug,
    title: p.title,
    brand: p.brand,
    price: { amount: price, currency: p.currency },
    available: p.variants.some((v) => v.available),
    image: p.image,
  };
}

/**
 * Filters, counts, sorts and pages candidates (given in relevance order for searches). Facet counts
 * are disjunctive: each dimension is counted with every other filter applied.
 */
export function buildListing(
  candidates: ListingCandidate[],
  query: { filters: ListingFilters; sort: ListingSort; page: number; limit: number },
): Listing {
  const { filters, sort, page, limit } = query;
  const matching = candidates.filter((p) => p.variants.some((v) => variantMatches(v, p.currency, filters)));
  const ordered = sort === "relevance" ? matching : [...matching].sort(COMPARE[sort]);
  const start = (page - 1) * limit;
  return {
    items: ordered.slice(start, start + limit).map(summaryOf),
    page,
    limit,
    total: matching.length,
    facets: countFacets(candidates, filters),
  };
}
