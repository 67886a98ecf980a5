import { and, desc, eq } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { orders, webhookEvents } from "../db/schema";
import type { AppEnv } from "../env";
import { AppError, conflict, notFound } from "../errors";
import type { StripeEvent, WebhookJob } from "../queues/messages";
import { requestDb } from "../request-db";
import { listNotifications } from "../services/notifications";
import { validate } from "../validation";
import { orderIdParam } from "./orders-api";

/** Admin: provider events (failed ones replayable), the email log, and settling local test payments. */
export const adminEvents = new Hono<AppEnv>()
  .get(
    "/webhook-events",
    validate(
      "query",
      z.object({
        status: z.enum(["processed", "ignored", "failed", "replayed"]).optional(),
        limit: z.coerce.number().int().min(1).max(200).default(50),
      }),
    ),
    async (c) => {
      const { status, limit } = c.req.valid("query");
      const items = await requestDb(c)
        .select()
        .from(webhookEvents)
        .where(status ? eq(webhookEvents.status, status) : undefined)
        .orderBy(desc(webhookEvents.id))
        .limit(limit);
      return c.json({ items });
    },
  )
  .post("/webhook-events/:id/replay", validate("param", z.object({ id: z.coerce.number().int().positive() })), async (c) => {
    const db = requestDb(c);
    const { id } = c.req.valid("param");
    const [event] = await db.select().from(webhookEvents).where(eq(webhookEvents.id, id));
    if (!event) throw notFound("Webhook event", id);
    if (event.status !== "failed") throw conflict("not_failed", "Only failed events are replayed; others have taken effect.");
    // Claimed first (one replay per failure, even on a double click); released again if the send fails.
    const claimed = await db
      .update(webhookEvents)
      .set({ status: "replayed", updatedAt: new Date() })
      .where(and(eq(webhookEvents.id, id), eq(webhookEvents.status, "failed")))
      .returning({ id: webhookEvents.id });
    if (!claimed.length) throw conflict("not_failed", "This event is already being replayed.");
    try {
      await c.env.WEBHOOKS.send(event.message as WebhookJob);
    } catch (err) {
      await db.update(webhookEvents).set({ status: "failed", updatedAt: new Date() }).where(eq(webhookEvents.id, id));
      throw err;
    }
    return c.json({ id, status: "replayed" }, 202);
  })
  .get(
    "/notifications",
    validate(
      "query",
      z.object({
        status: z.enum(["queued", "sending", "sent", "failed"]).optional(),
        limit: z.coerce.number().int().min(1).max(200).default(50),
      }),
    ),
    async (c) => c.json({ items: await listNotifications(requestDb(c), c.req.valid("query")) }),
  )
  .post(
    "/payments/test/:id/:outcome{succeed|fail}",
    validate("param", orderIdParam.extend({ outcome: z.enum(["succeed", "fail"]) })),
    async (c) => {
      const { id, outcome } = c.req.valid("param");
      const [order] = await requestDb(c)
        .select({ provider: orders.paymentProvider, paymentId: orders.paymentId })
        .from(orders)
        .where(eq(orders.id, id));
      if (!order) throw notFound("Order", id);
      if (order.provider !== "test" || !order.paymentId)
        throw new AppError("not_test_payment", 409, "Only payments made with the local test provider can be settled here.");
      // The same path as a real provider: an event on the WEBHOOKS queue.
      const event: StripeEvent = {
        id: `evt_test_${crypto.randomUUID().replace(/-/g, "")}`,
        type: outcome === "succeed" ? "payment_intent.succeeded" : "payment_intent.payment_failed",
        created: Math.floor(Date.now() / 1000),
        data: {
          object: {
            id: order.paymentId,
            object: "payment_intent",
            metadata: { order_id: id },
            ...(outcome === "fail" ? { last_payment_error: { message: "test card declined" } } : {}),
          },
        },
      };
      await c.env.WEBHOOKS.send({ type: "stripe.event", event } satisfies WebhookJob);
      return c.json({ queued: event.id }, 202);
    },
  );
