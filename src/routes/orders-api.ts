import { type Context, Hono } from "hono";
import { z } from "zod";
import { ORDER_ID_PATTERN, SKU_PATTERN } from "../domain/ids";
import type { AppEnv } from "../env";
import { notFound } from "../errors";
import { requestDb } from "../request-db";
import { getOrder, orderTokenValid } from "../services/orders";
import { requestReturn } from "../services/returns";
import { validate } from "../validation";

/** The order id pattern (ord_ + 24 hex). */
export const orderIdParam = z.object({ id: z.string().regex(ORDER_ID_PATTERN, "Not an order id.") });

/** A shopper's return request: some lines, each SKU once, and why. */
export const returnBody = z
  .object({
    lines: z
      .array(z.object({ sku: z.string().regex(SKU_PATTERN, "Not a SKU."), quantity: z.number().int().min(1).max(1000) }).strict())
      .min(1, "Choose at least one item to return.")
      .max(100)
      .refine((lines) => new Set(lines.map((l) => l.sku)).size === lines.length, "List each item once."),
    reason: z.string().trim().min(1, "Tell us why.").max(1000),
  })
  .strict();

/** Opens the order with its token (`?token=` or `Authorization: Bearer`); unknown order and wrong token answer alike. */
async function authorised(c: Context<AppEnv>, id: string): Promise<void> {
  const token = c.req.query("token") ?? /^Bearer\s+(\S+)$/i.exec(c.req.header("Authorization") ?? "")?.[1];
  if (!token || !(await orderTokenValid(requestDb(c), id, token))) throw notFound("Order", id);
}

/** Store API for a shopper's order, opened by its token: read it, ask to return some of it. */
export const ordersApi = new Hono<AppEnv>()
  .get("/:id", validate("param", orderIdParam), async (c) => {
    const { id } = c.req.valid("param");
    await authorised(c, id);
    const order = await getOrder(requestDb(c), id);
    if (!order) throw notFound("Order", id);
    const { events: _events, ...view } = order;
    return c.json(view, 200, { "Cache-Control": "no-store" });
  })
  .post("/:id/returns", validate("param", orderIdParam), validate("json", returnBody), async (c) => {
    const { id } = c.req.valid("param");
    await authorised(c, id);
    const created = await requestReturn(c.env, requestDb(c), id, c.req.valid("json"));
    return c.json(
      { id: created.id, status: created.status, lines: created.lines, reason: created.reason, createdAt: created.createdAt },
      201,
      {
        "Cache-Control": "no-store",
      },
    );
  });
