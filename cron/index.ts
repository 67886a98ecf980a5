import type { Bindings } from "../src/env";
import { abandonedCarts } from "./abandoned-carts";
import { cacheWarmUp } from "./cache-warm-up";
import { carrierTrackingPoll } from "./carrier-tracking-poll";
import { cleanup } from "./cleanup";
import { customerSegments } from "./customer-segments";
import { expireUnpaidOrders } from "./expire-unpaid-orders";
import { inventoryPriceSync } from "./inventory-price-sync";
import type { Job, JobContext } from "./job";
import { lowStockDigest } from "./low-stock-digest";
import { loyaltyPoints } from "./loyalty-points";
import { nightlyAggregates } from "./nightly-aggregates";
import { productFeedSitemap } from "./product-feed-sitemap";
import { recommendations } from "./recommendations";
import { refundRetry } from "./refund-retry";
import { reservationSweep } from "./reservation-sweep";
import { runJob } from "./runner";

const ALL = [
  expireUnpaidOrders,
  reservationSweep,
  refundRetry,
  abandonedCarts,
  inventoryPriceSync,
  carrierTrackingPoll,
  lowStockDigest,
  nightlyAggregates,
  customerSegments,
  loyaltyPoints,
  recommendations,
  productFeedSitemap,
  cleanup,
  cacheWarmUp,
];

/** Every job, by name (for admins' "run now"); unknown names, `__proto__` included, are simply absent. */
export const JOBS: ReadonlyMap<string, Job> = new Map(ALL.map((job) => [job.name, job]));

/** Jobs per cron expression; every expression in wrangler.toml has an entry (a test checks). */
export const schedule: Readonly<Record<string, Job[]>> = {
  "*/5 * * * *": [expireUnpaidOrders, reservationSweep, refundRetry],
  "17 * * * *": [abandonedCarts, inventoryPriceSync, carrierTrackingPoll],
  // Aggregates before warm-up, which ranks products by their sales.
  "30 3 * * *": [
    lowStockDigest,
    nightlyAggregates,
    customerSegments,
    loyaltyPoints,
    recommendations,
    productFeedSitemap,
    cleanup,
    cacheWarmUp,
  ],
};

/** Runs every job of the fired expression, one after another; a failed job is recorded and the rest still run. */
export async function runScheduled(
  controller: ScheduledController,
  env: Bindings,
  ctx: ExecutionContext,
  fetchPage: JobContext["fetchPage"],
): Promise<void> {
  const jobs = Object.hasOwn(schedule, controller.cron) ? schedule[controller.cron] : undefined;
  if (!jobs) throw new Error(`No jobs registered for cron expression '${controller.cron}'`);
  const now = new Date(controller.scheduledTime);
  for (const job of jobs) await runJob({ env, ctx, job, now, trigger: "cron", fetchPage });
}
