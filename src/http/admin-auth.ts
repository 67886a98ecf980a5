import type { MiddlewareHandler } from "hono";
import { configOf } from "../config";
import { safeEqual } from "../crypto";
import type { AdminRole, AppEnv } from "../env";
import { forbidden, unauthorized } from "../errors";

const READ_METHODS = new Set(["GET", "HEAD"]);

/**
 * Bearer-token guard for everything under /admin. `ADMIN_TOKEN` grants `admin`; the optional
 * `ADMIN_READONLY_TOKEN` grants `viewer`, which may only read. Anything else is refused.
 */
export function adminAuth(): MiddlewareHandler<AppEnv> {
  return async function adminAuth(c, next) {
    const config = configOf(c.env);
    const adminToken = config.adminToken;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header("Authorization") ?? "");
    if (!match?.[1]) throw unauthorized();
    const token = match[1];
    let role: AdminRole | undefined;
    if (await safeEqual(token, adminToken)) role = "admin";
    else if (config.adminReadonlyToken && (await safeEqual(token, config.adminReadonlyToken))) role = "viewer";
    if (!role) throw unauthorized("The bearer token is not valid.");
    if (role === "viewer" && !READ_METHODS.has(c.req.method)) {
      throw forbidden("This token may only read; writes need an admin token.");
    }
    c.set("admin", { role });
    await next();
  };
}
