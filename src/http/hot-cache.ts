import type { CachedEntry } from "../cache/catalog-cache";

const MAX_ENTRIES = 512;
const MAX_BYTES = 16 * 1024 * 1024;
/** The largest body (in characters) an isolate keeps in memory. */
export const MAX_ENTRY_CHARS = MAX_BYTES / 8;
const MAX_URLS = 4096;

/** A Map used as an LRU: reads move the key to the back, inserts evict from the front. */
function touch<K, V>(map: Map<K, V>, key: K): V | undefined {
  const value = map.get(key);
  if (value !== undefined) {
    map.delete(key);
    map.set(key, value);
  }
  return value;
}

/**
 * Per-isolate LRU of versioned cache entries, plus an index from request URLs to them. Keys embed
 * the catalog version, so an entry never changes; eviction is only about memory.
 */
export class HotCache {
  #entries = new Map<string, CachedEntry>();
  #urls = new Map<string, string>();
  #bytes = 0;

  get(key: string): CachedEntry | undefined {
    return touch(this.#entries, key);
  }

  set(key: string, entry: CachedEntry): void {
    if (entry.body.length > MAX_ENTRY_CHARS || this.#entries.has(key)) return;
    this.#entries.set(key, entry);
    this.#bytes += entry.body.length;
    while (this.#entries.size > MAX_ENTRIES || this.#bytes > MAX_BYTES) {
      const [oldestKey, oldest] = this.#entries.entries().next().value as [string, CachedEntry];
      this.#entries.delete(oldestKey);
      this.#bytes -= oldest.body.length;
    }
  }

  /** Remembers that `url` (under `version`) is answered by the entry at `key`. */
  indexUrl(version: string, url: string, key: string): void {
    const urlKey = `${version} ${url}`;
    if (this.#urls.get(urlKey) === key) return;
    this.#urls.set(urlKey, key);
    if (this.#urls.size > MAX_URLS) this.#urls.delete(this.#urls.keys().next().value as string);
  }

  /** The entry a URL was last answered with under `version`, if still held. */
  getByUrl(version: string, url: string): CachedEntry | undefined {
    const key = touch(this.#urls, `${version} ${url}`);
    return key === undefined ? undefined : this.get(key);
  }

  clear(): void {
    this.#entries.clear();
    this.#urls.clear();
    this.#bytes = 0;
  }
}

/** The isolate's hot cache. */
export const hotCache = new HotCache();
