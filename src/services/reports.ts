import type { Db } from "../db";
import { summariesBetween } from "../db/report-store";
import { invalid } from "../errors";

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Whether a YYYY-MM-DD string names a real calendar day (no 2024-02-30). */
export function isCalendarDay(day: string): boolean {
  if (!DAY.test(day)) return false;
  const t = Date.parse(`${day}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === day;
}

/** Sales between two days (inclusive) from the nightly summaries, with the top products by revenue. */
export async function salesReport(db: Db, from: string, to: string, currency: string) {
  if (from > to) throw invalid("invalid_range", "'from' must not be after 'to'.");
  if (Date.parse(to) - Date.parse(from) > 366 * 86_400_000) throw invalid("invalid_range", "Ask for at most 366 days.");
  const { days, products } = await summariesBetween(db, from, to);
  const byProduct = new Map<number, { productId: number; title: string; units: number; revenue: number }>();
  for (const p of products) {
    const agg = byProduct.get(p.productId) ?? { productId: p.productId, title: p.title, units: 0, revenue: 0 };
    agg.units += p.units;
    agg.revenue += p.revenue;
    byProduct.set(p.productId, agg);
  }
  const totals = days.reduce((t, d) => ({ orders: t.orders + d.ordersPaid, units: t.units + d.units, revenue: t.revenue + d.revenue }), {
    orders: 0,
    units: 0,
    revenue: 0,
  });
  return {
    from,
    to,
    currency,
    totals: { ordersPaid: totals.orders, units: totals.units, revenue: { amount: totals.revenue, currency } },
    days: days.map((d) => ({ ...d, revenue: { amount: d.revenue, currency: d.currency } })),
    topProducts: [...byProduct.values()]
      .sort((a, b) => b.revenue - a.revenue)
      .slice(0, 20)
      .map((p) => ({ ...p, revenue: { amount: p.revenue, currency } })),
  };
}
