import { and, gte, lt, sql } from "drizzle-orm";
import type { Db } from "./index";
import { usageMinutes } from "./schema";

/** One counter to add. */
export interface UsageRow {
  minute: number;
  class: string;
  metric: string;
  value: number;
}

/** Adds counters to their minutes (one statement each, in one batch). */
export async function addUsage(db: Db, rows: UsageRow[]): Promise<void> {
  const statements = rows.map((r) =>
    db
      .insert(usageMinutes)
      .values(r)
      .onConflictDoUpdate({
        target: [usageMinutes.minute, usageMinutes.class, usageMinutes.metric],
        set: { value: sql`${usageMinutes.value} + excluded.value` },
      }),
  );
  const [first, ...rest] = statements;
  if (first) await db.batch([first, ...rest]);
}

/** Counters summed per class and metric over [from, to). */
export async function usageBetween(db: Db, from: Date, to: Date): Promise<{ class: string; metric: string; value: number }[]> {
  const fromMinute = Math.floor(from.getTime() / 60_000);
  const toMinute = Math.floor(to.getTime() / 60_000);
  return db
    .select({ class: usageMinutes.class, metric: usageMinutes.metric, value: sql<number>`sum(${usageMinutes.value})`.mapWith(Number) })
    .from(usageMinutes)
    .where(and(gte(usageMinutes.minute, fromMinute), lt(usageMinutes.minute, toMinute + 1)))
    .groupBy(usageMinutes.class, usageMinutes.metric);
}

/** Deletes counters older than `before` (housekeeping); how many rows. */
export async function deleteOldUsage(db: Db, before: Date, limit: number): Promise<number> {
  const cutoff = Math.floor(before.getTime() / 60_000);
  const rows = await db
    .delete(usageMinutes)
    // A bounded delete: SQLite takes LIMIT on DELETE only through a rowid subquery.
    .where(sql`rowid in (select rowid from ${usageMinutes} where ${usageMinutes.minute} < ${cutoff} limit ${limit})`)
    .returning({ minute: usageMinutes.minute });
  return rows.length;
}
