import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../db";
import { MAIN_IMAGE } from "../db/product-summary";
import type { MediaRef } from "../domain/catalog";
import type { CandidateVariant, ListingCandidate } from "../domain/listing";
import { catalogWords } from "../domain/search-text";

/** The most products a category listing filters and sorts. */
export const MAX_CANDIDATES = 2_000;
/** A search keeps its best-ranked products only: past a few hundred, nobody pages through relevance. */
export const MAX_SEARCH_CANDIDATES = 500;
/** Best-selling order counts units sold in this many days. */
const BEST_SELLING_DAYS = 90;
const DAY_MS = 86_400_000;

interface CandidateRow {
  id: number;
  slug: string;
  title: string;
  brand: string | null;
  published_at: number | null;
  featured: number;
  sold: number | null;
  image: string | null;
  variants: string;
}

/** The one statement that loads a listing's candidates. */
function candidateStatement(scope: { categoryIds?: number[]; match?: string }, now: Date): SQL {
  const where: SQL[] = [sql`p.status = 'published'`];
  if (scope.categoryIds) {
    const ids = sql.join(
      scope.categoryIds.map((id) => sql`${id}`),
      sql`, `,
    );
    where.push(sql`p.id in (select product_id from product_categories where category_id in (${ids}))`);
  }
  const from = scope.match
    ? sql`products p join (select rowid as id, bm25(products_fts, 10.0, 5.0, 8.0, 3.0, 1.0) as rank from products_fts where products_fts match ${scope.match}) f on f.id = p.id`
    : sql`products p`;
  const since = new Date(now.getTime() - BEST_SELLING_DAYS * DAY_MS).toISOString().slice(0, 10);
  // Written as SQL: drizzle's query builder cannot join an FTS5 table or rank with bm25().
  return sql`
    select p.id, p.slug, p.title, p.brand, p.published_at, p.featured, s.sold, ${MAIN_IMAGE} as image,
      (select json_group_array(json_array(json(x.options), x.price_amount, x.currency, x.available)) from (
         select v.options, v.price_amount, v.currency, coalesce(st.available, 0) > 0 as available
         from variants v left join stock_levels st on st.sku = v.sku
         where v.product_id = p.id order by v.position, v.id) x) as variants
    from ${from}
    left join (select product_id, sum(units) as sold from daily_product_sales where day >= ${since} group by product_id) s
      on s.product_id = p.id
    where ${sql.join(where, sql` and `)}
    order by ${scope.match ? sql`f.rank, p.id` : sql`p.id`}
    limit ${scope.match ? MAX_SEARCH_CANDIDATES : MAX_CANDIDATES}`;
}

/**
 * Every published product of a category set or a search (in relevance order), with its variants'
 * options, prices and stock and its recent sales: one D1 statement.
 */
export async function loadCandidates(
  db: Db,
  scope: { categoryIds?: number[]; match?: string },
  now: Date,
  shopCurrency: string,
): Promise<ListingCandidate[]> {
  if (scope.categoryIds && !scope.categoryIds.length) return [];
  const rows = await db.all<CandidateRow>(candidateStatement(scope, now));
  return rows.map((r): ListingCandidate => {
    const raw = JSON.parse(r.variants) as [Record<string, string>, number, string, number][];
    const variants = raw.map(([options, price, , available]): CandidateVariant => ({ options, price, available: available === 1 }));
    return {
      id: r.id,
      slug: r.slug,
      title: r.title,
      brand: r.brand,
      currency: raw[0]?.[2] ?? shopCurrency,
      publishedAt: r.published_at ?? 0,
      featured: r.featured === 1,
      sold: r.sold ?? 0,
      image: r.image ? (JSON.parse(r.image) as MediaRef) : null,
      variants,
    };
  });
}

/** Ids of the published products matching a MATCH expression, best-ranked first (the search's one D1 statement). */
export async function rankedMatches(db: Db, match: string): Promise<number[]> {
  const rows = await db.all<{ id: number }>(sql`
    select p.id from products_fts f join products p on p.id = f.rowid
    where products_fts match ${match} and p.status = 'published'
    order by bm25(products_fts, 10.0, 5.0, 8.0, 3.0, 1.0), p.id
    limit ${MAX_SEARCH_CANDIDATES}`);
  return rows.map((r) => r.id);
}

/** Search suggestions: the best-ranked published products for a MATCH expression. */
export async function suggestProducts(db: Db, match: string, limit: number) {
  const rows = await db.all<{ slug: string; title: string; price: number; currency: string; image: string | null }>(sql`
    select p.slug, p.title, v.price_amount as price, v.currency, ${MAIN_IMAGE} as image
    from products p
    join (select rowid as id, bm25(products_fts, 10.0, 5.0, 8.0, 3.0, 1.0) as rank from products_fts where products_fts match ${match}) f on f.id = p.id
    join variants v on v.id = (select v2.id from variants v2 where v2.product_id = p.id order by v2.price_amount, v2.id limit 1)
    where p.status = 'published'
    order by f.rank, p.id
    limit ${limit}`);
  return rows.map((r) => ({
    title: r.title,
    slug: r.slug,
    price: { amount: r.price, currency: r.currency },
    image: r.image ? (JSON.parse(r.image) as MediaRef) : null,
  }));
}

/** Every word shoppers can find published products by: titles, brands, categories and option values. */
export async function searchVocabulary(db: Db): Promise<string[]> {
  const rows = await db.all<{ text: string }>(sql`
    select title || ' ' || coalesce(brand, '') as text from products where status = 'published'
    union all select name from categories
    union all select distinct v.options from variants v join products p on p.id = v.product_id where p.status = 'published'`);
  const words = new Set<string>();
  for (const r of rows) for (const w of catalogWords(r.text)) if (w.length >= 4) words.add(w);
  return [...words];
}
