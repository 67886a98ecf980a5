import { Hono } from "hono";
import { JOBS } from "../../../cron";
import { lastRuns, runJob } from "../../../cron/runner";
import type { AppEnv } from "../../env";
import { notFound } from "../../errors";
import { requestDb } from "../../request-db";
import { auditTrail, OWNER_ONLY_ENTITIES } from "../../services/audit";
import { listNotifications, resendNotification } from "../../services/notifications";
import { listStockLostOrders } from "../../services/orders";
import { listWebhookEvents, replayEvent } from "../../services/webhook-events";
import { AuditPage, EventsPage, JobsPage } from "../../views/admin/operations";
import { adminContext, decimalId, formAction, redirectWith, renderPage } from "./kit";

/** Admin pages for operations: jobs (run now), failed events (replay), the audit log. */
export const operationPages = new Hono<AppEnv>()
  .get("/jobs", async (c) => {
    const ctx = adminContext(c);
    return renderPage(c, ctx, <JobsPage ctx={ctx} items={await lastRuns(c.env, [...JOBS.keys()])} />);
  })
  .post("/jobs/:name/run", async (c) => {
    const job = JOBS.get(c.req.param("name"));
    if (!job) throw notFound("Job", c.req.param("name"));
    const fetchPage = c.get("fetchPage");
    if (!fetchPage) throw new Error("the app lends fetchPage to job routes");
    const run = await runJob({ env: c.env, ctx: c.executionCtx as ExecutionContext, job, now: new Date(), trigger: "manual", fetchPage });
    return run.status === "ok"
      ? redirectWith(c, "/admin/jobs", `${job.name} ran: ${run.items} item(s), ${run.errors} error(s).`)
      : redirectWith(c, "/admin/jobs", `${job.name} failed: ${run.detail.error}`, "error");
  })
  .get("/events", async (c) => {
    const ctx = adminContext(c);
    const db = requestDb(c);
    const [webhooks, emails, stockLost] = await Promise.all([
      listWebhookEvents(db, { status: "failed", limit: 100 }),
      listNotifications(db, { status: "failed", limit: 100 }),
      listStockLostOrders(db, 100),
    ]);
    return renderPage(
      c,
      ctx,
      <EventsPage
        ctx={ctx}
        webhooks={webhooks.map((w) => ({
          id: String(w.id),
          kind: "webhook",
          what: `${w.provider} ${w.type}`,
          orderId: w.orderId,
          error: w.error,
          at: w.updatedAt.toISOString(),
        }))}
        emails={emails.map((e) => ({
          id: e.id,
          kind: "email",
          what: `${e.type} to ${e.recipient}`,
          orderId: e.orderId,
          error: e.error,
          at: e.createdAt,
        }))}
        stockLost={stockLost.map((o) => ({ id: o.id, total: o.total, moneyBack: o.moneyBack, at: o.at.toISOString() }))}
      />,
    );
  })
  .post("/events/webhooks/:id/replay", async (c) => {
    const id = decimalId(c.req.param("id"));
    if (id === undefined) throw notFound("Webhook event", c.req.param("id"));
    return formAction(c, "/admin/events", "Event queued for replay.", () => replayEvent(c.env, requestDb(c), id));
  })
  .post("/events/emails/:id/resend", async (c) =>
    formAction(c, "/admin/events", "Email queued again.", () => resendNotification(c.env, requestDb(c), c.req.param("id"))),
  )
  .get("/audit", async (c) => {
    const ctx = adminContext(c);
    const q = (name: string) => c.req.query(name)?.trim().slice(0, 200) || undefined;
    const query = { actor: q("actor"), entity: q("entity"), entityId: q("entityId") };
    const before = decimalId(c.req.query("before"));
    const trail = await auditTrail(requestDb(c), { ...query, before, limit: 50, hideEntities: ctx.owner ? [] : OWNER_ONLY_ENTITIES });
    return renderPage(c, ctx, <AuditPage ctx={ctx} items={trail.items} next={trail.next} query={query} />);
  });
