import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { timestamps } from "./columns";

/**
 * Gift cards: how a code finds its card (only the code's SHA-256 is kept) and what the admin lists.
 * The balance here is a copy for lists; the card's own Durable Object (GIFT_CARDS) holds the real
 * balance and ledger and is the only writer of it.
 */
export const giftCards = sqliteTable(
  "gift_cards",
  {
    id: text("id").primaryKey(),
    codeHash: text("code_hash").notNull().unique(),
    last4: text("last4").notNull(),
    currency: text("currency").notNull(),
    initialAmount: integer("initial_amount").notNull(),
    balance: integer("balance").notNull(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }),
    recipientEmail: text("recipient_email"),
    note: text("note"),
    /** Issued by staff, or bought: the order (and its line) that paid for it. */
    source: text("source", { enum: ["staff", "order"] }).notNull(),
    orderId: text("order_id"),
    disabled: integer("disabled", { mode: "boolean" }).notNull().default(false),
    createdBy: text("created_by").notNull(),
    ...timestamps,
  },
  (t) => [index("gift_cards_created_idx").on(t.createdAt), index("gift_cards_order_idx").on(t.orderId)],
);

/** Gift cards an order was paid with, in the order they were applied, and what each paid. */
export const orderGiftCards = sqliteTable(
  "order_gift_cards",
  {
    orderId: text("order_id").notNull(),
    cardId: text("card_id").notNull(),
    position: integer("position").notNull(),
    last4: text("last4").notNull(),
    /** What the card paid (0 until its object took it). */
    amount: integer("amount").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.orderId, t.cardId] }), index("order_gift_cards_card_idx").on(t.cardId)],
);
