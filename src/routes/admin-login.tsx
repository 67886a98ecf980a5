import { type Context, Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { sha256Hex } from "../crypto";
import { TURNSTILE_FIELD, TURNSTILE_ORIGIN } from "../domain/turnstile";
import type { AppEnv } from "../env";
import { DomainError } from "../errors";
import { SESSION_COOKIE } from "../http/admin-auth";
import { clientAddress } from "../http/rate-limit";
import { log } from "../log";
import { requestDb } from "../request-db";
import { recordAudit } from "../services/audit";
import { shopOf } from "../services/shop";
import { SESSION_MAX_MS, sessionOf, signIn, signOut } from "../services/staff";
import { turnstileSiteKey, verifyTurnstile } from "../turnstile";
import { LoginPage } from "../views/admin/login";
import { renderDocument } from "../views/document";
import { adminPolicy, newNonce } from "./admin-pages/kit";

/** Seconds a client waits after too many sign-in attempts (the limiters count per minute). */
const RETRY_AFTER_SECONDS = 60;

/** Only same-site admin paths are followed after sign-in (never `//host` or another origin). */
function safeNext(next: unknown): string {
  return typeof next === "string" && /^\/admin(\/[^/\\]|$|\?)/.test(next) && !/[^\x21-\x7e]/.test(next) && !next.startsWith("/admin/login")
    ? next
    : "/admin";
}

async function loginPage(c: Context<AppEnv>, status: 200 | 400 | 401 | 429, props: { next: string; email?: string; error?: string }) {
  const nonce = newNonce();
  const turnstile = turnstileSiteKey(c.env);
  const html = await renderDocument(<LoginPage shopName={shopOf(c.env).name} nonce={nonce} turnstileSiteKey={turnstile} {...props} />);
  return c.html(html, status, {
    "Content-Security-Policy": adminPolicy(nonce, turnstile ? [TURNSTILE_ORIGIN] : []),
    "Cache-Control": "no-store",
  });
}

/** Staff sign-in and sign-out: a form at /admin/login, a session cookie scoped to /admin. */
export const adminLogin = new Hono<AppEnv>()
  .get("/login", async (c) => {
    const cookie = getCookie(c, SESSION_COOKIE);
    if (cookie && (await sessionOf(requestDb(c), cookie))) return c.redirect(safeNext(c.req.query("next")), 303);
    return loginPage(c, 200, { next: safeNext(c.req.query("next")) });
  })
  .post("/login", async (c) => {
    let form: Record<string, unknown>;
    try {
      form = await c.req.parseBody();
    } catch {
      return loginPage(c, 400, { next: "/admin", error: "The form could not be read; try again." });
    }
    const email = typeof form.email === "string" ? form.email.trim() : "";
    const password = typeof form.password === "string" ? form.password : "";
    const next = safeNext(form.next);
    if (!email || !password || email.length > 254 || password.length > 1024) {
      return loginPage(c, 400, { next, email: email.slice(0, 254), error: "Enter your email and password." });
    }
    const account = await sha256Hex(`staff-login:${email.toLowerCase()}`);
    const client = clientAddress(c) ?? "no-address";
    const verdicts = await Promise.all([
      c.env.LOGIN_CLIENT_LIMITER.limit({ key: client }),
      c.env.LOGIN_ACCOUNT_LIMITER.limit({ key: `${account}:${client}` }),
      c.env.LOGIN_ACCOUNT_WIDE_LIMITER.limit({ key: account }),
    ]);
    if (verdicts.some((v) => !v.success)) {
      log.warn("staff.sign_in_limited", { requestId: c.get("requestId"), account: account.slice(0, 12) });
      c.header("Retry-After", String(RETRY_AFTER_SECONDS));
      return loginPage(c, 429, { next, email, error: "Too many sign-in attempts. Wait a minute, then try again." });
    }
    if (turnstileSiteKey(c.env) && !(await verifyTurnstile(c.env, form[TURNSTILE_FIELD], clientAddress(c)))) {
      return loginPage(c, 400, { next, email, error: "Please complete the check, then sign in." });
    }
    const db = requestDb(c);
    try {
      const { token, member } = await signIn(db, email, password, c.req.header("User-Agent") ?? "");
      setCookie(c, SESSION_COOKIE, token, {
        path: "/admin",
        httpOnly: true,
        sameSite: "Strict",
        secure: new URL(c.req.url).protocol === "https:",
        maxAge: Math.floor(SESSION_MAX_MS / 1000),
      });
      await recordAudit(db, {
        actor: `staff:${member.email}`,
        action: "sign_in",
        entity: "staff",
        entityId: member.id,
        requestId: c.get("requestId"),
      });
      return c.redirect(next, 303);
    } catch (err) {
      if (!(err instanceof DomainError) || err.kind !== "unauthorized") throw err;
      log.warn("staff.sign_in_refused", { requestId: c.get("requestId"), account: account.slice(0, 12) });
      return loginPage(c, 401, { next, email, error: err.detail });
    }
  })
  .post("/logout", async (c) => {
    const cookie = getCookie(c, SESSION_COOKIE);
    if (cookie) await signOut(requestDb(c), cookie);
    deleteCookie(c, SESSION_COOKIE, { path: "/admin", secure: new URL(c.req.url).protocol === "https:" });
    return c.redirect("/admin/login", 303);
  });
