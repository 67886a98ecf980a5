import { configOf } from "../src/config";
import { createDb } from "../src/db";
import { bestSellingSlugs, rootCategorySlugs } from "../src/db/report-store";
import { DAY_MS, dayOf } from "./days";
import { eachUntilDeadline, type Job } from "./job";

/** Renders the home page, top-level categories and the best-selling (else newest) products into the cache. */
export const cacheWarmUp: Job = {
  name: "cache-warm-up",
  async run({ env, now, state, fetchPage }) {
    const db = createDb(env.DB);
    const config = configOf(env);
    const [products, categories] = await Promise.all([
      bestSellingSlugs(db, dayOf(now.getTime() - 7 * DAY_MS), config.cacheWarmTop),
      rootCategorySlugs(db),
    ]);
    const paths = ["/", ...categories.map((slug) => `/c/${slug}`), ...products.map((slug) => `/p/${slug}`)];
    const { items, errors } = await eachUntilDeadline(
      state,
      paths,
      async (path) => {
        const res = await fetchPage(new Request(new URL(path, config.publicBaseUrl)));
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`answered ${res.status}`);
      },
      { event: "job.warm_up_failed", fields: (path) => ({ path }) },
    );
    return { items, errors, detail: { pages: paths.length } };
  },
};
