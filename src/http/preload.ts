import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";
import { STYLESHEET_PRELOAD } from "../views/assets";

/** Shopper pages that do not come from the view cache announce the stylesheet in their headers too (admin pages style themselves). */
export function preloadStylesheet(): MiddlewareHandler<AppEnv> {
  return async function preloadStylesheet(c, next) {
    await next();
    const headers = c.res.headers;
    if (headers.has("Link") || !headers.get("Content-Type")?.startsWith("text/html") || c.req.path.startsWith("/admin")) return;
    headers.set("Link", STYLESHEET_PRELOAD);
  };
}
