import { and, asc, count, desc, eq, gte, isNull, lte, sql, sum } from "drizzle-orm";
import type { Db } from "./index";
import { categories, dailyOrderStatus, dailyProductSales, dailySales, notifications, orders, products, webhookEvents } from "./schema";

export interface DaySummary {
  day: string;
  currency: string;
  ordersPlaced: number;
  ordersPaid: number;
  units: number;
  revenue: number;
  activeCarts: number;
  products: { productId: number; title: string; units: number; revenue: number }[];
  statuses: { status: string; count: number }[];
}

/** Replaces a day's summary rows in one atomic batch (re-running a day is idempotent). */
export async function writeDaySummary(db: Db, s: DaySummary): Promise<void> {
  const { products, statuses, ...day } = s;
  await db.batch([
    db.delete(dailySales).where(eq(dailySales.day, s.day)),
    db.delete(dailyProductSales).where(eq(dailyProductSales.day, s.day)),
    db.delete(dailyOrderStatus).where(eq(dailyOrderStatus.day, s.day)),
    db.insert(dailySales).values(day),
    ...products.map((p) => db.insert(dailyProductSales).values({ day: s.day, ...p })),
    ...statuses.map((st) => db.insert(dailyOrderStatus).values({ day: s.day, ...st })),
  ]);
}

/** Day summaries and per-product rows between two YYYY-MM-DD days, inclusive. */
export async function summariesBetween(db: Db, from: string, to: string) {
  const [days, products] = await Promise.all([
    db
      .select()
      .from(dailySales)
      .where(and(gte(dailySales.day, from), lte(dailySales.day, to)))
      .orderBy(asc(dailySales.day)),
    db
      .select()
      .from(dailyProductSales)
      .where(and(gte(dailyProductSales.day, from), lte(dailyProductSales.day, to))),
  ]);
  return { days, products };
}

/** Slugs of published products, best-selling since `sinceDay` first (then newest), at most `limit`. */
export async function bestSellingSlugs(db: Db, sinceDay: string, limit: number): Promise<string[]> {
  const sold = db
    .select({ productId: dailyProductSales.productId, units: sql<number>`sum(${dailyProductSales.units})`.as("units") })
    .from(dailyProductSales)
    .where(gte(dailyProductSales.day, sinceDay))
    .groupBy(dailyProductSales.productId)
    .as("sold");
  const rows = await db
    .select({ slug: products.slug })
    .from(products)
    .leftJoin(sold, eq(sold.productId, products.id))
    .where(eq(products.status, "published"))
    .orderBy(desc(sql`coalesce(${sold.units}, 0)`), desc(products.publishedAt))
    .limit(limit);
  return rows.map((r) => r.slug);
}

/** Slugs of the top-level categories, in shop order. */
export async function rootCategorySlugs(db: Db): Promise<string[]> {
  const rows = await db
    .select({ slug: categories.slug })
    .from(categories)
    .where(isNull(categories.parentId))
    .orderBy(asc(categories.position));
  return rows.map((r) => r.slug);
}

/** Paid orders per UTC day since `from` (live, from the orders themselves): day, count and revenue net of refunds, in minor units. */
export async function paidPerDay(db: Db, from: Date): Promise<{ day: string; orders: number; revenue: number }[]> {
  // strftime over epoch milliseconds: drizzle has no date-bucketing helper.
  const day = sql<string>`strftime('%Y-%m-%d', ${orders.paidAt} / 1000, 'unixepoch')`;
  return db
    .select({ day, orders: count(), revenue: sum(sql<number>`${orders.total} - ${orders.refunded}`).mapWith(Number) })
    .from(orders)
    .where(gte(orders.paidAt, from))
    .groupBy(day)
    .orderBy(asc(day));
}

/** Counts the dashboard shows: orders waiting to ship, failed webhook events and failed emails. */
export async function attentionCounts(db: Db) {
  const [[toFulfil], [failedEvents], [failedEmails]] = await Promise.all([
    db.select({ n: count() }).from(orders).where(eq(orders.status, "paid")),
    db.select({ n: count() }).from(webhookEvents).where(eq(webhookEvents.status, "failed")),
    db.select({ n: count() }).from(notifications).where(eq(notifications.status, "failed")),
  ]);
  return { toFulfil: toFulfil?.n ?? 0, failedEvents: failedEvents?.n ?? 0, failedEmails: failedEmails?.n ?? 0 };
}
