import type { Bindings } from "../src/env";

/** Where a bounded job left off, and how long it may run this time. */
export interface JobState {
  cursor: string | null;
  /** Epoch ms after which the job should stop and save its cursor. */
  deadline: number;
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
  run(env: Bindings, ctx: ExecutionContext, now: Date, state: JobState): Promise<JobResult>;
}

/** A job's batch size: JOB_BATCH_SIZE when set (ops tuning, tests), else the job's default. */
export function batchSize(env: Bindings, fallback: number): number {
  const configured = Number(env.JOB_BATCH_SIZE);
  return Number.isInteger(configured) && configured > 0 ? configured : fallback;
}
