import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** One row per job run: when, how many items, how many errors, where it stopped. */
export const jobRuns = sqliteTable(
  "job_runs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    job: text("job").notNull(),
    trigger: text("trigger").notNull(),
    status: text("status", { enum: ["running", "ok", "failed"] }).notNull(),
    startedAt: integer("started_at", { mode: "timestamp_ms" }).notNull(),
    finishedAt: integer("finished_at", { mode: "timestamp_ms" }),
    items: integer("items").notNull().default(0),
    errors: integer("errors").notNull().default(0),
    cursor: text("cursor"),
    detail: text("detail", { mode: "json" }).$type<Record<string, unknown>>(),
  },
  (t) => [index("job_runs_job_idx").on(t.job, t.id)],
);

/** Where each bounded job resumes next run. */
export const jobCursors = sqliteTable("job_cursors", {
  job: text("job").primaryKey(),
  cursor: text("cursor"),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
});

/** Addresses that asked for no more reminder emails. */
export const emailUnsubscribes = sqliteTable("email_unsubscribes", {
  email: text("email").primaryKey(),
  at: integer("at", { mode: "timestamp_ms" }).notNull(),
});

/** The last reminder email each address got (lower-cased), so an address gets at most one a day. */
export const emailReminders = sqliteTable("email_reminders", {
  email: text("email").primaryKey(),
  lastSentAt: integer("last_sent_at", { mode: "timestamp_ms" }).notNull(),
});

/** Sales per UTC day (written by the nightly aggregates job; reports read only these). */
export const dailySales = sqliteTable("daily_sales", {
  day: text("day").primaryKey(),
  currency: text("currency").notNull(),
  ordersPlaced: integer("orders_placed").notNull(),
  ordersPaid: integer("orders_paid").notNull(),
  units: integer("units").notNull(),
  revenue: integer("revenue").notNull(),
  activeCarts: integer("active_carts").notNull(),
});

/** Units and revenue per product per day. */
export const dailyProductSales = sqliteTable(
  "daily_product_sales",
  {
    day: text("day").notNull(),
    productId: integer("product_id").notNull(),
    title: text("title").notNull(),
    units: integer("units").notNull(),
    revenue: integer("revenue").notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.productId] })],
);

/** Orders by status at the end of each day. */
export const dailyOrderStatus = sqliteTable(
  "daily_order_status",
  {
    day: text("day").notNull(),
    status: text("status").notNull(),
    count: integer("count").notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.status] })],
);
