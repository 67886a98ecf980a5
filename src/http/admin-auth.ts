import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { configOf } from "../config";
import { safeEqual } from "../crypto";
import { isSelfService, type Permission, permissionFor, ROLE_PERMISSIONS } from "../domain/staff";
import type { AdminPrincipal, AppEnv } from "../env";
import { forbidden, unauthorized } from "../errors";
import { requestDb } from "../request-db";
import { csrfTokenFor, sessionOf, tokenGrants } from "../services/staff";

/** The staff session cookie: HttpOnly, SameSite=Strict, scoped to /admin. */
export const SESSION_COOKIE = "admin_session";
/** Where a script sends the session's CSRF token; forms send it as the `_csrf` field. */
export const CSRF_HEADER = "X-CSRF-Token";

const READ_METHODS = new Set(["GET", "HEAD"]);
/** Admin paths that need no sign-in. */
const PUBLIC_PATHS = new Set(["/admin/login"]);
const API_TOKEN_PREFIX = "eft_";

const isPage = (path: string) => !path.startsWith("/admin/api/") && path !== "/admin/api";

async function bearerPrincipal(c: Context<AppEnv>, token: string): Promise<AdminPrincipal> {
  if (token.startsWith(API_TOKEN_PREFIX)) {
    const grants = await tokenGrants(requestDb(c), token);
    if (!grants) throw unauthorized("The bearer token is not valid.");
    return { actor: `token:${grants.name}#${grants.id}`, kind: "token", permissions: grants.permissions, owner: false };
  }
  const config = configOf(c.env);
  if (await safeEqual(token, config.adminToken)) {
    return { actor: "token:admin", kind: "ops", role: "owner", permissions: ROLE_PERMISSIONS.owner, owner: true };
  }
  if (config.adminReadonlyToken && (await safeEqual(token, config.adminReadonlyToken))) {
    return { actor: "token:readonly", kind: "ops", role: "viewer", permissions: ROLE_PERMISSIONS.viewer, owner: false };
  }
  throw unauthorized("The bearer token is not valid.");
}

async function sessionPrincipal(c: Context<AppEnv>, cookie: string): Promise<AdminPrincipal | undefined> {
  const found = await sessionOf(requestDb(c), cookie);
  if (!found) return undefined;
  const { member, tokenHash } = found;
  return {
    actor: `staff:${member.email}`,
    kind: "session",
    role: member.role,
    permissions: ROLE_PERMISSIONS[member.role],
    owner: member.role === "owner",
    staffId: member.id,
    email: member.email,
    session: { tokenHash, csrf: await csrfTokenFor(c.env, tokenHash) },
  };
}

async function csrfOf(c: Context<AppEnv>): Promise<string> {
  const header = c.req.header(CSRF_HEADER);
  if (header) return header;
  const type = c.req.header("Content-Type") ?? "";
  if (type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data")) {
    let form: Record<string, unknown>;
    try {
      form = await c.req.parseBody();
    } catch {
      // An unreadable form carries no token, so it is refused like any form without one.
      return "";
    }
    const field = form._csrf;
    return typeof field === "string" ? field : "";
  }
  return "";
}

/** Whether a principal may make a request (deny by default: a path in no area needs an owner). */
export function allows(principal: AdminPrincipal, method: string, path: string): boolean {
  if (isSelfService(path)) return principal.kind === "session";
  const needed: Permission | undefined = permissionFor(method, path);
  return needed ? principal.permissions.has(needed) : principal.owner;
}

/**
 * Guards everything under /admin: a bearer token (the ops tokens or a named API token with scopes)
 * or a staff session cookie whose writes carry the session's CSRF token. Pages without a session
 * redirect to the sign-in form; API calls get 401; a role or scope lacking the right gets 403.
 */
export function adminAuth(): MiddlewareHandler<AppEnv> {
  return async function adminAuth(c, next) {
    const path = c.req.path;
    if (PUBLIC_PATHS.has(path)) return next();
    const authorization = c.req.header("Authorization");
    let principal: AdminPrincipal | undefined;
    if (authorization !== undefined) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
      if (!match?.[1]) throw unauthorized();
      principal = await bearerPrincipal(c, match[1]);
    } else {
      const cookie = getCookie(c, SESSION_COOKIE);
      principal = cookie ? await sessionPrincipal(c, cookie) : undefined;
      if (!principal) {
        if (isPage(path)) {
          const back = c.req.method === "GET" ? `?next=${encodeURIComponent(path + new URL(c.req.url).search)}` : "";
          return c.redirect(`/admin/login${back}`, 303);
        }
        throw unauthorized();
      }
      if (!READ_METHODS.has(c.req.method) && !(await safeEqual(await csrfOf(c), principal.session?.csrf ?? ""))) {
        throw forbidden("This form has expired or did not come from this shop; reload the page and try again.", "csrf_invalid");
      }
    }
    if (!allows(principal, c.req.method, path)) {
      throw forbidden(
        READ_METHODS.has(c.req.method)
          ? "Your role does not give access to this part of the admin."
          : "Your role or token may not make this change; ask an owner.",
      );
    }
    c.set("admin", principal);
    c.header("Cache-Control", "no-store");
    await next();
  };
}

/** Who is acting on this admin request, for audit rows and order events. */
export const adminActor = (c: Context<AppEnv>) => c.get("admin")?.actor ?? "unknown";
