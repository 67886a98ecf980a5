import { desc, eq } from "drizzle-orm";
import type { Db } from "./index";
import { jobCursors, jobRuns } from "./schema";

export type JobRunRow = typeof jobRuns.$inferSelect;

/** Starts a run row; returns its id. */
export async function startRun(db: Db, job: string, trigger: string, now: Date): Promise<number> {
  const [run] = await db.insert(jobRuns).values({ job, trigger, status: "running", startedAt: now }).returning({ id: jobRuns.id });
  if (!run) throw new Error(`no run row for ${job}`);
  return run.id;
}

/** Where a job resumes. */
export async function savedCursor(db: Db, job: string): Promise<string | null> {
  const [row] = await db.select({ cursor: jobCursors.cursor }).from(jobCursors).where(eq(jobCursors.job, job)).limit(1);
  return row?.cursor ?? null;
}

/** Records a successful run and its cursor together. */
export async function finishRun(
  db: Db,
  id: number,
  job: string,
  result: { items: number; errors: number; cursor: string | null; detail: Record<string, unknown> | null },
  now: Date,
): Promise<void> {
  await db.batch([
    db
      .insert(jobCursors)
      .values({ job, cursor: result.cursor, updatedAt: now })
      .onConflictDoUpdate({ target: jobCursors.job, set: { cursor: result.cursor, updatedAt: now } }),
    db
      .update(jobRuns)
      .set({ status: "ok", finishedAt: now, items: result.items, errors: result.errors, cursor: result.cursor, detail: result.detail })
      .where(eq(jobRuns.id, id)),
  ]);
}

/** Records a failed run. */
export async function failRun(db: Db, id: number, error: string, now: Date): Promise<void> {
  await db
    .update(jobRuns)
    .set({ status: "failed", finishedAt: now, errors: 1, detail: { error: error.slice(0, 2000) } })
    .where(eq(jobRuns.id, id));
}

/** A job's latest run and saved cursor. */
export async function lastRun(db: Db, job: string): Promise<{ lastRun: JobRunRow | null; cursor: string | null }> {
  const [[last], cursor] = await Promise.all([
    db.select().from(jobRuns).where(eq(jobRuns.job, job)).orderBy(desc(jobRuns.id)).limit(1),
    savedCursor(db, job),
  ]);
  return { lastRun: last ?? null, cursor };
}
