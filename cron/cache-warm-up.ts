import { sql } from "drizzle-orm";
import { app } from "../src/app";
import { createDb } from "../src/db";
import { DAY_MS, dayOf } from "./days";
import type { Job } from "./job";

const DEFAULT_TOP = 50;

/** Renders the home page, top-level categories and the best-selling (else newest) products into the cache. */
export const cacheWarmUp: Job = {
  name: "cache-warm-up",
  async run(env, ctx, now, state) {
    const db = createDb(env.DB);
    const top = Number(env.CACHE_WARM_TOP ?? DEFAULT_TOP) || DEFAULT_TOP;
    const since = dayOf(now.getTime() - 7 * DAY_MS);
    const products = await db.all<{ slug: string }>(sql`
      select p.slug from products p left join (
        select product_id, sum(units) as units from daily_product_sales where day >= ${since} group by product_id
      ) s on s.product_id = p.id
      where p.status = 'published' order by coalesce(s.units, 0) desc, p.published_at desc limit ${top}`);
    const categories = await db.all<{ slug: string }>(sql`select slug from categories where parent_id is null order by position`);
    const paths = ["/", ...categories.map((c) => `/c/${c.slug}`), ...products.map((p) => `/p/${p.slug}`)];
    let items = 0;
    let errors = 0;
    for (const path of paths) {
      if (Date.now() > state.deadline) break;
      const res = await app.fetch(new Request(new URL(path, env.PUBLIC_BASE_URL)), env, ctx);
      await res.arrayBuffer();
      if (res.status === 200) items++;
      else errors++;
    }
    return { items, errors, detail: { pages: paths.length } };
  },
};
