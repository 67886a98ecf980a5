import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { timestamps } from "./columns";

/** Product reviews by customers who bought the product; shown once staff approve them. */
export const reviews = sqliteTable(
  "reviews",
  {
    id: text("id").primaryKey(),
    productId: integer("product_id").notNull(),
    customerId: text("customer_id").notNull(),
    /** The paid order that made the customer eligible. */
    orderId: text("order_id").notNull(),
    rating: integer("rating").notNull(),
    title: text("title").notNull(),
    body: text("body").notNull(),
    /** The name shown with the review (the customer's first name and initial at the time). */
    authorName: text("author_name").notNull(),
    status: text("status", { enum: ["pending", "approved", "rejected"] }).notNull(),
    /** Why the automatic rules want a human look (`link`, `banned_word`, `too_short`). */
    flags: text("flags", { mode: "json" }).$type<string[]>().notNull(),
    moderatedAt: integer("moderated_at", { mode: "timestamp_ms" }),
    moderatedBy: text("moderated_by"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("reviews_product_customer_idx").on(t.productId, t.customerId),
    index("reviews_status_idx").on(t.status, t.createdAt),
    index("reviews_product_idx").on(t.productId, t.status, t.createdAt),
  ],
);

/** Marketing emails to a segment: composed, tested, then sent once to each consenting customer in it. */
export const campaigns = sqliteTable("campaigns", {
  id: text("id").primaryKey(),
  subject: text("subject").notNull(),
  body: text("body").notNull(),
  /** Products shown as blocks under the text. */
  productIds: text("product_ids", { mode: "json" }).$type<number[]>().notNull(),
  segment: text("segment").notNull(),
  status: text("status", { enum: ["draft", "sending", "sent"] }).notNull(),
  /** Recipients expanded so far. */
  recipients: integer("recipients").notNull().default(0),
  createdBy: text("created_by").notNull(),
  sendStartedAt: integer("send_started_at", { mode: "timestamp_ms" }),
  expandedAt: integer("expanded_at", { mode: "timestamp_ms" }),
  ...timestamps,
});

/** Who a campaign went to: one row per customer, whatever retries happen; unsubscribes through its link are counted here. */
export const campaignRecipients = sqliteTable(
  "campaign_recipients",
  {
    campaignId: text("campaign_id").notNull(),
    customerId: text("customer_id").notNull(),
    email: text("email").notNull(),
    unsubscribedAt: integer("unsubscribed_at", { mode: "timestamp_ms" }),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.customerId] })],
);

/** Files staff asked for (a segment's customers as CSV), written to R2 by a queued job. */
export const exports = sqliteTable("exports", {
  id: text("id").primaryKey(),
  segment: text("segment").notNull(),
  status: text("status", { enum: ["queued", "done", "failed"] }).notNull(),
  rows: integer("rows").notNull().default(0),
  error: text("error"),
  createdBy: text("created_by").notNull(),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  finishedAt: integer("finished_at", { mode: "timestamp_ms" }),
});
