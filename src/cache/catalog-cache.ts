import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import { sha256Hex } from "../crypto";

const VERSION_KEY = "catalog:version";
/** Rendered entries outlive their version by at most this long; stale versions simply expire. */
const ENTRY_TTL_SECONDS = 7 * 24 * 3600;

/** A rendered page or JSON document as stored in KV. */
export interface CachedEntry {
  body: string;
  etag: string;
  type: string;
  /** A `Link` header (the page's main image to preload). */
  link?: string;
  /** The body as UTF-8, kept once an isolate has sent it (repeats skip the encoding). */
  bytes?: Uint8Array;
  /** A hit's headers, built once an isolate has sent it (copying a Headers object costs far less than building one). */
  hitHeaders?: Headers;
}

interface EntryMetadata {
  etag: string;
  type: string;
  link?: string;
}

let memo: { version: string; readAt: number } | undefined;
/** When this isolate's running re-read of the version started (0: none running). */
let refreshingSince = 0;
/** A re-read older than this is presumed lost (its request went away); the next request reads again. */
const REFRESH_GIVE_UP_MS = 5_000;

/**
 * The current catalog version: part of every cache key, so bumping it invalidates every entry at
 * once. Read from KV at most once per `ttlMs` per isolate (0 = on every call). While one request
 * re-reads it, others answer with the version being replaced instead of waiting: a request may not
 * await I/O that another request started.
 */
export async function catalogVersion(kv: KVNamespace, ttlMs: number, now = Date.now(), onRead?: () => void): Promise<string> {
  if (memo && ttlMs > 0) {
    if (now - memo.readAt < ttlMs) return memo.version;
    if (refreshingSince && now - refreshingSince < REFRESH_GIVE_UP_MS) return memo.version;
  }
  refreshingSince = now;
  onRead?.();
  try {
    const version = (await kv.get(VERSION_KEY)) ?? "0";
    // A bump in this isolate while KV answered is newer than what this read saw.
    if (memo && memo.readAt > now) return memo.version;
    memo = { version, readAt: now };
    return version;
  } finally {
    refreshingSince = 0;
  }
}

/** Starts a new catalog version (after any catalog write); this isolate sees it at once. */
export async function bumpCatalogVersion(kv: KVNamespace, now: Date): Promise<string> {
  const version = `${now.getTime().toString(36)}-${crypto.randomUUID().slice(0, 8)}`;
  await kv.put(VERSION_KEY, version);
  memo = { version, readAt: Date.now() };
  return version;
}

/** KV refuses keys over 512 UTF-8 bytes; entry keys stay well under it. */
const MAX_KEY_BYTES = 480;
/** How much of a long logical key stays readable in front of its hash. */
const KEPT_PREFIX = 120;

/**
 * The KV key of an entry: version, then what the output depends on. A key that would be too long
 * for KV keeps a readable prefix and replaces the rest with the SHA-256 of the whole logical key.
 */
export function entryKey(version: string, logicalKey: string): string {
  const key = `page:${version}:${logicalKey}`;
  if (utf8ToBytes(key).length <= MAX_KEY_BYTES) return key;
  const prefix = [...logicalKey.slice(0, KEPT_PREFIX)].filter((ch) => ch.charCodeAt(0) < 0x80).join("");
  return `page:${version.slice(0, 200)}:${prefix}#${bytesToHex(sha256(utf8ToBytes(logicalKey)))}`;
}

/** Reads an entry in one KV round trip (body and metadata together). */
export async function readEntry(kv: KVNamespace, key: string): Promise<CachedEntry | null> {
  const { value, metadata } = await kv.getWithMetadata<EntryMetadata>(key, "text");
  if (value === null || !metadata) return null;
  return { body: value, etag: metadata.etag, type: metadata.type, ...(metadata.link ? { link: metadata.link } : {}) };
}

/** Stores an entry; keys are never rewritten under the same version. */
export async function writeEntry(kv: KVNamespace, key: string, entry: CachedEntry): Promise<void> {
  await kv.put(key, entry.body, {
    metadata: { etag: entry.etag, type: entry.type, ...(entry.link ? { link: entry.link } : {}) } satisfies EntryMetadata,
    expirationTtl: ENTRY_TTL_SECONDS,
  });
}

/** A strong ETag over the body. */
export async function etagOf(body: string): Promise<string> {
  return `"${(await sha256Hex(body)).slice(0, 24)}"`;
}
