import type { CachedEntry } from "../cache/catalog-cache";
import { etagMatches } from "./etag";
import { SECURITY_HEADERS } from "./security-headers";

/** Browsers revalidate every time (cheap 304s); shared caches may serve a minute, then stale while refreshing. */
export const CATALOG_CACHE_CONTROL = "public, max-age=0, s-maxage=60, stale-while-revalidate=600";

const utf8 = new TextEncoder();

/** Where the shop's speculation rules live (announced on every cached HTML page). */
export const SPECULATION_RULES_PATH = "/assets/speculation-rules.json";

export type CacheSource = "hit" | "miss" | "bypass";

/** A cached view as a response: 304 when `If-None-Match` matches, else the body; all headers built at once. */
export function respondWithEntry(
  request: Request,
  requestId: string,
  entry: CachedEntry,
  source: CacheSource,
  cacheControl = CATALOG_CACHE_CONTROL,
  dbQueries = 0,
): Response {
  // One constructor call: every later headers.set() is a separate call into the runtime.
  const headers: [string, string][] = [
    ["Content-Type", entry.type],
    ["ETag", entry.etag],
    ["Cache-Control", cacheControl],
    ["X-Cache", source],
    ["X-Request-Id", requestId],
    ["X-D1-Queries", String(dbQueries)],
    ...SECURITY_HEADERS,
  ];
  if (entry.type.startsWith("text/html")) headers.push(["Speculation-Rules", `"${SPECULATION_RULES_PATH}"`]);
  if (entry.link) headers.push(["Link", entry.link]);
  if (etagMatches(request.headers.get("If-None-Match"), entry.etag)) {
    return new Response(null, { status: 304, headers });
  }
  entry.bytes ??= utf8.encode(entry.body);
  return new Response(entry.bytes, { status: 200, headers });
}
