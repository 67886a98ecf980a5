import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import { z } from "zod";
import { STAFF_ROLES, TOKEN_SCOPES } from "../domain/staff";
import type { AppEnv } from "../env";
import { adminActor } from "../http/admin-auth";
import {
  ApiTokenCreatedSchema,
  ApiTokenListSchema,
  SessionListSchema,
  StaffCreatedSchema,
  StaffListSchema,
  StaffMemberSchema,
} from "../openapi/admin-schemas";
import { jsonBody, problems } from "../openapi/responses";
import { requestDb } from "../request-db";
import {
  changeStaff,
  createStaff,
  createToken,
  MIN_PASSWORD_LENGTH,
  revokeApiToken,
  revokeSessionById,
  sessionsList,
  setPassword,
  staffList,
  tokensList,
} from "../services/staff";
import { validate } from "../validation";

const password = z.string().min(MIN_PASSWORD_LENGTH, `At least ${MIN_PASSWORD_LENGTH} characters.`).max(1024);
const staffInput = z
  .object({
    email: z.email("An email address.").max(254),
    password,
    role: z.enum(STAFF_ROLES),
    name: z.string().trim().max(100).optional(),
  })
  .strict();
const staffPatch = z
  .object({ role: z.enum(STAFF_ROLES).optional(), disabled: z.boolean().optional(), name: z.string().trim().max(100).optional() })
  .strict()
  .refine((p) => Object.keys(p).length > 0, "Send at least one field to change.");
const tokenInput = z
  .object({
    name: z.string().trim().min(1).max(80),
    scopes: z
      .array(z.enum(TOKEN_SCOPES as [string, ...string[]]))
      .min(1, "Give the token at least one scope.")
      .max(TOKEN_SCOPES.length),
  })
  .strict();
const idParam = z.object({ id: z.string().min(3).max(64) });

const tags = ["Staff"];
const doc = {
  staff: describeRoute({ tags, summary: "List staff accounts", responses: { 200: jsonBody("Every staff member.", StaffListSchema) } }),
  createStaff: describeRoute({
    tags,
    summary: "Create a staff account",
    description: "The ADMIN_TOKEN (or an owner) creates the first owner and everyone after.",
    responses: { 201: jsonBody("The new member (its URL in Location).", StaffCreatedSchema), ...problems(409) },
  }),
  changeStaff: describeRoute({
    tags,
    summary: "Change a member's role, name, or disable them",
    description: "Their sessions end when disabled or given another role; the last active owner stays an owner.",
    responses: { 200: jsonBody("The member.", StaffMemberSchema), ...problems(404, 409) },
  }),
  setPassword: describeRoute({
    tags,
    summary: "Set a member's password",
    responses: { 204: { description: "Changed; their sessions ended." }, ...problems(404) },
  }),
  tokens: describeRoute({
    tags,
    summary: "List API tokens",
    responses: { 200: jsonBody("Every token, never its secret.", ApiTokenListSchema) },
  }),
  createToken: describeRoute({
    tags,
    summary: "Create a scoped API token",
    responses: { 201: jsonBody("The token with its secret, shown this once.", ApiTokenCreatedSchema) },
  }),
  revokeToken: describeRoute({ tags, summary: "Revoke an API token", responses: { 204: { description: "Revoked." }, ...problems(404) } }),
  sessions: describeRoute({ tags, summary: "List open staff sessions", responses: { 200: jsonBody("Open sessions.", SessionListSchema) } }),
  revokeSession: describeRoute({ tags, summary: "End a staff session", responses: { 204: { description: "Ended." }, ...problems(404) } }),
};

/** Admin API for owners: staff accounts (the ADMIN_TOKEN bootstraps the first), API tokens and open sessions. */
export const adminStaff = new Hono<AppEnv>()
  .get("/staff", doc.staff, async (c) => c.json({ items: await staffList(requestDb(c)) }))
  .post("/staff", doc.createStaff, validate("json", staffInput), async (c) => {
    const member = await createStaff(requestDb(c), c.req.valid("json"), adminActor(c));
    return c.json({ id: member.id, email: member.email, role: member.role }, 201, { Location: `/admin/api/staff/${member.id}` });
  })
  .patch("/staff/:id", doc.changeStaff, validate("param", idParam), validate("json", staffPatch), async (c) =>
    c.json(await changeStaff(requestDb(c), c.req.valid("param").id, c.req.valid("json"), adminActor(c))),
  )
  .post(
    "/staff/:id/password",
    doc.setPassword,
    validate("param", idParam),
    validate("json", z.object({ password }).strict()),
    async (c) => {
      await setPassword(requestDb(c), c.req.valid("param").id, c.req.valid("json").password, adminActor(c));
      return c.body(null, 204);
    },
  )
  .get("/tokens", doc.tokens, async (c) => c.json({ items: await tokensList(requestDb(c)) }))
  .post("/tokens", doc.createToken, validate("json", tokenInput), async (c) => {
    const { name, scopes } = c.req.valid("json");
    const token = await createToken(requestDb(c), { name, scopes: scopes as (typeof TOKEN_SCOPES)[number][] }, adminActor(c));
    return c.json(token, 201);
  })
  .delete("/tokens/:id", doc.revokeToken, validate("param", idParam), async (c) => {
    await revokeApiToken(requestDb(c), c.req.valid("param").id, adminActor(c));
    return c.body(null, 204);
  })
  .get("/sessions", doc.sessions, async (c) => c.json({ items: await sessionsList(requestDb(c)) }))
  .delete("/sessions/:id", doc.revokeSession, validate("param", idParam), async (c) => {
    await revokeSessionById(requestDb(c), c.req.valid("param").id, adminActor(c));
    return c.body(null, 204);
  });
