import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { type Address, ORDER_EVENT_KINDS, ORDER_STATUSES } from "../domain/order";
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
    /** The shipping method chosen at checkout (its id and name then). */
    shippingMethodId: text("shipping_method_id"),
    shippingMethodName: text("shipping_method_name"),
    /** Whether `tax` is included in the prices (EU style) rather than added (US style). */
    taxIncluded: integer("tax_included", { mode: "boolean" }).notNull().default(false),
    /** The tax's name at checkout ("VAT", "Sales tax"). */
    taxName: text("tax_name"),
    /** Total discount taken off (positive minor units). */
    discount: integer("discount").notNull().default(0),
    /** Money given back so far (minor units); never more than `total`. */
    refunded: integer("refunded").notNull().default(0),
    /** What gift cards paid of the total; the payment provider is asked for the rest. */
    giftCardTotal: integer("gift_card_total").notNull().default(0),
    /** Of `refunded`, what went back onto gift cards (never more than `giftCardTotal`). */
    giftCardRefunded: integer("gift_card_refunded").notNull().default(0),
    /** Loyalty points spent on it (their value is one of its discounts). */
    pointsRedeemed: integer("points_redeemed").notNull().default(0),
    /** The provider's payment intent (Stripe `pi_…`), once known: refunds go against it. */
    paymentIntentId: text("payment_intent_id"),
    /** Where the shopper pays (the provider's hosted page), while the order awaits payment. */
    paymentUrl: text("payment_url"),
    paidAt: integer("paid_at", { mode: "timestamp_ms" }),
    /** The customer the order belongs to (by its email at checkout, or the signed-in shopper). */
    customerId: text("customer_id"),
    ...timestamps,
  },
  (t) => [
    index("orders_status_created_idx").on(t.status, t.createdAt),
    index("orders_cart_idx").on(t.cartId),
    // Email lookups ignore case (admin search, "has this address paid before?").
    index("orders_email_idx").on(sql`lower(${t.email})`),
    index("orders_customer_idx").on(t.customerId, t.createdAt),
  ],
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
    /** This line's share of the order discount (minor units). */
    discount: integer("discount").notNull().default(0),
    /** Tax on this line (added, or included when the order's `taxIncluded`), rounded half up per line. */
    tax: integer("tax").notNull().default(0),
    weightGrams: integer("weight_grams").notNull().default(0),
    /** A gift card line (as the variant was when the order was placed): paying issues its cards. */
    giftCard: integer("gift_card", { mode: "boolean" }).notNull().default(false),
    /** Units handed to a carrier in shipments. */
    fulfilledQuantity: integer("fulfilled_quantity").notNull().default(0),
    /** Units whose money went back, and how much of this line's charge that was. */
    refundedQuantity: integer("refunded_quantity").notNull().default(0),
    refundedAmount: integer("refunded_amount").notNull().default(0),
    /** Units a shopper asked to return (requested, approved, received or refunded returns). */
    returnedQuantity: integer("returned_quantity").notNull().default(0),
    /** Of the refunded units, those refunded through a return (the rest were refunded without coming back). */
    returnRefundedQuantity: integer("return_refunded_quantity").notNull().default(0),
    /** Units that never shipped and were put back on hand (by a refund, a cancellation or a full refund). */
    restockedQuantity: integer("restocked_quantity").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.orderId, t.sku] })],
);

/**
 * The order's timeline: every attempted status change (`kind` status; `applied` is false for rejected
 * ones) and every other step (shipment, refund, return, email) with the status it happened in.
 */
export const orderEvents = sqliteTable(
  "order_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    orderId: text("order_id").notNull(),
    kind: text("kind", { enum: ORDER_EVENT_KINDS }).notNull().default("status"),
    /** What happened, for kinds other than status (e.g. the refund amount, the return id). */
    detail: text("detail", { mode: "json" }).$type<Record<string, unknown>>(),
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
