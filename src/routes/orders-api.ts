import { type Context, Hono } from "hono";
import { type DescribeRouteOptions, describeRoute } from "hono-openapi";
import { z } from "zod";
import { ORDER_ID_PATTERN, SKU_PATTERN } from "../domain/ids";
import type { AppEnv } from "../env";
import { notFound } from "../errors";
import { jsonBody, problems } from "../openapi/responses";
import { ReturnRequestedSchema, ShopperOrderSchema } from "../openapi/store-schemas";
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

/** How an order is opened: its token in the query, or as a bearer token (the `orderToken` scheme). */
const orderToken: Pick<DescribeRouteOptions, "parameters" | "security"> = {
  parameters: [
    {
      name: "token",
      in: "query",
      description: "The order token from the checkout answer (or send it as `Authorization: Bearer <token>`).",
      schema: { type: "string" },
    },
  ],
  security: [{ orderToken: [] }, {}],
};

const doc = {
  read: describeRoute({
    tags: ["Orders"],
    summary: "Get an order",
    description: "Opened with its token; an unknown order and a wrong token both answer 404.",
    ...orderToken,
    responses: { 200: jsonBody("The order with its lines, shipments, refunds and returns.", ShopperOrderSchema), ...problems(404) },
  }),
  requestReturn: describeRoute({
    tags: ["Orders"],
    summary: "Ask to return items",
    description: "Only for shipped orders, inside the return window, and for units not yet returned or refunded.",
    ...orderToken,
    responses: { 201: jsonBody("The return request, awaiting staff.", ReturnRequestedSchema), ...problems(404, 409) },
  }),
};

/** Store API for a shopper's order, opened by its token: read it, ask to return some of it. */
export const ordersApi = new Hono<AppEnv>()
  .get("/:id", doc.read, validate("param", orderIdParam), async (c) => {
    const { id } = c.req.valid("param");
    await authorised(c, id);
    const order = await getOrder(requestDb(c), id);
    if (!order) throw notFound("Order", id);
    const { events: _events, ...view } = order;
    return c.json(view, 200, { "Cache-Control": "no-store" });
  })
  .post("/:id/returns", doc.requestReturn, validate("param", orderIdParam), validate("json", returnBody), async (c) => {
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
