import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { type Address, ORDER_STATUSES } from "../domain/order";
import { timestamps } from "./columns";

/** Orders: money in integer minor units of `currency`; `tokenHash` is SHA-256 of the shopper's order token. */
export const orders = sqliteTable(
  "orders",
  {
    id: text("id").primaryKey(),
    tokenHash: text("token_hash").notNull(),
    status: text("status", { enum: ORDER_STATUSES }).notNull(),
    email: text("email").notNull(),
    currency: text("currency").notNull(),
    subtotal: integer("subtotal").notNull(),
    shipping: integer("shipping").notNull(),
    tax: integer("tax").notNull(),
    total: integer("total").notNull(),
    shippingAddress: text("shipping_address", { mode: "json" }).$type<Address>().notNull(),
    cartId: text("cart_id"),
    paymentProvider: text("payment_provider"),
    paymentId: text("payment_id"),
    holdExpiresAt: integer("hold_expires_at", { mode: "timestamp_ms" }),
    cancelReason: text("cancel_reason"),
    ...timestamps,
  },
  (t) => [index("orders_status_created_idx").on(t.status, t.createdAt), index("orders_cart_idx").on(t.cartId)],
);

/** What was bought, with the price paid (a snapshot: catalog edits never change orders). */
export const orderLines = sqliteTable(
  "order_lines",
  {
    orderId: text("order_id")
      .notNull()
      .references(() => orders.id, { onDelete: "cascade" }),
    sku: text("sku").notNull(),
    productId: integer("product_id"),
    title: text("title").notNull(),
    variantTitle: text("variant_title").notNull(),
    quantity: integer("quantity").notNull(),
    unitPrice: integer("unit_price").notNull(),
    lineTotal: integer("line_total").notNull(),
  },
  (t) => [primaryKey({ columns: [t.orderId, t.sku] })],
);

/** Every attempted status change; `applied` is false for rejected (illegal) ones. */
export const orderEvents = sqliteTable(
  "order_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    orderId: text("order_id").notNull(),
    fromStatus: text("from_status"),
    toStatus: text("to_status").notNull(),
    applied: integer("applied", { mode: "boolean" }).notNull().default(true),
    reason: text("reason"),
    actor: text("actor").notNull(),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("order_events_order_idx").on(t.orderId, t.id)],
);

/**
 * Idempotency keys of checkouts: a completed key replays its answer; a failed one may be retried
 * (the next attempt gets a new order id); an abandoned in-progress one is taken over.
 */
export const idempotencyKeys = sqliteTable("idempotency_keys", {
  key: text("key").primaryKey(),
  requestHash: text("request_hash").notNull(),
  state: text("state", { enum: ["in_progress", "completed", "failed", "needs_attention"] }).notNull(),
  attempt: integer("attempt").notNull().default(1),
  /** Which run holds the key; a run that lost it (taken over) must neither compensate nor finish. */
  owner: text("owner").notNull().default(""),
  responseStatus: integer("response_status"),
  responseBody: text("response_body"),
  orderId: text("order_id"),
  ...timestamps,
});
