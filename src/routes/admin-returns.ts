import { type Context, Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../env";
import { requestDb } from "../request-db";
import { approveReturn, getReturn, receiveReturn, refundReturn, rejectReturn, returnsList } from "../services/returns";
import { validate } from "../validation";

const returnId = z.object({ id: z.string().regex(/^ret_[A-Za-z0-9]{16}$/, "Not a return id.") });
const note = z.string().trim().min(1).max(1000);
const actorOf = (c: Context<AppEnv>) => `admin:${c.get("admin")?.role ?? "unknown"}`;

/** Admin returns: list, approve (with instructions), receive (restocks), refund, or reject with a reason. */
export const adminReturns = new Hono<AppEnv>()
  .get(
    "/",
    validate(
      "query",
      z.object({
        status: z.enum(["requested", "approved", "rejected", "received", "refunded"]).optional(),
        limit: z.coerce.number().int().min(1).max(200).default(50),
      }),
    ),
    async (c) => c.json({ items: await returnsList(requestDb(c), c.req.valid("query")) }),
  )
  .get("/:id", validate("param", returnId), async (c) => c.json(await getReturn(requestDb(c), c.req.valid("param").id)))
  .post("/:id/approve", validate("param", returnId), validate("json", z.object({ note: note.optional() }).strict().optional()), async (c) =>
    c.json(await approveReturn(c.env, requestDb(c), c.req.valid("param").id, c.req.valid("json")?.note, actorOf(c))),
  )
  .post("/:id/reject", validate("param", returnId), validate("json", z.object({ note }).strict()), async (c) =>
    c.json(await rejectReturn(c.env, requestDb(c), c.req.valid("param").id, c.req.valid("json").note, actorOf(c))),
  )
  .post("/:id/receive", validate("param", returnId), async (c) =>
    c.json(await receiveReturn(c.env, requestDb(c), c.req.valid("param").id, actorOf(c))),
  )
  .post("/:id/refund", validate("param", returnId), async (c) =>
    c.json(await refundReturn(c.env, requestDb(c), c.req.valid("param").id, actorOf(c)), 201),
  );
