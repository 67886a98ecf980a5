import { sql } from "drizzle-orm";
import { check, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** How many paid orders held both products (counted once per order by the recommendations job). */
export const productPairs = sqliteTable(
  "product_pairs",
  {
    productId: integer("product_id").notNull(),
    relatedId: integer("related_id").notNull(),
    orders: integer("orders").notNull(),
  },
  (t) => [primaryKey({ columns: [t.productId, t.relatedId] })],
);

/** Precomputed recommendations per product, in display order (written nightly, read on a page miss). */
export const productRecommendations = sqliteTable(
  "product_recommendations",
  {
    productId: integer("product_id").notNull(),
    kind: text("kind", { enum: ["bought_together", "similar"] }).notNull(),
    position: integer("position").notNull(),
    relatedId: integer("related_id").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.productId, t.kind, t.position] }),
    check("product_recommendations_kind_check", sql`${t.kind} in ('bought_together', 'similar')`),
  ],
);

/** The last paid order the pair counts include: the job's resumable cursor, written with each batch. */
export const recommendationProgress = sqliteTable(
  "recommendation_progress",
  {
    id: integer("id").primaryKey(),
    paidAt: integer("paid_at").notNull(),
    orderId: text("order_id").notNull(),
  },
  (t) => [check("recommendation_progress_single_row", sql`${t.id} = 1`)],
);
