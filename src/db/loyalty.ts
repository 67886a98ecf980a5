import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** The shop's points rules (one row; absent until staff save them). */
export const loyaltySettings = sqliteTable("loyalty_settings", {
  id: integer("id").primaryKey(),
  enabled: integer("enabled", { mode: "boolean" }).notNull(),
  earnPerUnit: integer("earn_per_unit").notNull(),
  redeemStep: integer("redeem_step").notNull(),
  stepValue: integer("step_value").notNull(),
  pendingDays: integer("pending_days").notNull(),
  expiryDays: integer("expiry_days").notNull(),
  updatedBy: text("updated_by").notNull(),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
});

/**
 * A copy of each customer's points for lists and the scheduled job (which customers have points to
 * confirm or expire, and when); the customer's own LOYALTY object holds the real ledger.
 */
export const loyaltyAccounts = sqliteTable(
  "loyalty_accounts",
  {
    customerId: text("customer_id").primaryKey(),
    available: integer("available").notNull().default(0),
    pending: integer("pending").notNull().default(0),
    /** When its object next has points to confirm or expire (null: nothing due). */
    nextDueAt: integer("next_due_at", { mode: "timestamp_ms" }),
    /** The object's ledger position this copy reflects: an older copy never overwrites a newer one. */
    version: integer("version").notNull().default(0),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("loyalty_accounts_due_idx").on(t.nextDueAt)],
);
