import { type Context, Hono } from "hono";
import { describeRoute } from "hono-openapi";
import { z } from "zod";
import { SKU_PATTERN } from "../domain/ids";
import { ORDER_STATUSES, type OrderStatus } from "../domain/order";
import type { AppEnv } from "../env";
import { conflict, notFound } from "../errors";
import { adminActor } from "../http/admin-auth";
import { FulfilmentAnswerSchema, OrderListSchema, RefundAnswerSchema } from "../openapi/admin-schemas";
import { jsonBody, problems } from "../openapi/responses";
import { StaffOrderSchema } from "../openapi/store-schemas";
import { requestDb } from "../request-db";
import { fulfilOrder } from "../services/fulfilment";
import { type TransitionOutcome, transitionOrder } from "../services/order-state";
import { cancelOrder, getOrder, listOrders } from "../services/orders";
import { refundIdFor, refundOrderMoney } from "../services/refunds";
import { validate } from "../validation";
import { limitField, pageField } from "./catalog-params";
import { orderIdParam } from "./orders-api";

const reasonBody = z
  .object({ reason: z.string().trim().min(1).max(500).optional() })
  .strict()
  .optional();

/** Lines of a body: SKUs with whole positive quantities, each SKU once. */
export const linesField = z
  .array(z.object({ sku: z.string().regex(SKU_PATTERN, "Not a SKU."), quantity: z.number().int().min(1).max(100_000) }).strict())
  .min(1)
  .max(100)
  .refine((lines) => new Set(lines.map((l) => l.sku)).size === lines.length, "List each SKU once.");

const fulfilBody = z
  .object({
    lines: linesField.optional(),
    carrier: z.string().trim().min(1).max(40),
    trackingNumber: z.string().trim().min(1).max(100),
    trackingUrl: z
      .url({ protocol: /^https?$/ })
      .max(500)
      .optional(),
    notify: z.boolean().default(true),
  })
  .strict();

const refundBody = z
  .object({
    amount: z.number().int("Use integer minor units.").min(1).max(100_000_000).optional(),
    lines: linesField.optional(),
    reason: z.string().trim().min(1).max(500),
    restock: z.boolean().default(false),
  })
  .strict()
  .refine((b) => !(b.amount !== undefined && b.lines !== undefined), { message: "Send amount or lines, not both.", path: ["amount"] });

const dateField = z.iso.date("Use YYYY-MM-DD.").optional();

function ensureMoved(id: string, outcome: TransitionOutcome) {
  if (outcome.ok) return;
  if (outcome.code === "order_not_found") throw notFound("Order", id);
  throw conflict("illegal_transition", `An order that is ${outcome.from} cannot become ${outcome.to}.`, {
    from: outcome.from,
    to: outcome.to,
  });
}

const actorOf = adminActor;

async function moveTo(c: Context<AppEnv>, id: string, to: OrderStatus, reason: string | undefined) {
  ensureMoved(id, await transitionOrder(requestDb(c), id, to, { reason, actor: actorOf(c), now: new Date() }));
  return c.json(await getOrder(requestDb(c), id));
}

const orderAfter = (summary: string, description: string) =>
  describeRoute({
    tags: ["Orders"],
    summary,
    description,
    responses: { 200: jsonBody("The order after the change.", StaffOrderSchema), ...problems(404, 409) },
  });

const doc = {
  list: describeRoute({
    tags: ["Orders"],
    summary: "Search orders",
    description: "Newest first; `q` is an order id or the start of an email; `from`/`to` are UTC days, inclusive.",
    responses: { 200: jsonBody("One page of orders.", OrderListSchema) },
  }),
  read: describeRoute({
    tags: ["Orders"],
    summary: "Get an order with its history",
    responses: { 200: jsonBody("The order with its timeline.", StaffOrderSchema), ...problems(404) },
  }),
  cancel: orderAfter("Cancel an order", "A paid order is refunded first; stock still held or unshipped goes back."),
  fulfil: describeRoute({
    tags: ["Orders"],
    summary: "Record a shipment",
    description:
      "Ships the given lines (all units still owed when absent) with tracking. The same carrier and tracking number again is the same shipment.",
    responses: { 201: jsonBody("The shipment id and the order after it.", FulfilmentAnswerSchema), ...problems(404, 409) },
  }),
  ship: orderAfter("Mark an order shipped", "A manual move for orders fulfilled outside the API."),
  refund: describeRoute({
    tags: ["Orders"],
    summary: "Refund an order",
    description: "An amount or some lines (each line's share of the charge, tax included); the whole remainder when neither is given.",
    parameters: [
      {
        name: "Idempotency-Key",
        in: "header",
        description: "Makes a retried request the same refund, answered again and never paid twice.",
        schema: { type: "string", maxLength: 255 },
      },
    ],
    responses: { 201: jsonBody("The refund and the order after it.", RefundAnswerSchema), ...problems(404, 409, 503) },
  }),
};

/** Admin orders: search, detail with history, fulfilment with tracking, refunds, cancellation, manual moves. */
export const adminOrders = new Hono<AppEnv>()
  .get(
    "/",
    doc.list,
    validate(
      "query",
      z.object({
        status: z.enum(ORDER_STATUSES).optional(),
        q: z.string().trim().min(1).max(254).optional(),
        from: dateField,
        to: dateField,
        page: pageField,
        limit: limitField(100, 50),
      }),
    ),
    async (c) => {
      const { from, to, ...query } = c.req.valid("query");
      const day = (d: string | undefined, plus = 0) => (d ? new Date(Date.parse(`${d}T00:00:00Z`) + plus) : undefined);
      return c.json(await listOrders(requestDb(c), { ...query, from: day(from), to: day(to, 86_400_000) }));
    },
  )
  .get("/:id", doc.read, validate("param", orderIdParam), async (c) => {
    const order = await getOrder(requestDb(c), c.req.valid("param").id);
    if (!order) throw notFound("Order", c.req.valid("param").id);
    return c.json(order);
  })
  .post("/:id/cancel", doc.cancel, validate("param", orderIdParam), validate("json", reasonBody), async (c) => {
    const { id } = c.req.valid("param");
    const reason = c.req.valid("json")?.reason ?? "cancelled by staff";
    ensureMoved(id, await cancelOrder(c.env, requestDb(c), id, { reason, actor: actorOf(c), now: new Date() }));
    return c.json(await getOrder(requestDb(c), id));
  })
  .post("/:id/fulfil", doc.fulfil, validate("param", orderIdParam), validate("json", fulfilBody), async (c) => {
    const { id } = c.req.valid("param");
    const shipment = await fulfilOrder(c.env, requestDb(c), id, { ...c.req.valid("json"), actor: actorOf(c) });
    return c.json({ shipmentId: shipment.shipmentId, order: await getOrder(requestDb(c), id) }, 201);
  })
  .post("/:id/ship", doc.ship, validate("param", orderIdParam), validate("json", reasonBody), async (c) =>
    moveTo(c, c.req.valid("param").id, "shipped", c.req.valid("json")?.reason),
  )
  .post("/:id/refund", doc.refund, validate("param", orderIdParam), validate("json", refundBody), async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    // With an Idempotency-Key, a retried request is the same refund (answered again, never paid twice).
    const key = c.req.header("Idempotency-Key")?.trim();
    const refundId = key ? await refundIdFor(id, key.slice(0, 255)) : undefined;
    const refund = await refundOrderMoney(c.env, requestDb(c), id, { ...body, source: "admin", actor: actorOf(c), refundId });
    return c.json({ refund, order: await getOrder(requestDb(c), id) }, 201);
  });
