import type { Db } from "../db";
import { attentionCounts, paidPerDay } from "../db/report-store";
import { lowStock } from "../db/stock-store";

const DAY_MS = 86_400_000;

/** The UTC calendar day of an instant (YYYY-MM-DD). */
const dayOf = (t: Date) => t.toISOString().slice(0, 10);

/**
 * What the admin dashboard shows: paid sales today, over 7 and 30 days (today included, counted live),
 * one bar per day for the chart, orders to fulfil, low stock and failed events.
 */
export async function dashboard(db: Db, now: Date) {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const since = new Date(today - 29 * DAY_MS);
  const [perDay, attention, low] = await Promise.all([paidPerDay(db, since), attentionCounts(db), lowStock(db)]);
  const byDay = new Map(perDay.map((d) => [d.day, d]));
  const days = Array.from({ length: 30 }, (_, i) => {
    const day = dayOf(new Date(since.getTime() + i * DAY_MS));
    return { day, orders: byDay.get(day)?.orders ?? 0, revenue: byDay.get(day)?.revenue ?? 0 };
  });
  const total = (n: number) =>
    days.slice(-n).reduce((acc, d) => ({ orders: acc.orders + d.orders, revenue: acc.revenue + d.revenue }), { orders: 0, revenue: 0 });
  return { today: total(1), week: total(7), month: total(30), days, ...attention, lowStock: low.slice(0, 10), lowStockCount: low.length };
}
