import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import { z } from "zod";
import type { AppEnv } from "../env";
import { CostSchema, MetricsSchema } from "../openapi/admin-schemas";
import { jsonBody } from "../openapi/responses";
import { requestDb } from "../request-db";
import { costReport, metricsReport } from "../services/cost";
import { validate } from "../validation";

const windowQuery = z.object({
  hours: z.coerce
    .number()
    .int("Whole hours.")
    .min(1)
    .max(24 * 31)
    .default(24),
});

const windowOf = (hours: number, now = new Date()) => ({ from: new Date(now.getTime() - hours * 3_600_000), to: now });

const doc = {
  metrics: describeRoute({
    tags: ["Jobs"],
    summary: "Request counters per class",
    description: "Requests, 4xx and 5xx answers, cache hits and mean wall time per request class over the last `hours`.",
    responses: { 200: jsonBody("Counters per class.", MetricsSchema) },
  }),
  cost: describeRoute({
    tags: ["Jobs"],
    summary: "What running the shop cost",
    description:
      "Metered binding operations per request class times Cloudflare's published prices (dated): dollars per million requests of each class and per thousand orders, over the last `hours`.",
    responses: { 200: jsonBody("Usage and cost per class.", CostSchema) },
  }),
};

/** Admin: request metrics and the cost meter, read from the counters each isolate flushes to D1. */
export const adminMetrics = new Hono<AppEnv>()
  .get("/metrics", doc.metrics, validate("query", windowQuery), async (c) => {
    const { from, to } = windowOf(c.req.valid("query").hours);
    return c.json(await metricsReport(requestDb(c), from, to));
  })
  .get("/cost", doc.cost, validate("query", windowQuery), async (c) => {
    const { from, to } = windowOf(c.req.valid("query").hours);
    return c.json(await costReport(requestDb(c), from, to));
  });
