import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { JOBS } from "../../cron";
import { runJob } from "../../cron/runner";

/** Runs a job by name as the scheduler would, at `now`, with env overrides; waits for its background work. */
export async function runNamed(name: string, now: Date, overrides: Record<string, unknown> = {}) {
  const job = JOBS[name];
  if (!job) throw new Error(`no job ${name}`);
  const ctx = createExecutionContext();
  const result = await runJob({ ...env, ...overrides } as typeof env, ctx, job, now, "manual");
  await waitOnExecutionContext(ctx);
  return result;
}

/** `minutes` after the real now (holds and idle times are measured from real time). */
export const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60_000);
