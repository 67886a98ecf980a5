import type { Db } from "../db";
import { ordersPlacedBetween } from "../db/order-store";
import { usageBetween } from "../db/usage-store";
import { PRICES } from "../metering/prices";
import { METRICS, type Metric } from "../metering/usage";

/** Classes whose cost an order carries end to end: the cart, checkout, payment, order pages, webhooks, queues and jobs. */
const ORDER_PATH = (cls: string) =>
  ["cart", "checkout", "order", "webhook"].includes(cls) || cls.startsWith("queue:") || cls.startsWith("cron:");

const round = (n: number, digits = 6) => Math.round(n * 10 ** digits) / 10 ** digits;

async function byClass(db: Db, from: Date, to: Date) {
  const out = new Map<string, Record<string, number>>();
  for (const row of await usageBetween(db, from, to)) {
    const c = out.get(row.class) ?? {};
    c[row.metric] = (c[row.metric] ?? 0) + row.value;
    out.set(row.class, c);
  }
  return out;
}

/** Requests, errors, cache hits and mean wall time per request class over a window. */
export async function metricsReport(db: Db, from: Date, to: Date) {
  const classes = [...(await byClass(db, from, to))].map(([cls, c]) => ({
    class: cls,
    requests: c.requests ?? 0,
    status4xx: c.status4xx ?? 0,
    status5xx: c.status5xx ?? 0,
    cacheHits: c.cacheHits ?? 0,
    meanMs: c.requests ? round((c.wallMs ?? 0) / c.requests, 2) : 0,
    d1Statements: c.d1Statements ?? 0,
    doRequests: c.doRequests ?? 0,
    kvReads: c.kvReads ?? 0,
  }));
  classes.sort((a, b) => b.requests - a.requests || a.class.localeCompare(b.class));
  return { from: from.toISOString(), to: to.toISOString(), classes };
}

/**
 * What running the shop cost over a window at Cloudflare's published prices: per request class, the
 * metered usage, its price per item, dollars per million requests; and dollars per thousand orders
 * placed, from the classes an order goes through.
 */
export async function costReport(db: Db, from: Date, to: Date) {
  const grouped = await byClass(db, from, to);
  const classes = [...grouped].map(([cls, c]) => {
    const usage = Object.fromEntries(METRICS.map((m) => [m, round(c[m] ?? 0, 3)])) as Record<Metric, number>;
    const items = Object.fromEntries(METRICS.map((m) => [m, round(usage[m] * PRICES.perUnit[m], 9)])) as Record<Metric, number>;
    const total = Object.values(items).reduce((a, b) => a + b, 0);
    const requests = usage.requests;
    return {
      class: cls,
      requests,
      usage,
      cost: { total: round(total, 9), perMillionRequests: requests ? round((total / requests) * 1e6, 4) : 0, items },
    };
  });
  classes.sort((a, b) => b.cost.total - a.cost.total || a.class.localeCompare(b.class));
  const orders = await ordersPlacedBetween(db, from, to);
  const orderPath = classes.filter((c) => ORDER_PATH(c.class)).reduce((a, c) => a + c.cost.total, 0);
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    prices: { date: PRICES.date, currency: PRICES.currency },
    total: round(
      classes.reduce((a, c) => a + c.cost.total, 0),
      9,
    ),
    orders,
    perThousandOrders: orders ? round((orderPath / orders) * 1000, 4) : null,
    classes,
  };
}
