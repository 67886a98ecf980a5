import { configOf } from "../src/config";
import { createDb, type Db } from "../src/db";
import { activeCartsBetween } from "../src/db/cart-index-store";
import { salesBetween } from "../src/db/order-store";
import { writeDaySummary } from "../src/db/report-store";
import { DAY_MS, dayOf, startOfDay } from "./days";
import type { Job } from "./job";

/** Days summarised per run (a missed week catches up over a few nights). */
const MAX_DAYS = 7;

async function summarise(db: Db, day: string, currency: string) {
  const from = new Date(startOfDay(day));
  const to = new Date(from.getTime() + DAY_MS);
  const [sales, activeCarts] = await Promise.all([salesBetween(db, from, to), activeCartsBetween(db, from, to)]);
  await writeDaySummary(db, {
    day,
    currency,
    ordersPlaced: sales.placed,
    ordersPaid: sales.paid,
    units: sales.units,
    revenue: sales.revenue,
    activeCarts,
    products: sales.products,
    statuses: sales.statuses.map((s) => ({ status: s.status, count: s.n })),
  });
}

/** Sales, units and revenue per product, orders by status and active carts, per UTC day, into summary tables. */
export const nightlyAggregates: Job = {
  name: "nightly-aggregates",
  async run({ env, now, state }) {
    const db = createDb(env.DB);
    const yesterday = dayOf(now.getTime() - DAY_MS);
    let day = state.cursor ? dayOf(startOfDay(state.cursor) + DAY_MS) : yesterday;
    if (day > yesterday) day = yesterday; // re-summarise yesterday when asked again the same day
    let items = 0;
    let last = state.cursor;
    for (let n = 0; n < MAX_DAYS && day <= yesterday && Date.now() <= state.deadline; n++) {
      await summarise(db, day, configOf(env).shopCurrency);
      items++;
      last = day;
      day = dayOf(startOfDay(day) + DAY_MS);
    }
    return { items, errors: 0, cursor: last, detail: { through: last } };
  },
};
