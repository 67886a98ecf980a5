import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import { z } from "zod";
import { JOBS } from "../../cron";
import { lastRuns, runJob } from "../../cron/runner";
import { configOf } from "../config";
import type { AppEnv } from "../env";
import { notFound } from "../errors";
import { JobListSchema, JobRunSchema, SalesReportSchema } from "../openapi/admin-schemas";
import { jsonBody, problems } from "../openapi/responses";
import { requestDb } from "../request-db";
import { isCalendarDay, salesReport } from "../services/reports";
import { validate } from "../validation";

const day = z.string().refine(isCalendarDay, "Use a real day as YYYY-MM-DD.");

const doc = {
  jobs: describeRoute({
    tags: ["Jobs"],
    summary: "List scheduled jobs",
    responses: { 200: jsonBody("Each job with its latest run and saved cursor.", JobListSchema) },
  }),
  run: describeRoute({
    tags: ["Jobs"],
    summary: "Run a job now",
    description: "Runs one bounded pass from the saved cursor, as the schedule would.",
    parameters: [
      { name: "name", in: "path", required: true, description: "A job name from GET /admin/api/jobs.", schema: { type: "string" } },
    ],
    responses: {
      200: jsonBody("What the run did.", JobRunSchema),
      500: jsonBody("The run failed; `detail.error` says why (the failure is recorded).", JobRunSchema),
      ...problems(404),
    },
  }),
  sales: describeRoute({
    tags: ["Jobs"],
    summary: "Sales report",
    description: "Read from the nightly summaries; at most 366 days.",
    responses: { 200: jsonBody("Totals, each day, and the top products by revenue.", SalesReportSchema) },
  }),
};

/** Admin: scheduled jobs (last runs, run now) and sales reports read from the nightly summaries. */
export const adminJobs = new Hono<AppEnv>()
  .get("/jobs", doc.jobs, async (c) => c.json({ items: await lastRuns(c.env, [...JOBS.keys()]) }))
  .post("/jobs/:name/run", doc.run, async (c) => {
    const job = JOBS.get(c.req.param("name"));
    if (!job) throw notFound("Job", c.req.param("name"));
    const fetchPage = c.get("fetchPage");
    if (!fetchPage) throw new Error("the app lends fetchPage to job routes");
    const run = await runJob({ env: c.env, ctx: c.executionCtx as ExecutionContext, job, now: new Date(), trigger: "manual", fetchPage });
    return c.json(run, run.status === "ok" ? 200 : 500);
  })
  .get("/reports/sales", doc.sales, validate("query", z.object({ from: day, to: day })), async (c) => {
    const { from, to } = c.req.valid("query");
    return c.json(await salesReport(requestDb(c), from, to, configOf(c.env).shopCurrency));
  });
