import type { Db } from "../db";
import { auditRows, insertAudit } from "../db/audit-store";

/** One admin action for the audit log. */
export interface AuditEntry {
  actor: string;
  action: string;
  entity: string;
  entityId: string;
  changes?: Record<string, unknown> | null;
  requestId?: string | null;
}

/** Records who did what to which entity. */
export function recordAudit(db: Db, entry: AuditEntry, now = new Date()): Promise<void> {
  return insertAudit(db, { ...entry, at: now });
}

/** Audit entities only owners see (staff accounts, sign-ins, tokens). */
export const OWNER_ONLY_ENTITIES = ["staff", "token"];

/** The audit log newest first, filtered by actor, entity and entity id; `next` is the `before` of the following page. */
export async function auditTrail(
  db: Db,
  query: { actor?: string; entity?: string; entityId?: string; before?: number; hideEntities?: string[]; limit: number },
) {
  const rows = await auditRows(db, query);
  return { items: rows.slice(0, query.limit), next: rows.length > query.limit ? rows[query.limit - 1]?.id : undefined };
}
