import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import { z } from "zod";
import type { AppEnv } from "../env";
import { adminActor } from "../http/admin-auth";
import { ReturnListSchema, ReturnRefundAnswerSchema, ReturnSchema } from "../openapi/admin-schemas";
import { jsonBody, problems } from "../openapi/responses";
import { requestDb } from "../request-db";
import { approveReturn, getReturn, receiveReturn, refundReturn, rejectReturn, returnsList } from "../services/returns";
import { validate } from "../validation";
import { limitField } from "./catalog-params";

const returnId = z.object({ id: z.string().regex(/^ret_[A-Za-z0-9]{16}$/, "Not a return id.") });
const note = z.string().trim().min(1).max(1000);
const actorOf = adminActor;

const returnAfter = (summary: string, description: string) =>
  describeRoute({
    tags: ["Returns"],
    summary,
    description,
    responses: { 200: jsonBody("The return after the change.", ReturnSchema), ...problems(404, 409) },
  });

const doc = {
  list: describeRoute({
    tags: ["Returns"],
    summary: "List returns",
    responses: { 200: jsonBody("Returns, newest first.", ReturnListSchema) },
  }),
  read: describeRoute({
    tags: ["Returns"],
    summary: "Get a return",
    responses: { 200: jsonBody("The return.", ReturnSchema), ...problems(404) },
  }),
  approve: returnAfter("Approve a return", "The shopper is emailed the note as instructions."),
  reject: returnAfter("Reject a return", "The note is the reason the shopper is sent; the units can be asked back again."),
  receive: returnAfter("Receive a returned parcel", "Units that were sold go back on hand; the shopper is told."),
  refund: describeRoute({
    tags: ["Returns"],
    summary: "Refund a received return",
    description: "Refunds the lines' share of the charge, once per return, and closes it.",
    responses: { 201: jsonBody("The closed return and its refund.", ReturnRefundAnswerSchema), ...problems(404, 409, 503) },
  }),
};

/** Admin returns: list, approve (with instructions), receive (restocks), refund, or reject with a reason. */
export const adminReturns = new Hono<AppEnv>()
  .get(
    "/",
    doc.list,
    validate(
      "query",
      z.object({
        status: z.enum(["requested", "approved", "rejected", "received", "refunded"]).optional(),
        limit: limitField(200, 50),
      }),
    ),
    async (c) => c.json({ items: await returnsList(requestDb(c), c.req.valid("query")) }),
  )
  .get("/:id", doc.read, validate("param", returnId), async (c) => c.json(await getReturn(requestDb(c), c.req.valid("param").id)))
  .post(
    "/:id/approve",
    doc.approve,
    validate("param", returnId),
    validate("json", z.object({ note: note.optional() }).strict().optional()),
    async (c) => c.json(await approveReturn(c.env, requestDb(c), c.req.valid("param").id, c.req.valid("json")?.note, actorOf(c))),
  )
  .post("/:id/reject", doc.reject, validate("param", returnId), validate("json", z.object({ note }).strict()), async (c) =>
    c.json(await rejectReturn(c.env, requestDb(c), c.req.valid("param").id, c.req.valid("json").note, actorOf(c))),
  )
  .post("/:id/receive", doc.receive, validate("param", returnId), async (c) =>
    c.json(await receiveReturn(c.env, requestDb(c), c.req.valid("param").id, actorOf(c))),
  )
  .post("/:id/refund", doc.refund, validate("param", returnId), async (c) =>
    c.json(await refundReturn(c.env, requestDb(c), c.req.valid("param").id, actorOf(c)), 201),
  );
