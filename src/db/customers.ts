import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { SegmentRules } from "../domain/customer";
import type { Address } from "../domain/order";
import { timestamps } from "./columns";

/**
 * Shoppers known by their normalised email (trimmed, lower-cased). Order figures are kept in step as
 * orders are paid and refunded (money in the shop currency's minor units). A customer merged into
 * another keeps its row, pointing at the survivor, so its email still finds the survivor.
 */
export const customers = sqliteTable(
  "customers",
  {
    id: text("id").primaryKey(),
    email: text("email").notNull(),
    name: text("name").notNull().default(""),
    phone: text("phone"),
    mergedInto: text("merged_into"),
    /** When the shopper last proved they read this mailbox (followed a sign-in link). */
    verifiedAt: integer("verified_at", { mode: "timestamp_ms" }),
    marketingConsent: integer("marketing_consent", { mode: "boolean" }).notNull().default(false),
    consentChangedAt: integer("consent_changed_at", { mode: "timestamp_ms" }),
    ordersCount: integer("orders_count").notNull().default(0),
    lifetimeValue: integer("lifetime_value").notNull().default(0),
    firstOrderAt: integer("first_order_at", { mode: "timestamp_ms" }),
    lastOrderAt: integer("last_order_at", { mode: "timestamp_ms" }),
    /** The segment the nightly scoring (or a merge) last assigned, and its recency/frequency/money scores ("545"). */
    segment: text("segment"),
    rfm: text("rfm"),
    scoredAt: integer("scored_at", { mode: "timestamp_ms" }),
    deletedAt: integer("deleted_at", { mode: "timestamp_ms" }),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("customers_email_idx").on(t.email),
    index("customers_segment_idx").on(t.segment, t.lastOrderAt),
    index("customers_last_order_idx").on(t.lastOrderAt),
  ],
);

/** A signed-in customer's saved addresses (only the customer adds them: from the account page or a signed-in checkout). */
export const customerAddresses = sqliteTable(
  "customer_addresses",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    /** The address with case and spacing folded: the same address saved twice is one row. */
    fingerprint: text("fingerprint").notNull(),
    address: text("address", { mode: "json" }).$type<Address>().notNull(),
    lastUsedAt: integer("last_used_at", { mode: "timestamp_ms" }).notNull(),
    ...timestamps,
  },
  (t) => [uniqueIndex("customer_addresses_fingerprint_idx").on(t.customerId, t.fingerprint)],
);

/** Signed-in shoppers: only the SHA-256 of the session token is kept; idle and absolute expiry. */
export const customerSessions = sqliteTable(
  "customer_sessions",
  {
    tokenHash: text("token_hash").primaryKey(),
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    lastSeenAt: integer("last_seen_at", { mode: "timestamp_ms" }).notNull(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("customer_sessions_customer_idx").on(t.customerId)],
);

/** Emailed one-time sign-in links: the token's SHA-256, for whom, until when, and whether it was used. */
export const customerLoginLinks = sqliteTable(
  "customer_login_links",
  {
    id: text("id").primaryKey(),
    tokenHash: text("token_hash").notNull(),
    email: text("email").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    usedAt: integer("used_at", { mode: "timestamp_ms" }),
  },
  (t) => [uniqueIndex("customer_login_links_hash_idx").on(t.tokenHash), index("customer_login_links_expiry_idx").on(t.expiresAt)],
);

/** Which segment a customer entered when (a row only when it changes). */
export const customerSegmentHistory = sqliteTable(
  "customer_segment_history",
  {
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
    segment: text("segment").notNull(),
    rfm: text("rfm"),
  },
  (t) => [primaryKey({ columns: [t.customerId, t.at] })],
);

/** A segment staff define by rules over the kept figures (evaluated when listed, never stored per customer). */
export const segments = sqliteTable(
  "segments",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    rules: text("rules", { mode: "json" }).$type<SegmentRules>().notNull(),
    createdBy: text("created_by").notNull(),
    ...timestamps,
  },
  (t) => [uniqueIndex("segments_slug_idx").on(t.slug)],
);
