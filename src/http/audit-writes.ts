import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";
import { log } from "../log";
import { requestDb } from "../request-db";
import { recordAudit } from "../services/audit";

const READ_METHODS = new Set(["GET", "HEAD"]);
/** Resources whose services (or pages) write their own, detailed audit rows. */
const AUDITED_BY_SERVICE = new Set([
  "products",
  "variants",
  "categories",
  "pages",
  "staff",
  "tokens",
  "sessions",
  "account",
  "customers",
  "reviews",
]);
/** Product images through the API, which the catalog services do not audit (the pages do). */
const IMAGE_PATHS = new Set(["media"]);

/**
 * Writes an audit row for every admin change that succeeded: the actor, the method and route, and the
 * entity and id named by the path (`/admin/api/orders/ord_1/refund` → orders, ord_1). Bodies are not
 * kept (they may hold passwords or personal data).
 */
export function auditWrites(): MiddlewareHandler<AppEnv> {
  return async function auditWrites(c, next) {
    await next();
    const principal = c.get("admin");
    if (!principal || READ_METHODS.has(c.req.method) || c.res.status >= 400 || c.get("refused")) return;
    const [entity = "admin", entityId = "-", ...rest] = c.req.path.replace(/^\/admin(\/api)?\/?/, "").split("/");
    if (AUDITED_BY_SERVICE.has(entity) && !IMAGE_PATHS.has(rest[0] ?? "")) return;
    try {
      await recordAudit(requestDb(c), {
        actor: principal.actor,
        action: [c.req.method.toLowerCase(), ...rest].join(" "),
        entity,
        entityId: decodeURIComponent(entityId).slice(0, 120),
        changes: { status: c.res.status, via: c.req.path.startsWith("/admin/api/") ? "api" : "admin" },
        requestId: c.get("requestId"),
      });
    } catch (err) {
      log.error("audit.write_failed", { requestId: c.get("requestId"), error: err });
    }
  };
}
