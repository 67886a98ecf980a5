import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import { z } from "zod";
import { SKU_PATTERN } from "../domain/ids";
import type { AppEnv } from "../env";
import { adminActor } from "../http/admin-auth";
import { StockSchema, StockWithLedgerSchema } from "../openapi/admin-schemas";
import { jsonBody, problems } from "../openapi/responses";
import { requestDb } from "../request-db";
import { changeStock, stockOf } from "../services/stock-admin";
import { validate } from "../validation";

const skuParam = z.object({ sku: z.string().regex(SKU_PATTERN, "Not a SKU.") });
const change = z.union([
  z.object({ set: z.number().int().min(0).max(100_000), reason: z.string().trim().min(1).max(200).optional() }).strict(),
  z
    .object({
      adjust: z
        .number()
        .int()
        .min(-100_000)
        .max(100_000)
        .refine((n) => n !== 0, "Must not be 0."),
      reason: z.string().trim().min(1).max(200),
    })
    .strict(),
]);

const doc = {
  read: describeRoute({
    tags: ["Inventory"],
    summary: "Get a SKU's stock",
    responses: {
      200: jsonBody("On hand, reserved, available, live reservations and the newest 20 movements.", StockWithLedgerSchema),
      ...problems(404),
    },
  }),
  change: describeRoute({
    tags: ["Inventory"],
    summary: "Set or adjust a SKU's stock",
    description:
      "`set` records a counted figure; `adjust` adds or removes units and needs a reason. On hand never goes below what is reserved.",
    responses: { 200: jsonBody("The stock after the change.", StockSchema), ...problems(404, 409) },
  }),
};

/** Admin stock per SKU: read it, set a counted figure, or adjust with a reason; all through the SKU's object. */
export const adminInventory = new Hono<AppEnv>()
  .get("/:sku", doc.read, validate("param", skuParam), async (c) => c.json(await stockOf(c.env, requestDb(c), c.req.valid("param").sku)))
  .post("/:sku", doc.change, validate("param", skuParam), validate("json", change), async (c) => {
    const actor = adminActor(c);
    const { snapshot, invalidated } = await changeStock(c.env, requestDb(c), c.req.valid("param").sku, c.req.valid("json"), actor);
    if (!invalidated) c.header("X-Cache-Invalidation", "failed");
    return c.json(snapshot);
  });
