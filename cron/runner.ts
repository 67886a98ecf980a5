import { createDb } from "../src/db";
import { failRun, finishRun, lastRun, savedCursor, startRun } from "../src/db/job-store";
import type { Bindings } from "../src/env";
import { log } from "../src/log";
import type { Job, JobContext } from "./job";

/** How long one job may run before it must save its cursor and stop. */
export const TIME_BUDGET_MS = 20_000;

export interface RunJobOptions {
  env: Bindings;
  ctx: ExecutionContext;
  job: Job;
  now: Date;
  trigger: "cron" | "manual";
  fetchPage: JobContext["fetchPage"];
}

/** Runs one job with its saved cursor and records the run; a failure is recorded, never thrown. */
export async function runJob({ env, ctx, job, now, trigger, fetchPage }: RunJobOptions) {
  const db = createDb(env.DB);
  const id = await startRun(db, job.name, trigger, new Date());
  const saved = await savedCursor(db, job.name);
  try {
    const result = await job.run({ env, ctx, now, state: { cursor: saved, deadline: Date.now() + TIME_BUDGET_MS }, fetchPage });
    const cursor = result.cursor === undefined ? saved : result.cursor;
    await finishRun(db, id, job.name, { items: result.items, errors: result.errors, cursor, detail: result.detail ?? null }, new Date());
    return { id, job: job.name, status: "ok" as const, items: result.items, errors: result.errors, cursor, detail: result.detail ?? {} };
  } catch (err) {
    log.error("job.failed", { job: job.name, error: err });
    await failRun(db, id, String(err), new Date());
    return { id, job: job.name, status: "failed" as const, items: 0, errors: 1, cursor: saved, detail: { error: String(err) } };
  }
}

/** The latest run of each job. */
export async function lastRuns(env: Bindings, names: string[]) {
  const db = createDb(env.DB);
  return Promise.all(names.map(async (name) => ({ job: name, ...(await lastRun(db, name)) })));
}
