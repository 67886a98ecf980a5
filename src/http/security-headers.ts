import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";

/** Headers every response carries (CSP allows inline styles and JSON-LD data blocks, no scripts). */
export const SECURITY_HEADERS: [string, string][] = [
  [
    "Content-Security-Policy",
    "default-src 'self'; img-src 'self' data:; style-src 'unsafe-inline'; script-src 'none'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
  ],
  ["Strict-Transport-Security", "max-age=31536000; includeSubDomains"],
  ["X-Content-Type-Options", "nosniff"],
  ["Referrer-Policy", "strict-origin-when-cross-origin"],
  ["Cross-Origin-Opener-Policy", "same-origin"],
];

/** Adds the security headers to responses that were not built with them already. */
export function securityHeaders(): MiddlewareHandler<AppEnv> {
  return async function securityHeaders(c, next) {
    await next();
    if (c.res.headers.has("Content-Security-Policy")) return;
    for (const [name, value] of SECURITY_HEADERS) c.res.headers.set(name, value);
  };
}
