import { configOf } from "../src/config";
import type { Bindings } from "../src/env";
import { type LogFields, log } from "../src/log";

/** Where a bounded job left off, and how long it may run this time. */
export interface JobState {
  cursor: string | null;
  /** Epoch ms after which the job should stop and save its cursor. */
  deadline: number;
}

/** What a job runs with: bindings, the time it runs for, its saved state, and what its runner lends it. */
export interface JobContext {
  env: Bindings;
  ctx: ExecutionContext;
  now: Date;
  state: JobState;
  /** Answers a request through the Worker (the cache warm-up renders pages with it). */
  fetchPage: (request: Request) => Promise<Response>;
}

/** What a run did. */
export interface JobResult {
  items: number;
  errors: number;
  /** Saved for the next run (null clears it: the backlog is done). */
  cursor?: string | null;
  detail?: Record<string, unknown>;
}

/** A scheduled job: idempotent, bounded per run. */
export interface Job {
  name: string;
  run(job: JobContext): Promise<JobResult>;
}

/** A job's batch size: JOB_BATCH_SIZE when set (ops tuning, tests), else the job's default. */
export function batchSize(env: Bindings, fallback: number): number {
  return configOf(env).jobBatchSize ?? fallback;
}

/**
 * Works through `items` one at a time until the deadline: a failing item is counted and logged, and
 * the rest still run. Returns how many succeeded and failed, and the last item reached.
 */
export async function eachUntilDeadline<T>(
  state: JobState,
  items: readonly T[],
  work: (item: T) => Promise<void>,
  failure: { event: string; fields: (item: T) => LogFields },
): Promise<{ items: number; errors: number; last: T | undefined }> {
  let done = 0;
  let errors = 0;
  let last: T | undefined;
  for (const item of items) {
    if (Date.now() > state.deadline) break;
    try {
      await work(item);
      done++;
    } catch (err) {
      errors++;
      log.error(failure.event, { ...failure.fields(item), error: err });
    }
    last = item;
  }
  return { items: done, errors, last };
}
