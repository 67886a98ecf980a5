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
