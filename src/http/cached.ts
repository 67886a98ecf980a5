import type { Context } from "hono";
import { type CachedEntry, catalogVersion, entryKey, etagOf, readEntry, writeEntry } from "../cache/catalog-cache";
import { configOf } from "../config";
import type { AppEnv, Bindings } from "../env";
import { hotCache } from "./hot-cache";
import { type CacheSource, respondWithEntry } from "./respond";

export type Rendered = { body: string; cacheable?: boolean };

export const HTML = "text/html; charset=utf-8";
export const JSON_TYPE = "application/json; charset=utf-8";

/** Code version + catalog version: cached views change with a deploy or a catalog write. */
async function cacheVersion(env: Bindings): Promise<string> {
  return `${env.VERSION?.id ?? "dev"}.${await catalogVersion(env.CATALOG_CACHE, configOf(env).catalogVersionTtlMs)}`;
}

const urlOf = (request: Request) => {
  const url = new URL(request.url);
  return url.pathname + url.search;
};

function respond(c: Context<AppEnv>, entry: CachedEntry, source: CacheSource, cacheControl?: string) {
  return respondWithEntry(c.req.raw, c.get("requestId"), entry, source, cacheControl, c.get("dbQueries"));
}

/**
 * Serves a catalog view from the versioned cache (isolate memory, then KV); on a miss renders it,
 * answers, and stores it in KV without delaying the response. A hit touches no D1.
 */
export async function cached(c: Context<AppEnv>, logicalKey: string, type: string, render: () => Promise<Rendered>): Promise<Response> {
  const kv = c.env.CATALOG_CACHE;
  const version = await cacheVersion(c.env);
  const key = entryKey(version, logicalKey);
  const remember = () => c.req.method === "GET" && hotCache.indexUrl(version, urlOf(c.req.raw), key);
  const hot = hotCache.get(key);
  if (hot) {
    remember();
    return respond(c, hot, "hit");
  }
  const stored = await readEntry(kv, key);
  if (stored) {
    hotCache.set(key, stored);
    remember();
    return respond(c, stored, "hit");
  }
  const rendered = await render();
  const entry: CachedEntry = { body: rendered.body, etag: await etagOf(rendered.body), type };
  if (rendered.cacheable === false) return respond(c, entry, "bypass");
  hotCache.set(key, entry);
  remember();
  c.executionCtx.waitUntil(writeEntry(kv, key, entry));
  return respond(c, entry, "miss");
}

/** Serves a freshly rendered view with an ETag but without storing it (searches: unbounded keys). */
export async function uncached(c: Context<AppEnv>, type: string, body: string): Promise<Response> {
  return respond(c, { body, etag: await etagOf(body), type }, "bypass", "public, max-age=0, s-maxage=30");
}

/**
 * Answers a repeat GET of a catalog view this isolate already holds, before routing. Same entry,
 * same version check as `cached()`; anything else falls through to the app.
 */
export async function hotPath(request: Request, env: Bindings): Promise<Response | undefined> {
  if (request.method !== "GET") return undefined;
  try {
    const version = await cacheVersion(env);
    const entry = hotCache.getByUrl(version, urlOf(request));
    return entry && respondWithEntry(request, crypto.randomUUID(), entry, "hit");
  } catch {
    // Outside the app's error handler: let the app answer (and report) instead.
    return undefined;
  }
}
