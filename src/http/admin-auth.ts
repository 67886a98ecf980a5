import type { MiddlewareHandler } from "hono";
import type { AdminRole, AppEnv } from "../env";
import { forbidden, misconfigured, unauthorized } from "../errors";
import { safeEqual as secretsEqual } from "../services/tokens";

const READ_METHODS = new Set(["GET", "HEAD"]);

/**
 * Bearer-token guard for everything under /admin. `ADMIN_TOKEN` grants `admin`; the optional
 * `ADMIN_READONLY_TOKEN` grants `viewer`, which may only read. Anything else is refused.
 */
export function adminAuth(): MiddlewareHandler<AppEnv> {
  return async function adminAuth(c, next) {
    const adminToken = c.env.ADMIN_TOKEN;
    if (!adminToken) throw misconfigured("ADMIN_TOKEN");
    const header = c.req.header("Authorization") ?? "";
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1]) throw unauthorized();
    const token = match[1];
    let role: AdminRole | undefined;
    if (await secretsEqual(token, adminToken)) role = "admin";
    else if (c.env.ADMIN_READONLY_TOKEN && (await secretsEqual(token, c.env.ADMIN_READONLY_TOKEN))) role = "viewer";
    if (!role) throw unauthorized("The bearer token is not valid.");
    if (role === "viewer" && !READ_METHODS.has(c.req.method)) {
      throw forbidden("This token may only read; writes need an admin token.");
    }
    c.set("admin", { role });
    await next();
  };
}
