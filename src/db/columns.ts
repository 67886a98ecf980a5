import { integer } from "drizzle-orm/sqlite-core";

/** created_at / updated_at as UTC epoch milliseconds. */
export const timestamps = {
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
};
