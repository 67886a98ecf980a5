import type { CachedEntry } from "../cache/catalog-cache";
import { etagMatches } from "./etag";
import { SECURITY_HEADERS } from "./security-headers";

/** Browsers revalidate every time (cheap 304s); shared caches may serve a minute, then stale while refreshing. */
export const CATALOG_CACHE_CONTROL = "public, max-age=0, s-maxage=60, stale-while-revalidate=600";

const utf8 = new TextEncoder();

/** Where the shop's speculation rules live (announced on every cached HTML page). */
export const SPECULATION_RULES_PATH = "/assets/speculation-rules.json";

export type CacheSource = "hit" | "miss" | "bypass";

function headerList(entry: CachedEntry, source: CacheSource, cacheControl: string, dbQueries: number): [string, string][] {
  const headers: [string, string][] = [
    ["Content-Type", entry.type],
    ["ETag", entry.etag],
    ["Cache-Control", cacheControl],
    ["X-Cache", source],
    ["X-D1-Queries", String(dbQueries)],
    ...SECURITY_HEADERS,
  ];
  if (entry.type.startsWith("text/html")) headers.push(["Speculation-Rules", `"${SPECULATION_RULES_PATH}"`]);
  if (entry.link) headers.push(["Link", entry.link]);
  return headers;
}

/**
 * A cached view as a response: 304 when `If-None-Match` matches, else the body. Hits carry no request id
 * (they are counted, not logged, so an id would name nothing), and a hit with no D1 work copies the entry's
 * headers, built once (far cheaper than building them). Misses and bypasses carry `requestId`.
 */
export function respondWithEntry(
  request: Request,
  requestId: string | undefined,
  entry: CachedEntry,
  source: CacheSource,
  cacheControl = CATALOG_CACHE_CONTROL,
  dbQueries = 0,
): Response {
  let headers: Headers | [string, string][];
  if (source === "hit" && cacheControl === CATALOG_CACHE_CONTROL && dbQueries === 0) {
    entry.hitHeaders ??= new Headers(headerList(entry, source, cacheControl, dbQueries));
    headers = entry.hitHeaders;
  } else {
    headers = headerList(entry, source, cacheControl, dbQueries);
    if (requestId && source !== "hit") headers.push(["X-Request-Id", requestId]);
  }
  if (etagMatches(request.headers.get("If-None-Match"), entry.etag)) return new Response(null, { status: 304, headers });
  entry.bytes ??= utf8.encode(entry.body);
  return new Response(entry.bytes, { status: 200, headers });
}
