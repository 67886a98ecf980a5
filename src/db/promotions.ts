import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { DISCOUNT_KINDS } from "../domain/discounts";
import { timestamps } from "./columns";

/**
 * Discounts: what they take off, on what, when, for whom, and their limits. How many uses each has
 * taken lives in its own Durable Object (DISCOUNTS), the only writer of that count.
 */
export const discounts = sqliteTable("discounts", {
  id: text("id").primaryKey(),
  title: text("title").notNull(),
  kind: text("kind", { enum: DISCOUNT_KINDS }).notNull(),
  /** Whole percent (percentage, buy X get Y) or minor units of the shop currency (fixed). */
  value: integer("value").notNull(),
  buyQuantity: integer("buy_quantity"),
  getQuantity: integer("get_quantity"),
  scope: text("scope", { mode: "json" }).$type<{ productIds?: number[]; categoryIds?: number[] } | null>(),
  minimumSubtotal: integer("minimum_subtotal"),
  startsAt: integer("starts_at", { mode: "timestamp_ms" }),
  endsAt: integer("ends_at", { mode: "timestamp_ms" }),
  firstOrderOnly: integer("first_order_only", { mode: "boolean" }).notNull().default(false),
  segment: text("segment"),
  combinable: integer("combinable", { mode: "boolean" }).notNull().default(false),
  /** Applies without a code to every basket that meets its conditions. */
  automatic: integer("automatic", { mode: "boolean" }).notNull().default(false),
  usageLimit: integer("usage_limit"),
  perCustomerLimit: integer("per_customer_limit"),
  active: integer("active", { mode: "boolean" }).notNull().default(true),
  createdBy: text("created_by").notNull(),
  ...timestamps,
});

/** Codes of a discount (stored trimmed and upper-case; shoppers type them in any case). */
export const discountCodes = sqliteTable(
  "discount_codes",
  {
    code: text("code").primaryKey(),
    discountId: text("discount_id").notNull(),
    /** The generated batch it came from, if any. */
    batch: text("batch"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("discount_codes_discount_idx").on(t.discountId, t.batch)],
);

/** Discounts an order took, with the amount each took and whether its use was given back. */
export const orderDiscounts = sqliteTable(
  "order_discounts",
  {
    orderId: text("order_id").notNull(),
    discountId: text("discount_id").notNull(),
    code: text("code"),
    title: text("title").notNull(),
    amount: integer("amount").notNull(),
    releasedAt: integer("released_at", { mode: "timestamp_ms" }),
  },
  (t) => [primaryKey({ columns: [t.orderId, t.discountId] }), index("order_discounts_discount_idx").on(t.discountId)],
);
