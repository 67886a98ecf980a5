import { type Context, Hono } from "hono";
import { publicSettings } from "../../config";
import { type Permission, STAFF_ROLES, type StaffRole, TOKEN_SCOPES } from "../../domain/staff";
import type { AppEnv } from "../../env";
import { invalid, rateLimited } from "../../errors";
import { adminActor } from "../../http/admin-auth";
import { requestDb } from "../../request-db";
import {
  changeOwnPassword,
  changeStaff,
  createStaff,
  createToken,
  revokeApiToken,
  revokeSessionById,
  sessionsList,
  staffList,
  tokensList,
} from "../../services/staff";
import { AccountPage, SettingsPage } from "../../views/admin/settings";
import { StaffPage } from "../../views/admin/staff";
import { adminContext, formAction, formOf, renderPage, text, texts } from "./kit";

async function staffPage(c: Context<AppEnv>, created?: { name: string; token: string }) {
  const ctx = adminContext(c);
  const db = requestDb(c);
  const [staff, tokens, sessions] = await Promise.all([staffList(db), tokensList(db), sessionsList(db)]);
  return renderPage(c, ctx, <StaffPage ctx={ctx} staff={staff} tokens={tokens} sessions={sessions} created={created} />);
}

const roleOf = (value: string): StaffRole => {
  if (!(STAFF_ROLES as readonly string[]).includes(value)) throw invalid("invalid_request", "Choose owner, staff or viewer.");
  return value as StaffRole;
};

/** Admin pages for owners (staff, tokens, sessions, settings) and for everyone (their own account). */
export const staffPages = new Hono<AppEnv>()
  .get("/staff", (c) => staffPage(c))
  .post("/staff", async (c) => {
    const form = await formOf(c);
    return formAction(c, "/admin/staff", "Staff member added; give them their first password.", async () => {
      const email = text(form, "email");
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw invalid("invalid_request", "Give an email address.");
      await createStaff(
        requestDb(c),
        {
          email,
          password: typeof form.password === "string" ? form.password : "",
          role: roleOf(text(form, "role")),
          name: text(form, "name").slice(0, 100),
        },
        adminActor(c),
      );
    });
  })
  .post("/staff/:id/role", async (c) => {
    const form = await formOf(c);
    return formAction(c, "/admin/staff", "Role changed; their sessions ended.", () =>
      changeStaff(requestDb(c), c.req.param("id"), { role: roleOf(text(form, "role")) }, adminActor(c)),
    );
  })
  .post("/staff/:id/disable", async (c) =>
    formAction(c, "/admin/staff", "Staff member disabled.", () =>
      changeStaff(requestDb(c), c.req.param("id"), { disabled: true }, adminActor(c)),
    ),
  )
  .post("/staff/:id/enable", async (c) =>
    formAction(c, "/admin/staff", "Staff member enabled.", () =>
      changeStaff(requestDb(c), c.req.param("id"), { disabled: false }, adminActor(c)),
    ),
  )
  .post("/tokens", async (c) => {
    const form = await formOf(c);
    const name = text(form, "name").slice(0, 80);
    const scopes = texts(form, "scopes").filter((s): s is Permission => (TOKEN_SCOPES as readonly string[]).includes(s));
    if (!name || !scopes.length) {
      return formAction(c, "/admin/staff", "", async () => {
        throw invalid("invalid_request", "Name the token and give it at least one scope.");
      });
    }
    const token = await createToken(requestDb(c), { name, scopes }, adminActor(c));
    return staffPage(c, { name: token.name, token: token.token });
  })
  .post("/tokens/:id/revoke", async (c) =>
    formAction(c, "/admin/staff", "Token revoked.", () => revokeApiToken(requestDb(c), c.req.param("id"), adminActor(c))),
  )
  .post("/sessions/:id/revoke", async (c) =>
    formAction(c, "/admin/staff", "Session ended.", () => revokeSessionById(requestDb(c), c.req.param("id"), adminActor(c))),
  )
  .get("/settings", async (c) => {
    const ctx = adminContext(c);
    return renderPage(c, ctx, <SettingsPage ctx={ctx} settings={publicSettings(c.env)} />);
  })
  .get("/account", async (c) => {
    const ctx = adminContext(c);
    return renderPage(c, ctx, <AccountPage ctx={ctx} />);
  })
  .post("/account/password", async (c) => {
    const form = await formOf(c);
    const principal = c.get("admin");
    return formAction(c, "/admin/account", "Password changed; your other sessions ended.", async () => {
      if (!principal?.staffId || !principal.session) throw invalid("invalid_request", "Sign in to change your password.");
      if (!(await c.env.LOGIN_ACCOUNT_LIMITER.limit({ key: `password-change:${principal.staffId}` })).success) {
        throw rateLimited("Too many attempts; wait a minute, then try again.", 60);
      }
      const current = typeof form.current === "string" ? form.current : "";
      const next = typeof form.password === "string" ? form.password : "";
      await changeOwnPassword(requestDb(c), principal.staffId, current, next, principal.session.tokenHash);
    });
  });
