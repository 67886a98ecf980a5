import { and, asc, gte, lte } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { JOBS } from "../../cron";
import { lastRuns, runJob } from "../../cron/runner";
import { dailyProductSales, dailySales } from "../db/schema";
import type { AppEnv } from "../env";
import { badRequest, notFound } from "../errors";
import { requestDb } from "../request-db";
import { validate } from "../validation";

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use YYYY-MM-DD.")
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), "Not a date.");

/** Admin: scheduled jobs (last runs, run now) and sales reports read from the nightly summaries. */
export const adminJobs = new Hono<AppEnv>()
  .get("/jobs", async (c) => c.json({ items: await lastRuns(c.env, Object.keys(JOBS)) }))
  .post("/jobs/:name/run", async (c) => {
    const job = JOBS[c.req.param("name")];
    if (!job) throw notFound("Job", c.req.param("name"));
    const run = await runJob(c.env, c.executionCtx as ExecutionContext, job, new Date(), "manual");
    return c.json(run, run.status === "ok" ? 200 : 500);
  })
  .get("/reports/sales", validate("query", z.object({ from: day, to: day })), async (c) => {
    const { from, to } = c.req.valid("query");
    if (from > to) throw badRequest("invalid_range", "'from' must not be after 'to'.");
    if (Date.parse(to) - Date.parse(from) > 366 * 86_400_000) throw badRequest("invalid_range", "Ask for at most 366 days.");
    const db = requestDb(c);
    const [days, products] = await Promise.all([
      db
        .select()
        .from(dailySales)
        .where(and(gte(dailySales.day, from), lte(dailySales.day, to)))
        .orderBy(asc(dailySales.day)),
      db
        .select()
        .from(dailyProductSales)
        .where(and(gte(dailyProductSales.day, from), lte(dailyProductSales.day, to))),
    ]);
    const byProduct = new Map<number, { productId: number; title: string; units: number; revenue: number }>();
    for (const p of products) {
      const agg = byProduct.get(p.productId) ?? { productId: p.productId, title: p.title, units: 0, revenue: 0 };
      agg.units += p.units;
      agg.revenue += p.revenue;
      byProduct.set(p.productId, agg);
    }
    const currency = c.env.SHOP_CURRENCY;
    const totals = days.reduce((t, d) => ({ orders: t.orders + d.ordersPaid, units: t.units + d.units, revenue: t.revenue + d.revenue }), {
      orders: 0,
      units: 0,
      revenue: 0,
    });
    return c.json({
      from,
      to,
      currency,
      totals: { ordersPaid: totals.orders, units: totals.units, revenue: { amount: totals.revenue, currency } },
      days: days.map((d) => ({ ...d, revenue: { amount: d.revenue, currency: d.currency } })),
      topProducts: [...byProduct.values()]
        .sort((a, b) => b.revenue - a.revenue)
        .slice(0, 20)
        .map((p) => ({ ...p, revenue: { amount: p.revenue, currency } })),
    });
  });
