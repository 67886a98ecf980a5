import { sql } from "drizzle-orm";
import { createDb } from "../src/db";
import { queueEmail } from "../src/services/notifications";
import { dayOf } from "./days";
import type { Job } from "./job";

/** One email a day to staff listing SKUs at or under their low-stock threshold. */
export const lowStockDigest: Job = {
  name: "low-stock-digest",
  async run(env, _ctx, now) {
    const db = createDb(env.DB);
    const items = await db.all<{ sku: string; available: number }>(sql`
      select s.sku, s.available from stock_levels s join variants v on v.sku = s.sku join products p on p.id = v.product_id
      where p.status = 'published' and s.available <= s.low_stock_threshold order by s.available, s.sku limit 500`);
    if (!items.length || !env.STAFF_EMAIL) return { items: 0, errors: 0, detail: { lowStock: items.length } };
    await queueEmail(env, db, { id: `stock.low:${dayOf(now)}`, type: "stock.low", to: env.STAFF_EMAIL, data: { items } });
    return { items: items.length, errors: 0, detail: { lowStock: items.length } };
  },
};
