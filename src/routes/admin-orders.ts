import { type Context, Hono } from "hono";
import { z } from "zod";
import { ORDER_STATUSES, type OrderStatus } from "../domain/order";
import type { AppEnv } from "../env";
import { conflict, notFound } from "../errors";
import { requestDb } from "../request-db";
import { type TransitionOutcome, transitionOrder } from "../services/order-state";
import { cancelOrder, getOrder, listOrders } from "../services/orders";
import { validate } from "../validation";
import { pageField } from "./catalog-params";
import { orderIdParam } from "./orders-api";

const reasonBody = z
  .object({ reason: z.string().trim().min(1).max(500).optional() })
  .strict()
  .optional();

function ensureMoved(id: string, outcome: TransitionOutcome) {
  if (outcome.ok) return;
  if (outcome.code === "order_not_found") throw notFound("Order", id);
  throw conflict("illegal_transition", `An order that is ${outcome.from} cannot become ${outcome.to}.`, {
    from: outcome.from,
    to: outcome.to,
  });
}

const actorOf = (c: Context<AppEnv>) => `admin:${c.get("admin")?.role ?? "unknown"}`;

async function moveTo(c: Context<AppEnv>, id: string, to: OrderStatus, reason: string | undefined) {
  ensureMoved(id, await transitionOrder(requestDb(c), id, to, { reason, actor: actorOf(c), now: new Date() }));
  return c.json(await getOrder(requestDb(c), id));
}

/** Admin orders: list, detail with history, and the manual transitions. */
export const adminOrders = new Hono<AppEnv>()
  .get(
    "/",
    validate(
      "query",
      z.object({ status: z.enum(ORDER_STATUSES).optional(), page: pageField, limit: z.coerce.number().int().min(1).max(100).default(50) }),
    ),
    async (c) => c.json(await listOrders(requestDb(c), c.req.valid("query"))),
  )
  .get("/:id", validate("param", orderIdParam), async (c) => {
    const order = await getOrder(requestDb(c), c.req.valid("param").id);
    if (!order) throw notFound("Order", c.req.valid("param").id);
    return c.json(order);
  })
  .post("/:id/cancel", validate("param", orderIdParam), validate("json", reasonBody), async (c) => {
    const { id } = c.req.valid("param");
    const reason = c.req.valid("json")?.reason ?? "cancelled by staff";
    ensureMoved(id, await cancelOrder(c.env, requestDb(c), id, { reason, actor: actorOf(c), now: new Date() }));
    return c.json(await getOrder(requestDb(c), id));
  })
  .post("/:id/fulfil", validate("param", orderIdParam), validate("json", reasonBody), async (c) =>
    moveTo(c, c.req.valid("param").id, "fulfilled", c.req.valid("json")?.reason),
  )
  .post("/:id/ship", validate("param", orderIdParam), validate("json", reasonBody), async (c) =>
    moveTo(c, c.req.valid("param").id, "shipped", c.req.valid("json")?.reason),
  );
