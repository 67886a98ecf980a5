import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../env";
import { requestDb } from "../request-db";
import { listNotifications } from "../services/notifications";
import { listWebhookEvents, replayEvent, settleTestPayment } from "../services/webhook-events";
import { validate } from "../validation";
import { idParam } from "./catalog-params";
import { orderIdParam } from "./orders-api";

const limitField = z.coerce.number().int().min(1).max(200).default(50);

/** Admin: provider events (failed ones replayable), the email log, and settling local test payments. */
export const adminEvents = new Hono<AppEnv>()
  .get(
    "/webhook-events",
    validate("query", z.object({ status: z.enum(["processed", "ignored", "failed", "replayed"]).optional(), limit: limitField })),
    async (c) => c.json({ items: await listWebhookEvents(requestDb(c), c.req.valid("query")) }),
  )
  .post("/webhook-events/:id/replay", validate("param", idParam), async (c) =>
    c.json(await replayEvent(c.env, requestDb(c), c.req.valid("param").id), 202),
  )
  .get(
    "/notifications",
    validate("query", z.object({ status: z.enum(["queued", "sending", "sent", "failed"]).optional(), limit: limitField })),
    async (c) => c.json({ items: await listNotifications(requestDb(c), c.req.valid("query")) }),
  )
  .post("/payments/test/:id/succeed", validate("param", orderIdParam), async (c) =>
    c.json(await settleTestPayment(c.env, requestDb(c), c.req.valid("param").id, "succeed"), 202),
  )
  .post("/payments/test/:id/fail", validate("param", orderIdParam), async (c) =>
    c.json(await settleTestPayment(c.env, requestDb(c), c.req.valid("param").id, "fail"), 202),
  );
