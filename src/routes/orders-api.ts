import { Hono } from "hono";
import { z } from "zod";
import { ORDER_ID_PATTERN } from "../domain/ids";
import type { AppEnv } from "../env";
import { notFound } from "../errors";
import { requestDb } from "../request-db";
import { getOrder, orderTokenValid } from "../services/orders";
import { validate } from "../validation";

/** The order id pattern (ord_ + 24 hex). */
export const orderIdParam = z.object({ id: z.string().regex(ORDER_ID_PATTERN, "Not an order id.") });

/** Store API for a shopper's order, opened by its token (`?token=` or `Authorization: Bearer`). */
export const ordersApi = new Hono<AppEnv>().get("/:id", validate("param", orderIdParam), async (c) => {
  const { id } = c.req.valid("param");
  const token = c.req.query("token") ?? /^Bearer\s+(\S+)$/i.exec(c.req.header("Authorization") ?? "")?.[1];
  const db = requestDb(c);
  // Unknown order and wrong token answer alike, so ids cannot be probed.
  if (!token || !(await orderTokenValid(db, id, token))) throw notFound("Order", id);
  const order = await getOrder(db, id);
  if (!order) throw notFound("Order", id);
  const { events: _events, ...view } = order;
  return c.json(view, 200, { "Cache-Control": "no-store" });
});
