import type { Context } from "hono";
import { type CachedEntry, catalogVersion, entryKey, etagOf, readEntry, writeEntry } from "../cache/catalog-cache";
import { configOf } from "../config";
import type { AppEnv, Bindings } from "../env";
import { STYLESHEET_PRELOAD } from "../views/assets";
import { hotCache } from "./hot-cache";
import { type CacheSource, respondWithEntry } from "./respond";

export type Rendered = { body: string; cacheable?: boolean; link?: string };

export const HTML = "text/html; charset=utf-8";
export const JSON_TYPE = "application/json; charset=utf-8";

/** Code version + catalog version: cached views change with a deploy or a catalog write. */
async function cacheVersion(env: Bindings, onRead?: () => void): Promise<string> {
  return `${env.VERSION?.id ?? "dev"}.${await catalogVersion(env.CATALOG_CACHE, configOf(env).catalogVersionTtlMs, Date.now(), onRead)}`;
}

/** A request's path and query, as the hot index keys it: the serialized URL from the slash after its host. */
export function pathAndQuery(href: string): string {
  const start = href.indexOf("/", href.indexOf("//") + 2);
  return start < 0 ? "/" : href.slice(start);
}

function respond(c: Context<AppEnv>, entry: CachedEntry, source: CacheSource, cacheControl?: string) {
  return respondWithEntry(c.req.raw, c.get("requestId"), entry, source, cacheControl, c.get("dbQueries"));
}

/**
 * Where a view is kept beyond the isolate: `kv` for the bounded set of catalog views (shared by every
 * location), `edge` for views with unbounded keys such as searches (the location's Cache API:
 * writes are free, and a query nobody repeats there simply ages out).
 */
export type CacheStore = "kv" | "edge";

const EDGE_TTL_SECONDS = 3600;

function edgeRequest(c: Context<AppEnv>, key: string): Request {
  return new Request(`${new URL(c.req.url).origin}/__edge-cache/${encodeURIComponent(key)}`);
}

async function readStored(c: Context<AppEnv>, key: string, store: CacheStore): Promise<CachedEntry | null> {
  if (store === "kv") return readEntry(c.env.CATALOG_CACHE, key);
  const hit = await caches.default.match(edgeRequest(c, key));
  if (!hit) return null;
  const link = hit.headers.get("Link");
  return {
    body: await hit.text(),
    etag: hit.headers.get("ETag") ?? "",
    type: hit.headers.get("Content-Type") ?? "",
    ...(link ? { link } : {}),
  };
}

function writeStored(c: Context<AppEnv>, key: string, entry: CachedEntry, store: CacheStore): Promise<void> {
  if (store === "kv") return writeEntry(c.env.CATALOG_CACHE, key, entry);
  const headers: Record<string, string> = {
    "Content-Type": entry.type,
    ETag: entry.etag,
    "Cache-Control": `public, max-age=${EDGE_TTL_SECONDS}`,
  };
  if (entry.link) headers.Link = entry.link;
  return caches.default.put(edgeRequest(c, key), new Response(entry.body, { headers }));
}

async function lookup(c: Context<AppEnv>, logicalKey: string, store: CacheStore) {
  const version = await cacheVersion(c.env);
  const key = entryKey(version, logicalKey);
  const hot = hotCache.get(key);
  if (hot) return { version, key, entry: hot };
  const stored = await readStored(c, key, store);
  if (stored) hotCache.set(key, stored);
  return { version, key, entry: stored };
}

/**
 * Serves a catalog view from the versioned cache (isolate memory, then KV or the edge cache); on a
 * miss renders it, answers, and stores it without delaying the response. A hit touches no D1.
 */
export async function cached(
  c: Context<AppEnv>,
  logicalKey: string,
  type: string,
  render: () => Promise<Rendered>,
  store: CacheStore = "kv",
): Promise<Response> {
  const { version, key, entry: found } = await lookup(c, logicalKey, store);
  const remember = () => c.req.method === "GET" && hotCache.indexUrl(version, pathAndQuery(c.req.url), key);
  if (found) {
    remember();
    return respond(c, found, "hit");
  }
  const rendered = await render();
  const link = type === HTML ? (rendered.link ? `${STYLESHEET_PRELOAD}, ${rendered.link}` : STYLESHEET_PRELOAD) : rendered.link;
  const entry: CachedEntry = { body: rendered.body, etag: await etagOf(rendered.body), type, ...(link ? { link } : {}) };
  if (rendered.cacheable === false) return respond(c, entry, "bypass");
  hotCache.set(key, entry);
  remember();
  c.executionCtx.waitUntil(writeStored(c, key, entry, store));
  return respond(c, entry, "miss");
}

const parsed = new WeakMap<CachedEntry, unknown>();

/**
 * Data derived from the catalog (category list, search vocabulary), kept in the versioned cache as
 * JSON and parsed once per isolate: a hit touches no D1.
 */
export async function cachedData<T>(c: Context<AppEnv>, logicalKey: string, load: () => Promise<T>): Promise<T> {
  const { key, entry: found } = await lookup(c, logicalKey, "kv");
  if (found) {
    if (!parsed.has(found)) parsed.set(found, JSON.parse(found.body));
    return parsed.get(found) as T;
  }
  const value = await load();
  const body = JSON.stringify(value);
  const entry: CachedEntry = { body, etag: await etagOf(body), type: JSON_TYPE };
  parsed.set(entry, value);
  hotCache.set(key, entry);
  c.executionCtx.waitUntil(writeEntry(c.env.CATALOG_CACHE, key, entry));
  return value;
}

/** Serves a freshly rendered view with an ETag but without storing it (searches: unbounded keys). */
export async function uncached(c: Context<AppEnv>, type: string, body: string): Promise<Response> {
  return respond(c, { body, etag: await etagOf(body), type }, "bypass", "public, max-age=0, s-maxage=30");
}

/**
 * Answers a repeat GET of a catalog view this isolate already holds, before routing. Same entry,
 * same version check as `cached()`; anything else falls through to the app. No request id: these hits
 * are counted, not logged, so an id would name nothing (Cloudflare's `CF-Ray` still identifies them).
 */
export async function hotPath(request: Request, path: string, env: Bindings): Promise<{ response: Response; kvReads: number } | undefined> {
  if (request.method !== "GET") return undefined;
  let kvReads = 0;
  try {
    const version = await cacheVersion(env, () => kvReads++);
    const entry = hotCache.getByUrl(version, path);
    return entry && { response: respondWithEntry(request, undefined, entry, "hit"), kvReads };
  } catch {
    // Outside the app's error handler: let the app answer (and report) instead.
    return undefined;
  }
}
