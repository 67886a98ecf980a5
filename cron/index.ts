import type { Bindings } from "../src/env";

/** One scheduled job: idempotent, bounded per run. */
export interface CronJob {
  name: string;
  run(env: Bindings, ctx: ExecutionContext, now: Date): Promise<void>;
}

/** Jobs per cron expression; every expression in wrangler.toml has an entry (a test checks). */
export const schedule: Record<string, CronJob[]> = {
  "*/5 * * * *": [],
  "17 * * * *": [],
  "30 3 * * *": [],
};

/** Runs every job of the fired expression; one job's failure is logged and does not stop the others. */
export async function runScheduled(controller: ScheduledController, env: Bindings, ctx: ExecutionContext): Promise<void> {
  const jobs = schedule[controller.cron];
  if (!jobs) throw new Error(`No jobs registered for cron expression '${controller.cron}'`);
  const now = new Date(controller.scheduledTime);
  const results = await Promise.allSettled(jobs.map((job) => job.run(env, ctx, now)));
  results.forEach((result, i) => {
    if (result.status === "rejected") {
      console.error(JSON.stringify({ level: "error", msg: "cron job failed", job: jobs[i]?.name, error: String(result.reason) }));
    }
  });
}
