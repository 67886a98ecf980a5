import { type Context, Hono } from "hono";
import { z } from "zod";
import { ORDER_STATUSES } from "../db/schema";
import type { AppEnv } from "../env";
import { AppError, notFound } from "../errors";
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

function answer(c: Context<AppEnv>, id: string, outcome: TransitionOutcome) {
  if (outcome.ok) return;
  if (outcome.code === "order_not_found") throw notFound("Order", id);
  throw new AppError("illegal_transition", 409, `An order that is ${outcome.from} cannot become ${outcome.to}.`, {
    from: outcome.from,
    to: outcome.to,
  });
}

const actorOf = (c: Context<AppEnv>) => `admin:${c.get("admin")?.role ?? "unknown"}`;

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
    answer(c, id, await cancelOrder(c.env, requestDb(c), id, { reason, actor: actorOf(c), now: new Date() }));
    return c.json(await getOrder(requestDb(c), id));
  })
  .post(
    "/:id/:action{fulfil|ship}",
    validate("param", orderIdParam.extend({ action: z.enum(["fulfil", "ship"]) })),
    validate("json", reasonBody),
    async (c) => {
      const { id, action } = c.req.valid("param");
      const to = action === "fulfil" ? "fulfilled" : "shipped";
      answer(
        c,
        id,
        await transitionOrder(requestDb(c), id, to, { reason: c.req.valid("json")?.reason, actor: actorOf(c), now: new Date() }),
      );
      return c.json(await getOrder(requestDb(c), id));
    },
  );
