import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import { z } from "zod";
import { CUSTOMER_ID_PATTERN } from "../domain/customer";
import type { AppEnv } from "../env";
import { adminActor } from "../http/admin-auth";
import {
  CustomerDetailSchema,
  CustomerListSchema,
  CustomerMergeAnswerSchema,
  PointsAccountSchema,
  SegmentListSchema,
  SegmentRulesSchema,
  SegmentSchema,
} from "../openapi/admin-schemas";
import { jsonBody, problems } from "../openapi/responses";
import { requestDb } from "../request-db";
import { createSegment, customerDetail, listCustomers, mergeCustomers, removeSegment, segmentsList } from "../services/customers";
import { grantPoints, pointsAccount } from "../services/loyalty";
import { shopOf } from "../services/shop";
import { validate } from "../validation";
import { limitField, pageField } from "./catalog-params";

/** A customer id in the path. */
export const customerIdParam = z.object({ id: z.string().regex(CUSTOMER_ID_PATTERN, "Not a customer id.") });

const doc = {
  list: describeRoute({
    tags: ["Customers"],
    summary: "Search customers",
    description: "Most recent buyers first; `q` matches part of the email or name, `segment` one segment.",
    responses: { 200: jsonBody("One page of customers.", CustomerListSchema), ...problems(400) },
  }),
  read: describeRoute({
    tags: ["Customers"],
    summary: "Get a customer",
    description: "Figures, consent, orders, saved and shipped-to addresses, segment history and merged records.",
    responses: { 200: jsonBody("The customer.", CustomerDetailSchema), ...problems(404, 409) },
  }),
  merge: describeRoute({
    tags: ["Customers"],
    summary: "Merge a duplicate into this customer",
    description:
      "`from` is the duplicate's id or email. Its orders, saved addresses, sessions and consent move to this customer and its figures add up; the duplicate's email then finds this customer. Repeating the merge changes nothing.",
    responses: { 200: jsonBody("This customer after the merge.", CustomerMergeAnswerSchema), ...problems(400, 404, 409) },
  }),
};

const segmentSlug = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, "Lowercase letters, digits, '-' and '_', up to 40.");

/** Admin segments: the scored ones and those staff define by rules. */
export const adminSegments = new Hono<AppEnv>()
  .get(
    "/",
    describeRoute({
      tags: ["Customers"],
      summary: "List segments",
      description: "Scored segments (assigned nightly) and staff-defined ones, each with how many customers it holds now.",
      responses: { 200: jsonBody("Every segment.", SegmentListSchema) },
    }),
    async (c) => c.json(await segmentsList(requestDb(c))),
  )
  .post(
    "/",
    describeRoute({
      tags: ["Customers"],
      summary: "Define a segment by rules",
      description: "Every given rule must hold. `GET /admin/api/customers?segment=<slug>` lists its customers.",
      responses: { 201: jsonBody("The segment.", SegmentSchema), ...problems(400, 409) },
    }),
    validate("json", z.object({ slug: segmentSlug, name: z.string().trim().min(1).max(80), rules: SegmentRulesSchema }).strict()),
    async (c) => c.json(await createSegment(requestDb(c), c.req.valid("json"), adminActor(c)), 201),
  )
  .delete(
    "/:slug",
    describeRoute({
      tags: ["Customers"],
      summary: "Remove a staff-defined segment",
      responses: { 204: { description: "Removed." }, ...problems(404) },
    }),
    validate("param", z.object({ slug: segmentSlug })),
    async (c) => {
      await removeSegment(requestDb(c), c.req.valid("param").slug);
      return c.body(null, 204);
    },
  );

/** Admin customers: search, detail, merging duplicates. */
export const adminCustomers = new Hono<AppEnv>()
  .get(
    "/",
    doc.list,
    validate(
      "query",
      z.object({
        q: z.string().trim().min(1).max(254).optional(),
        segment: z
          .string()
          .trim()
          .regex(/^[a-z0-9_-]{1,40}$/, "Not a segment name.")
          .optional(),
        page: pageField,
        limit: limitField(200, 50),
      }),
    ),
    async (c) => c.json(await listCustomers(requestDb(c), shopOf(c.env).currency, c.req.valid("query"))),
  )
  .get("/:id", doc.read, validate("param", customerIdParam), async (c) =>
    c.json(await customerDetail(requestDb(c), shopOf(c.env).currency, c.req.valid("param").id)),
  )
  .get(
    "/:id/points",
    describeRoute({
      tags: ["Customers"],
      summary: "A customer's loyalty points",
      responses: {
        200: jsonBody("Spendable and pending points, the soonest expiry, the ledger (newest first).", PointsAccountSchema),
        ...problems(404),
      },
    }),
    validate("param", customerIdParam),
    async (c) => {
      const { id } = c.req.valid("param");
      await customerDetail(requestDb(c), shopOf(c.env).currency, id);
      return c.json(await pointsAccount(c.env, id, 100));
    },
  )
  .post(
    "/:id/points",
    describeRoute({
      tags: ["Customers"],
      summary: "Give a customer points",
      description: "Spendable at once, expiring like earned points. With an `Idempotency-Key` header a retried request gives them once.",
      responses: { 201: jsonBody("The customer's points after the grant.", PointsAccountSchema), ...problems(400, 404) },
    }),
    validate("param", customerIdParam),
    validate("json", z.object({ points: z.int().min(1).max(1_000_000), reason: z.string().trim().min(1).max(200) }).strict()),
    async (c) => {
      const { id } = c.req.valid("param");
      await customerDetail(requestDb(c), shopOf(c.env).currency, id);
      const key = c.req.header("Idempotency-Key")?.trim().slice(0, 200) || crypto.randomUUID();
      return c.json(await grantPoints(c.env, requestDb(c), id, c.req.valid("json").points, `${adminActor(c)}:${key}`), 201);
    },
  )
  .post(
    "/:id/merge",
    doc.merge,
    validate("param", customerIdParam),
    validate("json", z.object({ from: z.string().trim().min(1).max(254) }).strict()),
    async (c) =>
      c.json(
        await mergeCustomers(requestDb(c), shopOf(c.env).currency, c.req.valid("param").id, c.req.valid("json").from, {
          actor: adminActor(c),
          requestId: c.get("requestId") ?? null,
        }),
      ),
  );
