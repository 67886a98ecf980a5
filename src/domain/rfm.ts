import type { RfmSegment } from "./customer";

const DAY_MS = 86_400_000;

/** What scoring reads of a customer (their kept order figures). */
export interface Figures {
  ordersCount: number;
  lifetimeValue: number;
  lastOrderAt: Date | null;
}

/** Lifetime values at the 20th, 40th, 60th and 80th percentile of buyers (the money score's steps). */
export type MoneyBounds = readonly [number, number, number, number];

/** Recency 1–5 by days since the last order. */
export function recencyScore(days: number): number {
  if (days <= 30) return 5;
  if (days <= 60) return 4;
  if (days <= 90) return 3;
  if (days <= 180) return 2;
  return 1;
}

/** Frequency 1–5 by paid orders. */
export function frequencyScore(orders: number): number {
  if (orders >= 10) return 5;
  if (orders >= 5) return 4;
  if (orders >= 3) return 3;
  return orders >= 2 ? 2 : 1;
}

/** Money 1–5: the buyer quintile their lifetime value falls in. */
export const moneyScore = (value: number, bounds: MoneyBounds) => 1 + bounds.filter((b) => value > b).length;

/**
 * A customer's scores ("R F M" digits) and segment as of `now`: prospects have no paid order; lapsed
 * ones none in 180 days, at-risk ones none in 90; champions buy recently, often and much; new ones once.
 */
export function scoreCustomer(f: Figures, now: Date, bounds: MoneyBounds): { rfm: string | null; segment: RfmSegment } {
  if (f.ordersCount === 0 || !f.lastOrderAt) return { rfm: null, segment: "prospect" };
  const days = Math.max(0, Math.floor((now.getTime() - f.lastOrderAt.getTime()) / DAY_MS));
  const r = recencyScore(days);
  const fr = frequencyScore(f.ordersCount);
  const m = moneyScore(f.lifetimeValue, bounds);
  const rfm = `${r}${fr}${m}`;
  if (days > 180) return { rfm, segment: "lapsed" };
  if (days > 90) return { rfm, segment: "at_risk" };
  if (r >= 4 && fr >= 3 && m >= 4) return { rfm, segment: "champions" };
  if (f.ordersCount === 1) return { rfm, segment: "new" };
  return { rfm, segment: "active" };
}
