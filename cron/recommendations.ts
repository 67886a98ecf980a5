import { bumpCatalogVersion } from "../src/cache/catalog-cache";
import { createDb } from "../src/db";
import { addPairs, paidOrdersAfter, pairCursor, rebuildRecommendations } from "../src/db/recommendation-store";
import { DAY_MS } from "./days";
import { batchSize, type Job } from "./job";

/** Recommendations kept per product and kind. */
const TOP = 4;
/** "Similar" breaks ties by units sold in this many days. */
const SALES_DAYS = 90;

/**
 * Counts co-purchases from paid orders in bounded batches (each batch and its cursor written
 * together, so a rerun resumes without counting twice), then rewrites every product's "bought
 * together" and "similar" lists and starts a new catalog version so product pages show them.
 */
export const recommendations: Job = {
  name: "recommendations",
  async run({ env, now, state }) {
    const db = createDb(env.DB);
    const size = batchSize(env, 500);
    let counted = 0;
    while (Date.now() <= state.deadline) {
      const batch = await paidOrdersAfter(db, await pairCursor(db), size);
      const last = batch.at(-1);
      if (!last) break;
      const pairs = new Map<string, number>();
      for (const order of batch) {
        for (const a of order.products) {
          for (const b of order.products) if (a !== b) pairs.set(`${a}:${b}`, (pairs.get(`${a}:${b}`) ?? 0) + 1);
        }
      }
      await addPairs(db, pairs, { paidAt: last.paidAt, orderId: last.id });
      counted += batch.length;
      if (batch.length < size) break;
    }
    const since = new Date(now.getTime() - SALES_DAYS * DAY_MS).toISOString().slice(0, 10);
    await rebuildRecommendations(db, TOP, since);
    await bumpCatalogVersion(env.CATALOG_CACHE, now);
    return { items: counted, errors: 0, cursor: null, detail: { ordersCounted: counted } };
  },
};
