import { and, asc, count, eq, lte, sql } from "drizzle-orm";
import type { Db } from "./index";
import { products, stockLevels, variants } from "./schema";

/** The available units the D1 projection shows for a SKU, if it has a row. */
export async function projectedAvailable(db: Db, sku: string): Promise<number | undefined> {
  const [row] = await db.select({ available: stockLevels.available }).from(stockLevels).where(eq(stockLevels.sku, sku)).limit(1);
  return row?.available;
}

/**
 * Writes a SKU's available units to the projection if the catalog knows the SKU; a row with a newer
 * movement number is never overwritten by an older one.
 */
export async function projectStock(db: Db, p: { sku: string; available: number; seq: number; now: Date }): Promise<void> {
  await db
    .insert(stockLevels)
    .select(
      db
        .select({
          sku: variants.sku,
          available: sql<number>`${p.available}`.as("available"),
          lowStockThreshold: sql<number>`${stockLevels.lowStockThreshold.default}`.as("low_stock_threshold"),
          seq: sql<number>`${p.seq}`.as("seq"),
          updatedAt: sql<number>`${p.now.getTime()}`.as("updated_at"),
        })
        .from(variants)
        .where(eq(variants.sku, p.sku)),
    )
    .onConflictDoUpdate({
      target: stockLevels.sku,
      set: { available: p.available, seq: p.seq, updatedAt: p.now },
      setWhere: sql`excluded.seq > ${stockLevels.seq}`,
    });
}

/** Published SKUs at or under their low-stock threshold, emptiest first (at most 500). */
export async function lowStock(db: Db): Promise<{ sku: string; available: number }[]> {
  return db
    .select({ sku: stockLevels.sku, available: stockLevels.available })
    .from(stockLevels)
    .innerJoin(variants, eq(variants.sku, stockLevels.sku))
    .innerJoin(products, eq(products.id, variants.productId))
    .where(and(eq(products.status, "published"), lte(stockLevels.available, stockLevels.lowStockThreshold)))
    .orderBy(asc(stockLevels.available), asc(stockLevels.sku))
    .limit(500);
}

/** SKUs with their product for the inventory list (search by SKU prefix or product title), and the count. */
export async function stockRows(db: Db, query: { q?: string; page: number; limit: number }) {
  const q = query.q?.trim().toLowerCase();
  // LIKE … ESCAPE for the title match: drizzle's like() has no escape clause.
  const where = q
    ? sql`(lower(${variants.sku}) >= ${q} and lower(${variants.sku}) < ${`${q}\uffff`}) or lower(${products.title}) like ${`%${q.replace(/[%_\\]/g, "\\$&")}%`} escape '\\'`
    : undefined;
  const [items, [total]] = await Promise.all([
    db
      .select({
        sku: variants.sku,
        variantTitle: variants.title,
        productId: products.id,
        productTitle: products.title,
        status: products.status,
        projected: stockLevels.available,
        lowStockThreshold: stockLevels.lowStockThreshold,
      })
      .from(variants)
      .innerJoin(products, eq(products.id, variants.productId))
      .leftJoin(stockLevels, eq(stockLevels.sku, variants.sku))
      .where(where)
      .orderBy(asc(products.title), asc(variants.position), asc(variants.sku))
      .limit(query.limit)
      .offset((query.page - 1) * query.limit),
    db.select({ n: count() }).from(variants).innerJoin(products, eq(products.id, variants.productId)).where(where),
  ]);
  return { items, total: total?.n ?? 0 };
}
