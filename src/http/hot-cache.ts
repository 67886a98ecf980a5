import type { CachedEntry } from "../services/catalog-cache";

const MAX_ENTRIES = 512;
const MAX_BYTES = 16 * 1024 * 1024;

/**
 * Per-isolate LRU of versioned cache entries. Keys embed the catalog version, so an entry never
 * changes; eviction is only about memory.
 */
export class HotCache {
  #entries = new Map<string, CachedEntry>();
  #bytes = 0;

  get(key: string): CachedEntry | undefined {
    const entry = this.#entries.get(key);
    if (entry) {
      this.#entries.delete(key);
      this.#entries.set(key, entry);
    }
    return entry;
  }

  set(key: string, entry: CachedEntry): void {
    if (entry.body.length > MAX_BYTES / 8 || this.#entries.has(key)) return;
    this.#entries.set(key, entry);
    this.#bytes += entry.body.length;
    while (this.#entries.size > MAX_ENTRIES || this.#bytes > MAX_BYTES) {
      const [oldestKey, oldest] = this.#entries.entries().next().value as [string, CachedEntry];
      this.#entries.delete(oldestKey);
      this.#bytes -= oldest.body.length;
    }
  }

  clear(): void {
    this.#entries.clear();
    this.#bytes = 0;
  }
}

/** The isolate's hot cache. */
export const hotCache = new HotCache();
