import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import { z } from "zod";
import { DISCOUNT_KINDS } from "../domain/discounts";
import type { AppEnv } from "../env";
import { forbidden } from "../errors";
import { adminActor } from "../http/admin-auth";
import { DiscountListSchema, DiscountSchema } from "../openapi/admin-schemas";
import { jsonBody, problems } from "../openapi/responses";
import { requestDb } from "../request-db";
import { codesCsv, createDiscount, generateCodes, getDiscount, listDiscounts, MAX_GENERATED, setActive } from "../services/discount-admin";
import { shopOf } from "../services/shop";
import { validate } from "../validation";

const discountIdParam = z.object({ id: z.string().regex(/^dsc_[0-9a-f]{20}$/, "Not a discount id.") });
const ids = z.array(z.int().positive()).max(100);

/** A discount as staff define it: `value` is whole percent, or minor units for `fixed`. */
export const discountBody = z
  .object({
    title: z.string().trim().min(1).max(120).optional(),
    kind: z.enum(DISCOUNT_KINDS),
    value: z.int().min(0).max(100_000_000).default(0),
    code: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_-]{3,40}$/, "3–40 letters, digits, '-' or '_'.")
      .optional(),
    automatic: z.boolean().default(false),
    buyQuantity: z.int().min(1).max(100).optional(),
    getQuantity: z.int().min(1).max(100).optional(),
    productIds: ids.optional(),
    categoryIds: ids.optional(),
    usageLimit: z.int().min(1).max(100_000_000).optional(),
    perCustomerLimit: z.int().min(1).max(1000).optional(),
    minimumSubtotal: z.int().min(0).max(100_000_000).optional(),
    startsAt: z.iso.datetime({ offset: true }).optional(),
    endsAt: z.iso.datetime({ offset: true }).optional(),
    firstOrderOnly: z.boolean().default(false),
    segment: z
      .string()
      .trim()
      .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/)
      .optional(),
    combinable: z.boolean().default(false),
  })
  .strict()
  .superRefine((b, ctx) => {
    if ((b.kind === "percentage" || b.kind === "buy_x_get_y") && (b.value < 1 || b.value > 100)) {
      ctx.addIssue({ code: "custom", path: ["value"], message: "A whole percent from 1 to 100." });
    }
    if (b.kind === "fixed" && b.value < 1) ctx.addIssue({ code: "custom", path: ["value"], message: "Minor units, at least 1." });
    if (b.kind === "buy_x_get_y" && (b.buyQuantity === undefined || b.getQuantity === undefined)) {
      ctx.addIssue({ code: "custom", path: ["buyQuantity"], message: "Say how many to buy and how many get the discount." });
    }
    if (b.automatic && b.code) ctx.addIssue({ code: "custom", path: ["code"], message: "Automatic discounts take no code." });
    if (b.startsAt && b.endsAt && Date.parse(b.endsAt) <= Date.parse(b.startsAt)) {
      ctx.addIssue({ code: "custom", path: ["endsAt"], message: "Must be after startsAt." });
    }
  });

/** Admin discounts: define, generate codes, download them, switch on and off. */
export const adminDiscounts = new Hono<AppEnv>()
  .get(
    "/",
    describeRoute({
      tags: ["Discounts"],
      summary: "List discounts",
      responses: { 200: jsonBody("Discounts with their uses.", DiscountListSchema) },
    }),
    async (c) => c.json(await listDiscounts(c.env, requestDb(c))),
  )
  .post(
    "/",
    describeRoute({
      tags: ["Discounts"],
      summary: "Create a discount",
      description:
        "Percentage, fixed amount, free shipping, or buy X get Y at a percentage; on the whole order or some products and categories; with a minimum subtotal, a date window, first orders only, a segment; combinable or not; automatic or by code. `usageLimit` and `perCustomerLimit` hold exactly under concurrency.",
      responses: {
        201: jsonBody("The discount's id and its code.", z.object({ id: z.string(), codes: z.array(z.string()) })),
        ...problems(400, 409),
      },
    }),
    validate("json", discountBody),
    async (c) => {
      const b = c.req.valid("json");
      const input = { ...b, startsAt: b.startsAt ? new Date(b.startsAt) : undefined, endsAt: b.endsAt ? new Date(b.endsAt) : undefined };
      return c.json(await createDiscount(requestDb(c), input, shopOf(c.env).currency, adminActor(c)), 201);
    },
  )
  .get(
    "/:id",
    describeRoute({
      tags: ["Discounts"],
      summary: "Get a discount",
      responses: { 200: jsonBody("The discount.", DiscountSchema), ...problems(404) },
    }),
    validate("param", discountIdParam),
    async (c) => c.json(await getDiscount(c.env, requestDb(c), c.req.valid("param").id)),
  )
  .post(
    "/:id/codes",
    describeRoute({
      tags: ["Discounts"],
      summary: "Generate codes",
      description: `Up to ${MAX_GENERATED} unique codes in one request: the prefix, then 10 characters without look-alikes.`,
      responses: { 201: jsonBody("The new codes.", z.object({ batch: z.string(), codes: z.array(z.string()) })), ...problems(400, 404) },
    }),
    validate("param", discountIdParam),
    validate(
      "json",
      z
        .object({
          count: z.int().min(1).max(MAX_GENERATED),
          prefix: z
            .string()
            .trim()
            .regex(/^[A-Za-z0-9_-]{0,20}$/, "Up to 20 letters, digits, '-' or '_'.")
            .default(""),
        })
        .strict(),
    ),
    async (c) => {
      const { count, prefix } = c.req.valid("json");
      return c.json(await generateCodes(requestDb(c), c.req.valid("param").id, count, prefix), 201);
    },
  )
  .get(
    "/:id/codes.csv",
    describeRoute({
      tags: ["Discounts"],
      summary: "Download codes as CSV",
      description: "All of the discount's codes, or one generated batch (`?batch=`). Needs `marketing:write` (codes are worth money).",
      responses: {
        200: { description: "CSV: code, batch, created_at.", content: { "text/csv": { schema: { type: "string" } } } },
        ...problems(404),
      },
    }),
    validate("param", discountIdParam),
    validate(
      "query",
      z.object({
        batch: z
          .string()
          .regex(/^batch_[0-9a-f]{20}$/)
          .optional(),
      }),
    ),
    async (c) => {
      // Unused codes are worth money: only those who may change discounts download them.
      if (!c.get("admin")?.permissions.has("marketing:write")) throw forbidden("Downloading codes needs the right to change discounts.");
      const csv = await codesCsv(requestDb(c), c.req.valid("param").id, c.req.valid("query").batch);
      return c.body(csv, 200, {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="${c.req.valid("param").id}-codes.csv"`,
        "Cache-Control": "no-store",
      });
    },
  )
  .post(
    "/:id/:state{enable|disable}",
    describeRoute({
      tags: ["Discounts"],
      summary: "Switch a discount on or off",
      responses: { 200: jsonBody("The discount.", DiscountSchema), ...problems(404) },
    }),
    validate("param", discountIdParam.extend({ state: z.enum(["enable", "disable"]) })),
    async (c) => c.json(await setActive(c.env, requestDb(c), c.req.valid("param").id, c.req.valid("param").state === "enable")),
  );
