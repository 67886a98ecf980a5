import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { RETURN_STATUSES } from "../domain/order";
import { orders } from "./orders";

/** A set of units handed to a carrier. */
export const shipments = sqliteTable(
  "shipments",
  {
    id: text("id").primaryKey(),
    orderId: text("order_id")
      .notNull()
      .references(() => orders.id, { onDelete: "cascade" }),
    carrier: text("carrier").notNull(),
    trackingNumber: text("tracking_number").notNull(),
    trackingUrl: text("tracking_url"),
    lines: text("lines", { mode: "json" }).$type<{ sku: string; quantity: number }[]>().notNull(),
    actor: text("actor").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    index("shipments_order_idx").on(t.orderId, t.createdAt),
    // A parcel is recorded once: a retried fulfilment with the same tracking number is the same shipment.
    uniqueIndex("shipments_tracking_idx").on(t.orderId, t.carrier, t.trackingNumber),
  ],
);

/** Money given back on an order, whoever started it (staff, the provider's dashboard, a return, a lost hold). */
export const refunds = sqliteTable(
  "refunds",
  {
    id: text("id").primaryKey(),
    orderId: text("order_id")
      .notNull()
      .references(() => orders.id, { onDelete: "cascade" }),
    amount: integer("amount").notNull(),
    /** Of `amount`, what goes back onto the order's gift cards (the rest through the payment provider). */
    giftCardAmount: integer("gift_card_amount").notNull().default(0),
    reason: text("reason").notNull(),
    /** Refunded lines with the money of each (so a refund can be undone or counted again exactly). */
    lines: text("lines", { mode: "json" }).$type<{ sku: string; quantity: number; amount?: number }[]>(),
    restock: integer("restock", { mode: "boolean" }).notNull().default(false),
    source: text("source", { enum: ["admin", "provider", "cancel", "return", "stock_lost"] }).notNull(),
    status: text("status", { enum: ["pending", "succeeded", "failed"] }).notNull(),
    /** The provider's refund id (`re_…`): the same refund reported twice is recorded once. */
    providerRefundId: text("provider_refund_id"),
    returnId: text("return_id"),
    actor: text("actor").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("refunds_order_idx").on(t.orderId, t.createdAt), uniqueIndex("refunds_provider_idx").on(t.providerRefundId)],
);

/** A shopper's request to send units back, and its handling by staff. */
export const returns = sqliteTable(
  "returns",
  {
    id: text("id").primaryKey(),
    orderId: text("order_id")
      .notNull()
      .references(() => orders.id, { onDelete: "cascade" }),
    status: text("status", { enum: RETURN_STATUSES }).notNull(),
    reason: text("reason").notNull(),
    lines: text("lines", { mode: "json" }).$type<{ sku: string; quantity: number }[]>().notNull(),
    /** Staff's note to the shopper (instructions on approval, the reason of a rejection). */
    note: text("note"),
    refundId: text("refund_id"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("returns_status_idx").on(t.status, t.createdAt), index("returns_order_idx").on(t.orderId)],
);
