import { Hono } from "hono";
import { z } from "zod";
import { JOBS } from "../../cron";
import { lastRuns, runJob } from "../../cron/runner";
import { configOf } from "../config";
import type { AppEnv } from "../env";
import { notFound } from "../errors";
import { requestDb } from "../request-db";
import { isCalendarDay, salesReport } from "../services/reports";
import { validate } from "../validation";

const day = z.string().refine(isCalendarDay, "Use a real day as YYYY-MM-DD.");

/** Admin: scheduled jobs (last runs, run now) and sales reports read from the nightly summaries. */
export const adminJobs = new Hono<AppEnv>()
  .get("/jobs", async (c) => c.json({ items: await lastRuns(c.env, [...JOBS.keys()]) }))
  .post("/jobs/:name/run", async (c) => {
    const job = JOBS.get(c.req.param("name"));
    if (!job) throw notFound("Job", c.req.param("name"));
    const fetchPage = c.get("fetchPage");
    if (!fetchPage) throw new Error("the app lends fetchPage to job routes");
    const run = await runJob({ env: c.env, ctx: c.executionCtx as ExecutionContext, job, now: new Date(), trigger: "manual", fetchPage });
    return c.json(run, run.status === "ok" ? 200 : 500);
  })
  .get("/reports/sales", validate("query", z.object({ from: day, to: day })), async (c) => {
    const { from, to } = c.req.valid("query");
    return c.json(await salesReport(requestDb(c), from, to, configOf(c.env).shopCurrency));
  });
