import { and, desc, eq, lt, notInArray } from "drizzle-orm";
import type { Db } from "./index";
import { auditLog } from "./schema";

/** Records one admin action (who, what, on which entity, with what input). */
export async function insertAudit(
  db: Db,
  row: {
    actor: string;
    action: string;
    entity: string;
    entityId: string;
    changes?: Record<string, unknown> | null;
    requestId?: string | null;
    at: Date;
  },
): Promise<void> {
  await db.insert(auditLog).values({ ...row, changes: row.changes ?? null, requestId: row.requestId ?? null });
}

/** Audit rows newest first (one more than `limit`, so callers know whether another page follows). */
export function auditRows(
  db: Db,
  query: { actor?: string; entity?: string; entityId?: string; before?: number; hideEntities?: string[]; limit: number },
) {
  return db
    .select()
    .from(auditLog)
    .where(
      and(
        query.actor ? eq(auditLog.actor, query.actor) : undefined,
        query.entity ? eq(auditLog.entity, query.entity) : undefined,
        query.entityId ? eq(auditLog.entityId, query.entityId) : undefined,
        query.before ? lt(auditLog.id, query.before) : undefined,
        query.hideEntities?.length ? notInArray(auditLog.entity, query.hideEntities) : undefined,
      ),
    )
    .orderBy(desc(auditLog.id))
    .limit(query.limit + 1);
}
