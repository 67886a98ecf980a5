import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { JOBS } from "../../cron";
import { runJob } from "../../cron/runner";
import worker from "../../src/index";
import { incoming } from "./worker";

/** Runs a job by name as the scheduler would, at `now`, with env overrides; waits for its background work. */
export async function runNamed(name: string, now: Date, overrides: Record<string, unknown> = {}) {
  const job = JOBS.get(name);
  if (!job) throw new Error(`no job ${name}`);
  const ctx = createExecutionContext();
  const jobEnv = { ...env, ...overrides } as typeof env;
  const fetchPage = async (request: Request) => worker.fetch(incoming(request), jobEnv, ctx);
  const result = await runJob({ env: jobEnv, ctx, job, now, trigger: "manual", fetchPage });
  await waitOnExecutionContext(ctx);
  return result;
}

/** `minutes` after the real now (holds and idle times are measured from real time). */
export const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60_000);
