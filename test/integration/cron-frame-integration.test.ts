import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { JOBS } from "../../cron";
import { runJob } from "../../cron/runner";
import worker from "../../src/index";
import { ADMIN, call } from "../helpers/worker";

describe("scheduled jobs frame", () => {
  it("runs every job of a cron expression and records a run row for each", async () => {
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: "*/5 * * * *", scheduledTime: Date.now() }), env, ctx);
    await waitOnExecutionContext(ctx);
    const runs = await env.DB.prepare(
      "select job, status, trigger from job_runs where job in ('expire-unpaid-orders', 'reservation-sweep') order by id",
    ).all();
    expect(runs.results).toEqual(
      expect.arrayContaining([
        { job: "expire-unpaid-orders", status: "ok", trigger: "cron" },
        { job: "reservation-sweep", status: "ok", trigger: "cron" },
      ]),
    );
  });

  it("refuses a cron expression it has no jobs for", async () => {
    await expect(worker.scheduled(createScheduledController({ cron: "0 0 1 1 *" }), env, createExecutionContext())).rejects.toThrow(
      /No jobs/,
    );
  });

  it("records a failing job as failed without throwing, so the next job still runs", async () => {
    const broken = { name: "broken-test-job", run: async () => Promise.reject(new Error("boom")) };
    const run = await runJob({ env, ctx: createExecutionContext(), job: broken, now: new Date(), trigger: "manual", fetchPage: fetch });
    expect(run).toMatchObject({ status: "failed", errors: 1 });
    const row = await env.DB.prepare("select status, detail from job_runs where id = ?")
      .bind(run.id)
      .first<{ status: string; detail: string }>();
    expect(row!.status).toBe("failed");
    expect(row!.detail).toContain("boom");
  });

  it("lists every job with its last run for admins and runs one on request", async () => {
    const run = await call("/admin/api/jobs/low-stock-digest/run", { method: "POST", headers: ADMIN });
    expect(run.status).toBe(200);
    expect(await run.json()).toMatchObject({ job: "low-stock-digest", status: "ok" });
    const list = await (await call("/admin/api/jobs", { headers: ADMIN })).json<{
      items: { job: string; lastRun: { status: string } | null }[];
    }>();
    expect(list.items.map((i) => i.job).sort()).toEqual([...JOBS.keys()].sort());
    expect(list.items.find((i) => i.job === "low-stock-digest")?.lastRun?.status).toBe("ok");
    expect((await call("/admin/api/jobs/no-such-job/run", { method: "POST", headers: ADMIN })).status).toBe(404);
    expect((await call("/admin/api/jobs")).status).toBe(401);
  });
});
