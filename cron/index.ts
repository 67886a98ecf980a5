import type { Bindings } from "../src/env";
import { abandonedCarts } from "./abandoned-carts";
import { cacheWarmUp } from "./cache-warm-up";
import { carrierPoll } from "./carrier-poll";
import { cleanup } from "./cleanup";
import { expireUnpaidOrders } from "./expire-unpaid-orders";
import { inventorySync } from "./inventory-sync";
import type { Job } from "./job";
import { lowStockDigest } from "./low-stock-digest";
import { nightlyAggregates } from "./nightly-aggregates";
import { productFeed } from "./product-feed";
import { reservationSweep } from "./reservation-sweep";
import { runJob } from "./runner";

/** Every job, by name (for admins' "run now"). */
export const JOBS: Record<string, Job> = Object.fromEntries(
  [
    expireUnpaidOrders,
    reservationSweep,
    abandonedCarts,
    inventorySync,
    carrierPoll,
    lowStockDigest,
    nightlyAggregates,
    productFeed,
    cleanup,
    cacheWarmUp,
  ].map((job) => [job.name, job]),
);

/** Jobs per cron expression; every expression in wrangler.toml has an entry (a test checks). */
export const schedule: Record<string, Job[]> = {
  "*/5 * * * *": [expireUnpaidOrders, reservationSweep],
  "17 * * * *": [abandonedCarts, inventorySync, carrierPoll],
  // Aggregates before warm-up, which ranks products by their sales.
  "30 3 * * *": [lowStockDigest, nightlyAggregates, productFeed, cleanup, cacheWarmUp],
};

/** Runs every job of the fired expression, one after another; a failed job is recorded and the rest still run. */
export async function runScheduled(controller: ScheduledController, env: Bindings, ctx: ExecutionContext): Promise<void> {
  const jobs = schedule[controller.cron];
  if (!jobs) throw new Error(`No jobs registered for cron expression '${controller.cron}'`);
  const now = new Date(controller.scheduledTime);
  for (const job of jobs) await runJob(env, ctx, job, now, "cron");
}
