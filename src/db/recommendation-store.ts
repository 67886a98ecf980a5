import { and, asc, eq, gt, inArray, isNotNull, or, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { ProductSummary } from "../domain/catalog";
import type { Db } from "./index";
import { orderLines, orders } from "./orders";
import { SUMMARY_COLUMNS, type SummaryRow, summaryFromRow } from "./product-summary";
import { productPairs, productRecommendations, recommendationProgress } from "./recommendations";

/** Where the pair counts stand: the last paid order they include. */
export interface PairCursor {
  paidAt: number;
  orderId: string;
}

const PAID_STATUSES = ["paid", "fulfilled", "shipped", "delivered"] as const;
/** D1 binds at most 100 values per statement: 33 rows of three. */
const ROWS_PER_INSERT = 33;

/** The pair counts' cursor (nothing counted yet: the start of time). */
export async function pairCursor(db: Db): Promise<PairCursor> {
  const [row] = await db.select().from(recommendationProgress).where(eq(recommendationProgress.id, 1));
  return row ? { paidAt: row.paidAt, orderId: row.orderId } : { paidAt: 0, orderId: "" };
}

/** The next `limit` paid orders after the cursor, each with the products it held. */
export async function paidOrdersAfter(db: Db, after: PairCursor, limit: number) {
  const batch = await db
    .select({ id: orders.id, paidAt: orders.paidAt })
    .from(orders)
    .where(
      and(
        isNotNull(orders.paidAt),
        inArray(orders.status, [...PAID_STATUSES]),
        or(gt(orders.paidAt, new Date(after.paidAt)), and(eq(orders.paidAt, new Date(after.paidAt)), gt(orders.id, after.orderId))),
      ),
    )
    .orderBy(asc(orders.paidAt), asc(orders.id))
    .limit(limit);
  if (!batch.length) return [];
  const lines = await db
    .select({ orderId: orderLines.orderId, productId: orderLines.productId })
    .from(orderLines)
    .where(
      inArray(
        orderLines.orderId,
        batch.map((o) => o.id),
      ),
    );
  return batch.map((o) => ({
    id: o.id,
    paidAt: o.paidAt?.getTime() ?? 0,
    products: [...new Set(lines.filter((l) => l.orderId === o.id && l.productId !== null).map((l) => l.productId as number))],
  }));
}

/** Adds pair counts and moves the cursor in one atomic batch: a retried run never counts an order twice. */
export async function addPairs(db: Db, pairs: Map<string, number>, cursor: PairCursor): Promise<void> {
  const rows = [...pairs].map(([key, count]) => {
    const [productId, relatedId] = key.split(":").map(Number) as [number, number];
    return { productId, relatedId, orders: count };
  });
  const statements: BatchItem<"sqlite">[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    statements.push(
      db
        .insert(productPairs)
        .values(rows.slice(i, i + ROWS_PER_INSERT))
        .onConflictDoUpdate({ target: [productPairs.productId, productPairs.relatedId], set: { orders: sql`orders + excluded.orders` } }),
    );
  }
  statements.push(
    db
      .insert(recommendationProgress)
      .values({ id: 1, ...cursor })
      .onConflictDoUpdate({ target: recommendationProgress.id, set: cursor }),
  );
  await db.batch(statements as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
}

/**
 * Rewrites every product's top `limit` recommendations: bought together (most shared paid orders),
 * and similar (most shared categories, then best selling since `since`, a UTC day). Pages cached
 * meanwhile belong to the catalog version the job replaces once this is done.
 */
export async function rebuildRecommendations(db: Db, limit: number, since: string): Promise<void> {
  await db.delete(productRecommendations);
  await db.run(sql`
      insert into product_recommendations (product_id, kind, position, related_id)
      select product_id, 'bought_together', rn, related_id from (
        select pp.product_id, pp.related_id,
          row_number() over (partition by pp.product_id order by pp.orders desc, pp.related_id) as rn
        from product_pairs pp join products p on p.id = pp.related_id and p.status = 'published')
      where rn <= ${limit}`);
  await db.run(sql`
      insert into product_recommendations (product_id, kind, position, related_id)
      select product_id, 'similar', rn, related_id from (
        select a.product_id, b.product_id as related_id,
          row_number() over (partition by a.product_id order by count(*) desc, coalesce(max(s.units), 0) desc, b.product_id) as rn
        from product_categories a
        join product_categories b on b.category_id = a.category_id and b.product_id <> a.product_id
        join products p on p.id = b.product_id and p.status = 'published'
        left join (select product_id, sum(units) as units from daily_product_sales where day >= ${since} group by product_id) s
          on s.product_id = b.product_id
        group by a.product_id, b.product_id)
      where rn <= ${limit}`);
}

/** A product's recommendations as listing tiles, by kind and position (one statement). */
export async function recommendationsFor(db: Db, productId: number, shopCurrency: string) {
  const rows = await db.all<SummaryRow & { kind: "bought_together" | "similar" }>(sql`
    select r.kind, ${SUMMARY_COLUMNS}
    from product_recommendations r join products p on p.id = r.related_id and p.status = 'published'
    where r.product_id = ${productId}
    order by r.kind, r.position`);
  const tiles = (kind: string): ProductSummary[] => rows.filter((r) => r.kind === kind).map((r) => summaryFromRow(r, shopCurrency));
  return { boughtTogether: tiles("bought_together"), similar: tiles("similar") };
}
