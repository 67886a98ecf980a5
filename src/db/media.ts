import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Uploaded images: R2 holds the bytes under `media/<key>`, where key is the SHA-256 of the bytes. */
export const media = sqliteTable(
  "media",
  {
    key: text("key").primaryKey(),
    contentType: text("content_type").notNull(),
    size: integer("size").notNull(),
    width: integer("width").notNull(),
    height: integer("height").notNull(),
    uploadedAt: integer("uploaded_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("media_uploaded_idx").on(t.uploadedAt)],
);
