import { eq } from "drizzle-orm";
import type { Db } from "./index";
import { auditLog, infoPages } from "./schema";

export type InfoPageRow = typeof infoPages.$inferSelect;

/** The audit row written in the same batch as a page change. */
export interface InfoPageAudit {
  actor: string;
  action: string;
  changes: Record<string, unknown> | null;
  requestId: string | null;
  at: Date;
}

const auditOf = (db: Db, slug: string, audit: InfoPageAudit) =>
  db.insert(auditLog).values({ ...audit, entity: "info_page", entityId: slug });

/** Every edited page. */
export function infoPageRows(db: Db): Promise<InfoPageRow[]> {
  return db.select().from(infoPages);
}

/** The edited page with this slug, if any. */
export async function infoPageRow(db: Db, slug: string): Promise<InfoPageRow | undefined> {
  const [row] = await db.select().from(infoPages).where(eq(infoPages.slug, slug)).limit(1);
  return row;
}

/** Writes a page's title and body with its audit row, atomically. */
export async function upsertInfoPage(db: Db, row: InfoPageRow, audit: InfoPageAudit): Promise<void> {
  const { slug, ...fields } = row;
  await db.batch([db.insert(infoPages).values(row).onConflictDoUpdate({ target: infoPages.slug, set: fields }), auditOf(db, slug, audit)]);
}

/** Drops a page's edit (it shows its default text again) with its audit row, atomically. */
export async function deleteInfoPage(db: Db, slug: string, audit: InfoPageAudit): Promise<void> {
  await db.batch([db.delete(infoPages).where(eq(infoPages.slug, slug)), auditOf(db, slug, audit)]);
}
