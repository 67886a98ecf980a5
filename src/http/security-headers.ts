import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";

/**
 * The Content-Security-Policy: styles and scripts only from this origin (the fingerprinted files under
 * /assets/, never inline; JSON-LD data blocks are not scripts), forms posting to this origin plus `formTargets`
 * (a payment page a checkout form's answer redirects to), and scripts and frames of `widgetOrigins` (Turnstile).
 */
export function contentSecurityPolicy(formTargets: string[] = [], widgetOrigins: string[] = []): string {
  return [
    "default-src 'self'",
    "img-src 'self' data:",
    "style-src 'self'",
    `script-src ${["'self'", ...widgetOrigins].join(" ")}`,
    ...(widgetOrigins.length ? [`frame-src ${widgetOrigins.join(" ")}`] : []),
    "object-src 'none'",
    "base-uri 'self'",
    `form-action ${["'self'", ...formTargets].join(" ")}`,
    "frame-ancestors 'none'",
  ].join("; ");
}

/** Headers every response carries. */
export const SECURITY_HEADERS: [string, string][] = [
  ["Content-Security-Policy", contentSecurityPolicy()],
  ["Strict-Transport-Security", "max-age=31536000; includeSubDomains"],
  ["X-Content-Type-Options", "nosniff"],
  ["Referrer-Policy", "strict-origin-when-cross-origin"],
];

/** Pages with a shopper's or staff member's own data: only these cut other origins' window handles (COOP). */
const ISOLATED_PATHS = /^\/(account|admin|checkout|downloads|newsletter|orders|pay|unsubscribe)(\/|$)|^\/p\/[^/]+\/review$/;

/** Adds the security headers a response does not set itself (a stricter one chosen by a route is kept). */
export function securityHeaders(): MiddlewareHandler<AppEnv> {
  return async function securityHeaders(c, next) {
    await next();
    for (const [name, value] of SECURITY_HEADERS) if (!c.res.headers.has(name)) c.res.headers.set(name, value);
    if (ISOLATED_PATHS.test(c.req.path) && !c.res.headers.has("Cross-Origin-Opener-Policy")) {
      c.res.headers.set("Cross-Origin-Opener-Policy", "same-origin");
    }
  };
}
