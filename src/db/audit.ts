import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** One row per admin write: who changed what, when, and the new values. */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    entity: text("entity").notNull(),
    entityId: text("entity_id").notNull(),
    changes: text("changes", { mode: "json" }).$type<Record<string, unknown>>(),
    requestId: text("request_id"),
  },
  (t) => [index("audit_log_entity_idx").on(t.entity, t.entityId, t.at)],
);
