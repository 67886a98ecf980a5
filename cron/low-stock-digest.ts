import { configOf } from "../src/config";
import { createDb } from "../src/db";
import { lowStock } from "../src/db/stock-store";
import { queueEmail } from "../src/services/notifications";
import { dayOf } from "./days";
import type { Job } from "./job";

/** One email a day to staff listing SKUs at or under their low-stock threshold. */
export const lowStockDigest: Job = {
  name: "low-stock-digest",
  async run({ env, now }) {
    const db = createDb(env.DB);
    const items = await lowStock(db);
    const to = configOf(env).staffEmail;
    if (!items.length || !to) return { items: 0, errors: 0, detail: { lowStock: items.length } };
    await queueEmail(env, db, { id: `stock.low:${dayOf(now)}`, type: "stock.low", to, data: { items } });
    return { items: items.length, errors: 0, detail: { lowStock: items.length } };
  },
};
