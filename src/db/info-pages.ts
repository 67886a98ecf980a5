import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Info pages staff have edited (a page without a row shows its default text). */
export const infoPages = sqliteTable("info_pages", {
  slug: text("slug").primaryKey(),
  title: text("title").notNull(),
  body: text("body").notNull(),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  updatedBy: text("updated_by").notNull(),
});
