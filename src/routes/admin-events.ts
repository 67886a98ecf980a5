import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import { z } from "zod";
import type { AppEnv } from "../env";
import { NotificationListSchema, ReplayAnswerSchema, SettleAnswerSchema, WebhookEventListSchema } from "../openapi/admin-schemas";
import { jsonBody, problems } from "../openapi/responses";
import { requestDb } from "../request-db";
import { listNotifications } from "../services/notifications";
import { listWebhookEvents, replayEvent, settleTestPayment } from "../services/webhook-events";
import { validate } from "../validation";
import { idParam, limitField } from "./catalog-params";
import { orderIdParam } from "./orders-api";

const listLimit = limitField(200, 50);

const settle = (outcome: string) =>
  describeRoute({
    tags: ["Events"],
    summary: `Settle a test payment as ${outcome}`,
    description: "Only for orders paid with the local test provider: queues the event Stripe would send.",
    responses: { 202: jsonBody("The id of the queued event.", SettleAnswerSchema), ...problems(404, 409) },
  });

const doc = {
  webhookEvents: describeRoute({
    tags: ["Events"],
    summary: "List provider events",
    responses: { 200: jsonBody("Stored events, newest first.", WebhookEventListSchema) },
  }),
  replay: describeRoute({
    tags: ["Events"],
    summary: "Replay a failed provider event",
    description: "Once per failure, even on a double click; events that took effect are not replayed.",
    responses: { 202: jsonBody("Queued again.", ReplayAnswerSchema), ...problems(404, 409) },
  }),
  notifications: describeRoute({
    tags: ["Events"],
    summary: "List sent and queued emails",
    responses: { 200: jsonBody("The email log, newest first.", NotificationListSchema) },
  }),
  succeed: settle("succeeded"),
  fail: settle("failed"),
};

/** Admin: provider events (failed ones replayable), the email log, and settling local test payments. */
export const adminEvents = new Hono<AppEnv>()
  .get(
    "/webhook-events",
    doc.webhookEvents,
    validate("query", z.object({ status: z.enum(["processed", "ignored", "failed", "replayed"]).optional(), limit: listLimit })),
    async (c) => c.json({ items: await listWebhookEvents(requestDb(c), c.req.valid("query")) }),
  )
  .post("/webhook-events/:id/replay", doc.replay, validate("param", idParam), async (c) =>
    c.json(await replayEvent(c.env, requestDb(c), c.req.valid("param").id), 202),
  )
  .get(
    "/notifications",
    doc.notifications,
    validate(
      "query",
      z.object({
        status: z.enum(["queued", "sending", "sent", "failed"]).optional(),
        recipient: z.string().trim().min(3).max(254).optional(),
        orderId: z.string().max(64).optional(),
        type: z.string().max(64).optional(),
        limit: listLimit,
      }),
    ),
    async (c) => c.json({ items: await listNotifications(requestDb(c), c.req.valid("query")) }),
  )
  .post("/payments/test/:id/succeed", doc.succeed, validate("param", orderIdParam), async (c) =>
    c.json(await settleTestPayment(c.env, requestDb(c), c.req.valid("param").id, "succeed"), 202),
  )
  .post("/payments/test/:id/fail", doc.fail, validate("param", orderIdParam), async (c) =>
    c.json(await settleTestPayment(c.env, requestDb(c), c.req.valid("param").id, "fail"), 202),
  );
