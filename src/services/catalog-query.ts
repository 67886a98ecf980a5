import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../db";
import { SUMMARY_COLUMNS, type SummaryRow, summaryFromRow } from "../db/product-summary";
import { categories, productCategories, products } from "../db/schema";
import type { CategoryView, ProductDetail, ProductListQuery, ProductPage, ProductSort } from "../domain/catalog";
import { planSearch } from "../domain/search-text";

/** An FTS5 MATCH expression for shopper text: every word must match as a prefix. */
export function ftsQuery(text: string): string | undefined {
  return planSearch(text)?.match;
}

/** Published products, filtered, searched, sorted and paged, with the total count. */
export async function listProducts(db: Db, query: ProductListQuery, shopCurrency: string): Promise<ProductPage> {
  const match = query.q !== undefined ? ftsQuery(query.q) : undefined;
  if (query.q !== undefined && !match) return { items: [], page: query.page, limit: query.limit, total: 0 };

  const where: SQL[] = [sql`p.status = 'published'`];
  if (query.categoryIds) {
    if (!query.categoryIds.length) return { items: [], page: query.page, limit: query.limit, total: 0 };
    where.push(
      sql`p.id in (select product_id from product_categories where category_id in (${sql.join(
        query.categoryIds.map((id) => sql`${id}`),
        sql`, `,
      )}))`,
    );
  }
  if (query.featured) where.push(sql`p.featured = 1`);
  const from = match
    ? sql`products p join (select rowid as id, bm25(products_fts, 10.0, 5.0, 8.0, 3.0, 1.0) as rank from products_fts where products_fts match ${match}) f on f.id = p.id`
    : sql`products p`;
  const filter = sql.join(where, sql` and `);
  const newest = sql`p.published_at desc, p.id desc`;
  const orderBy: Record<ProductSort, SQL> = {
    relevance: match ? sql`f.rank, p.id` : newest,
    newest,
    price_asc: sql`min_price asc, p.id asc`,
    price_desc: sql`min_price desc, p.id desc`,
    name: sql`p.title collate nocase asc, p.id asc`,
  };
  const offset = (query.page - 1) * query.limit;

  // Written as SQL: drizzle's query builder cannot join an FTS5 table or rank with bm25().
  const [rows, count] = await Promise.all([
    db.all<SummaryRow>(sql`
      select ${SUMMARY_COLUMNS}
      from ${from}
      where ${filter}
      order by ${orderBy[query.sort]}
      limit ${query.limit} offset ${offset}`),
    db.get<{ total: number }>(sql`select count(*) as total from ${from} where ${filter}`),
  ]);

  return {
    items: rows.map((r) => summaryFromRow(r, shopCurrency)),
    page: query.page,
    limit: query.limit,
    total: count?.total ?? 0,
  };
}

/** Every category with its count of published products. */
export async function listCategories(db: Db): Promise<CategoryView[]> {
  return db
    .select({
      id: categories.id,
      slug: categories.slug,
      name: categories.name,
      description: categories.description,
      parentId: categories.parentId,
      position: categories.position,
      productCount: sql<number>`(select count(*) from ${productCategories} pc join ${products} p on p.id = pc.product_id
        where pc.category_id = ${categories.id} and p.status = 'published')`,
    })
    .from(categories)
    .orderBy(categories.position, categories.name);
}

/** A category and the ids of it and all its descendants, from an already-loaded list. */
export function categoryWithDescendants(all: CategoryView[], slug: string) {
  const root = all.find((c) => c.slug === slug);
  if (!root) return undefined;
  const ids = [root.id];
  for (let i = 0; i < ids.length; i++) {
    for (const c of all) if (c.parentId === ids[i] && !ids.includes(c.id)) ids.push(c.id);
  }
  return { category: root, ids };
}

/** The chain of ancestors of a category, root first, ending with the category itself. */
export function categoryTrail(all: CategoryView[], id: number): CategoryView[] {
  const trail: CategoryView[] = [];
  for (let c = all.find((x) => x.id === id); c && trail.length < 16; c = all.find((x) => x.id === c?.parentId)) {
    trail.unshift(c);
  }
  return trail;
}

/** A product with variants, stock, categories and media; published only unless `includeUnpublished`. */
export async function getProduct(
  db: Db,
  by: { slug: string } | { id: number },
  options: { includeUnpublished?: boolean } = {},
): Promise<ProductDetail | undefined> {
  const row = await db.query.products.findFirst({
    where: (p, { and, eq }) =>
      and("slug" in by ? eq(p.slug, by.slug) : eq(p.id, by.id), options.includeUnpublished ? undefined : eq(p.status, "published")),
    with: {
      variants: { orderBy: (v, { asc }) => [asc(v.position), asc(v.id)], with: { stock: true } },
      categories: { with: { category: true } },
      media: { orderBy: (m, { asc }) => [asc(m.position), asc(m.id)] },
    },
  });
  if (!row) return undefined;
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    description: row.description,
    brand: row.brand,
    status: row.status,
    featured: row.featured,
    publishedAt: row.publishedAt?.toISOString() ?? null,
    updatedAt: row.updatedAt.toISOString(),
    seoTitle: row.seoTitle,
    seoDescription: row.seoDescription,
    categories: row.categories.map(({ category: c }) => ({ id: c.id, slug: c.slug, name: c.name })),
    variants: row.variants.map((v) => ({
      sku: v.sku,
      title: v.title,
      options: v.options,
      price: { amount: v.priceAmount, currency: v.currency },
      compareAtPrice: v.compareAtAmount === null ? null : { amount: v.compareAtAmount, currency: v.currency },
      available: Math.max(0, v.stock?.available ?? 0),
      weightGrams: v.weightGrams,
      gtin: v.gtin,
      giftCard: v.giftCard,
    })),
    media: row.media.map((m) => ({ key: m.mediaKey, alt: m.alt, width: m.width, height: m.height })),
  };
}
