import { sql } from "drizzle-orm";
import { createDb, type Db } from "../src/db";
import { DAY_MS, dayOf, startOfDay } from "./days";
import type { Job } from "./job";

/** Days summarised per run (a missed week catches up over a few nights). */
const MAX_DAYS = 7;

async function summarise(db: Db, day: string, currency: string) {
  const from = startOfDay(day);
  const to = from + DAY_MS;
  const paidThatDay = sql`select order_id from order_events where to_status = 'paid' and applied = 1 and at >= ${from} and at < ${to}`;
  const [placed] = await db.all<{ n: number }>(sql`select count(*) as n from orders where created_at >= ${from} and created_at < ${to}`);
  const [paid] = await db.all<{ n: number; units: number | null; revenue: number | null }>(sql`
    select count(distinct o.id) as n,
      (select sum(quantity) from order_lines where order_id in (${paidThatDay})) as units,
      (select sum(total) from orders where id in (${paidThatDay})) as revenue
    from orders o where o.id in (${paidThatDay})`);
  const [carts] = await db.all<{ n: number }>(sql`select count(*) as n from cart_index where updated_at >= ${from} and updated_at < ${to}`);
  const products = await db.all<{ product_id: number; title: string; units: number; revenue: number }>(sql`
    select coalesce(product_id, 0) as product_id, min(title) as title, sum(quantity) as units, sum(line_total) as revenue
    from order_lines where order_id in (${paidThatDay}) group by coalesce(product_id, 0)`);
  const statuses = await db.all<{ status: string; n: number }>(
    sql`select status, count(*) as n from orders where created_at < ${to} group by status`,
  );
  // Re-running a day replaces its rows: the job is idempotent (one atomic batch).
  const d1 = db.$client;
  await d1.batch([
    d1.prepare("delete from daily_sales where day = ?").bind(day),
    d1.prepare("delete from daily_product_sales where day = ?").bind(day),
    d1.prepare("delete from daily_order_status where day = ?").bind(day),
    d1
      .prepare(
        "insert into daily_sales (day, currency, orders_placed, orders_paid, units, revenue, active_carts) values (?, ?, ?, ?, ?, ?, ?)",
      )
      .bind(day, currency, placed?.n ?? 0, paid?.n ?? 0, paid?.units ?? 0, paid?.revenue ?? 0, carts?.n ?? 0),
    ...products.map((p) =>
      d1
        .prepare("insert into daily_product_sales (day, product_id, title, units, revenue) values (?, ?, ?, ?, ?)")
        .bind(day, p.product_id, p.title, p.units, p.revenue),
    ),
    ...statuses.map((st) => d1.prepare("insert into daily_order_status (day, status, count) values (?, ?, ?)").bind(day, st.status, st.n)),
  ]);
  return products.length;
}

/** Sales, units and revenue per product, orders by status and active carts, per UTC day, into summary tables. */
export const nightlyAggregates: Job = {
  name: "nightly-aggregates",
  async run(env, _ctx, now, state) {
    const db = createDb(env.DB);
    const yesterday = dayOf(now.getTime() - DAY_MS);
    let day = state.cursor ? dayOf(startOfDay(state.cursor) + DAY_MS) : yesterday;
    if (day > yesterday) day = yesterday; // re-summarise yesterday when asked again the same day
    let items = 0;
    let last = state.cursor;
    for (let n = 0; n < MAX_DAYS && day <= yesterday && Date.now() <= state.deadline; n++) {
      await summarise(db, day, env.SHOP_CURRENCY);
      items++;
      last = day;
      day = dayOf(startOfDay(day) + DAY_MS);
    }
    return { items, errors: 0, cursor: last, detail: { through: last } };
  },
};
