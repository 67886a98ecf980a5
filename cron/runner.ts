import { desc, eq } from "drizzle-orm";
import { createDb } from "../src/db";
import { jobCursors, jobRuns } from "../src/db/schema";
import type { Bindings } from "../src/env";
import type { Job } from "./job";

/** How long one job may run before it must save its cursor and stop. */
export const TIME_BUDGET_MS = 20_000;

/** Runs one job with its saved cursor and records the run; a failure is recorded, never thrown. */
export async function runJob(env: Bindings, ctx: ExecutionContext, job: Job, now: Date, trigger: "cron" | "manual") {
  const db = createDb(env.DB);
  const [run] = await db
    .insert(jobRuns)
    .values({ job: job.name, trigger, status: "running", startedAt: new Date() })
    .returning({ id: jobRuns.id });
  const [saved] = await db.select().from(jobCursors).where(eq(jobCursors.job, job.name));
  try {
    const result = await job.run(env, ctx, now, { cursor: saved?.cursor ?? null, deadline: Date.now() + TIME_BUDGET_MS });
    const cursor = result.cursor === undefined ? (saved?.cursor ?? null) : result.cursor;
    await db.batch([
      db
        .insert(jobCursors)
        .values({ job: job.name, cursor, updatedAt: new Date() })
        .onConflictDoUpdate({ target: jobCursors.job, set: { cursor, updatedAt: new Date() } }),
      db
        .update(jobRuns)
        .set({ status: "ok", finishedAt: new Date(), items: result.items, errors: result.errors, cursor, detail: result.detail ?? null })
        .where(eq(jobRuns.id, run!.id)),
    ]);
    return {
      id: run!.id,
      job: job.name,
      status: "ok" as const,
      items: result.items,
      errors: result.errors,
      cursor,
      detail: result.detail ?? {},
    };
  } catch (err) {
    console.error(JSON.stringify({ level: "error", msg: "job failed", job: job.name, error: String(err) }));
    await db
      .update(jobRuns)
      .set({ status: "failed", finishedAt: new Date(), errors: 1, detail: { error: String(err).slice(0, 2000) } })
      .where(eq(jobRuns.id, run!.id));
    return {
      id: run!.id,
      job: job.name,
      status: "failed" as const,
      items: 0,
      errors: 1,
      cursor: saved?.cursor ?? null,
      detail: { error: String(err) },
    };
  }
}

/** The latest run of each job. */
export async function lastRuns(env: Bindings, names: string[]) {
  const db = createDb(env.DB);
  return Promise.all(
    names.map(async (name) => {
      const [last] = await db.select().from(jobRuns).where(eq(jobRuns.job, name)).orderBy(desc(jobRuns.id)).limit(1);
      const [cursor] = await db.select().from(jobCursors).where(eq(jobCursors.job, name));
      return { job: name, lastRun: last ?? null, cursor: cursor?.cursor ?? null };
    }),
  );
}
