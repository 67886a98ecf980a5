import type { Context } from "hono";
import type { AppEnv } from "../env";
import { catalogVersion, entryKey, etagOf, readEntry, writeEntry, type CachedEntry } from "../services/catalog-cache";
import { hotCache } from "./hot-cache";

/** Browsers revalidate every time (cheap 304s); shared caches may serve a minute, then stale while refreshing. */
export const CATALOG_CACHE_CONTROL = "public, max-age=0, s-maxage=60, stale-while-revalidate=600";

export type Rendered = { body: string; cacheable?: boolean };

export const HTML = "text/html; charset=utf-8";
export const JSON_TYPE = "application/json; charset=utf-8";

function respond(c: Context<AppEnv>, entry: CachedEntry, source: "hit" | "miss" | "bypass"): Response {
  const headers = new Headers({
    "Content-Type": entry.type,
    ETag: entry.etag,
    "Cache-Control": CATALOG_CACHE_CONTROL,
    "X-Cache": source,
  });
  const ifNoneMatch = c.req.header("If-None-Match");
  if (ifNoneMatch && ifNoneMatch.split(",").some((t) => t.trim() === entry.etag || t.trim() === "*")) {
    return new Response(null, { status: 304, headers });
  }
  return new Response(entry.body, { status: 200, headers });
}

/**
 * Serves a catalog view from the versioned cache (isolate memory, then KV); on a miss renders it,
 * answers, and stores it in KV without delaying the response. A hit touches no D1.
 */
export async function cached(
  c: Context<AppEnv>,
  logicalKey: string,
  type: string,
  render: () => Promise<Rendered>,
): Promise<Response> {
  const kv = c.env.CATALOG_CACHE;
  const key = entryKey(await catalogVersion(kv), logicalKey);
  const hot = hotCache.get(key);
  if (hot) return respond(c, hot, "hit");
  const stored = await readEntry(kv, key);
  if (stored) {
    hotCache.set(key, stored);
    return respond(c, stored, "hit");
  }
  const rendered = await render();
  const entry: CachedEntry = { body: rendered.body, etag: await etagOf(rendered.body), type };
  if (rendered.cacheable === false) return respond(c, entry, "bypass");
  hotCache.set(key, entry);
  c.executionCtx.waitUntil(writeEntry(kv, key, entry));
  return respond(c, entry, "miss");
}

/** Serves a freshly rendered view with an ETag but without storing it (searches: unbounded keys). */
export async function uncached(c: Context<AppEnv>, type: string, body: string): Promise<Response> {
  const res = respond(c, { body, etag: await etagOf(body), type }, "bypass");
  res.headers.set("Cache-Control", "public, max-age=0, s-maxage=30");
  return res;
}
