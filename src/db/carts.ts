import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** One row per cart, upserted by the cart's object on every change, so jobs need not wake carts. */
export const cartIndex = sqliteTable(
  "cart_index",
  {
    cartId: text("cart_id").primaryKey(),
    email: text("email"),
    itemCount: integer("item_count").notNull(),
    value: integer("value").notNull(),
    currency: text("currency").notNull(),
    status: text("status", { enum: ["open", "checked_out"] }).notNull(),
    orderId: text("order_id"),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    /** When the abandoned-cart reminder went out (one per cart). */
    remindedAt: integer("reminded_at", { mode: "timestamp_ms" }),
    /** Whether the shopper asked to be reminded about this cart by email (off unless they did). */
    remindMe: integer("remind_me", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [index("cart_index_updated_idx").on(t.status, t.updatedAt)],
);
