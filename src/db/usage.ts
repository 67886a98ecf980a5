import { integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Metered usage and request counters per UTC minute and request class (summed by every isolate's flushes). */
export const usageMinutes = sqliteTable(
  "usage_minutes",
  {
    /** Minutes since the Unix epoch. */
    minute: integer("minute").notNull(),
    class: text("class").notNull(),
    metric: text("metric").notNull(),
    value: real("value").notNull(),
  },
  (t) => [primaryKey({ columns: [t.minute, t.class, t.metric] })],
);
