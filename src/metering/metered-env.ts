import { WRAPPED_ENV } from "../config";
import type { Usage } from "./usage";

type Counter = (metric: keyof Usage, n?: number) => void;

const now = () => performance.now();

/** A method kept on its object without `bind` (RPC stubs would treat `bind` as a remote method). */
const bound =
  (fn: unknown, self: object) =>
  (...args: unknown[]) =>
    Reflect.apply(fn as (...a: unknown[]) => unknown, self, args);

/** Promises and the runtime's RPC results alike. */
const isThenable = (x: unknown): x is PromiseLike<unknown> => typeof (x as { then?: unknown } | null)?.then === "function";

/** Wraps a binding so each call of the named methods counts (and times, as waiting) under a metric. */
function wrapMethods<T extends object>(target: T, metrics: Record<string, keyof Usage>, count: Counter, waited: (ms: number) => void): T {
  return new Proxy(target, {
    get(t, prop, receiver) {
      const value = Reflect.get(t, prop, receiver);
      const metric = typeof prop === "string" ? metrics[prop] : undefined;
      if (!metric || typeof value !== "function") return typeof value === "function" ? bound(value, t) : value;
      return (...args: unknown[]) => {
        count(metric, 1);
        const start = now();
        const result = Reflect.apply(value as (...a: unknown[]) => unknown, t, args);
        return isThenable(result) ? Promise.resolve(result).finally(() => waited(now() - start)) : result;
      };
    },
  });
}

/** The unwrapped statement behind a metered one (the runtime's batch takes only its own). */
const RAW = Symbol("raw statement");

/** D1 metadata of a result, where the driver returns it. */
function countRows(result: unknown, count: Counter) {
  const meta = (result as { meta?: { rows_read?: number; rows_written?: number } } | undefined)?.meta;
  if (meta) {
    count("d1RowsRead", meta.rows_read ?? 0);
    count("d1RowsWritten", meta.rows_written ?? 0);
  } else if (Array.isArray(result)) count("d1RowsRead", result.length);
}

function meteredD1(d1: D1Database, count: Counter, waited: (ms: number) => void): D1Database {
  const timed = async <R>(run: () => Promise<R>): Promise<R> => {
    const start = now();
    try {
      return await run();
    } finally {
      waited(now() - start);
    }
  };
  const wrapStatement = (stmt: D1PreparedStatement): D1PreparedStatement =>
    new Proxy(stmt, {
      get(t, prop) {
        if (prop === RAW) return t;
        const value = Reflect.get(t, prop, t);
        if (prop === "bind")
          return (...args: unknown[]) => wrapStatement(Reflect.apply(value as (...a: unknown[]) => D1PreparedStatement, t, args));
        if (prop === "run" || prop === "all" || prop === "first" || prop === "raw") {
          return (...args: unknown[]) =>
            timed(async () => {
              count("d1Statements", 1);
              const result = await Reflect.apply(value as (...a: unknown[]) => Promise<unknown>, t, args);
              countRows(result, count);
              return result;
            });
        }
        return typeof value === "function" ? bound(value, t) : value;
      },
    });
  return new Proxy(d1, {
    get(t, prop) {
      if (prop === "prepare") return (query: string) => wrapStatement(t.prepare(query));
      if (prop === "batch") {
        return (statements: D1PreparedStatement[]) =>
          timed(async () => {
            count("d1Statements", statements.length);
            const results = await t.batch(statements.map((s) => (s as unknown as Record<symbol, D1PreparedStatement>)[RAW] ?? s));
            for (const r of results) countRows(r, count);
            return results;
          });
      }
      const value = Reflect.get(t, prop, t);
      return typeof value === "function" ? bound(value, t) : value;
    },
  });
}

function meteredNamespace(ns: DurableObjectNamespace, count: Counter, waited: (ms: number) => void): DurableObjectNamespace {
  const stub = (s: object) =>
    new Proxy(s, {
      get(t, prop) {
        const value = Reflect.get(t, prop, t);
        if (typeof value !== "function" || prop === "then") return value;
        return (...args: unknown[]) => {
          count("doRequests", 1);
          const start = now();
          const result = Reflect.apply(value as (...a: unknown[]) => unknown, t, args);
          if (isThenable(result)) {
            return Promise.resolve(result).finally(() => {
              const ms = now() - start;
              count("doWallMs", ms);
              waited(ms);
            });
          }
          return result;
        };
      },
    });
  return new Proxy(ns, {
    get(t, prop) {
      const value = Reflect.get(t, prop, t);
      if (prop === "get" || prop === "getByName")
        return (...args: unknown[]) => stub(Reflect.apply(value as (...a: unknown[]) => object, t, args));
      return typeof value === "function" ? bound(value, t) : value;
    },
  }) as DurableObjectNamespace;
}

function meteredImages(images: ImagesBinding, count: Counter, waited: (ms: number) => void): ImagesBinding {
  return new Proxy(images, {
    get(t, prop) {
      const value = Reflect.get(t, prop, t);
      if (prop !== "input") return typeof value === "function" ? bound(value, t) : value;
      return (...args: unknown[]) => {
        const transformer = Reflect.apply(value as (...a: unknown[]) => object, t, args);
        return wrapMethods(transformer, { output: "imageTransforms" }, count, waited);
      };
    },
  });
}

/** Which metric each kind of binding's methods count under. */
const KV = { get: "kvReads", getWithMetadata: "kvReads", put: "kvWrites", delete: "kvDeletes", list: "kvLists" } as const;
const R2 = {
  put: "r2ClassA",
  list: "r2ClassA",
  createMultipartUpload: "r2ClassA",
  resumeMultipartUpload: "r2ClassA",
  delete: "r2ClassA",
  get: "r2ClassB",
  head: "r2ClassB",
} as const;

/**
 * The bindings, counting every billed operation into `usage`, and how long was spent waiting on them
 * (the rest of the wall time estimates CPU). Bindings are recognised by kind, so new ones are metered too.
 */
export function meteredEnv<E extends object>(env: E, usage: Usage): { env: E; waitingMs: () => number } {
  const count: Counter = (metric, n = 1) => {
    usage[metric] += n;
  };
  let waiting = 0;
  const waited = (ms: number) => {
    waiting += ms;
  };
  const cache = new Map<PropertyKey, unknown>();
  const wrap = (name: string, value: object): unknown => {
    if (name === "DB") return meteredD1(value as D1Database, count, waited);
    if (name === "IMAGES") return meteredImages(value as ImagesBinding, count, waited);
    if ("idFromName" in value) return meteredNamespace(value as DurableObjectNamespace, count, waited);
    if ("getWithMetadata" in value) return wrapMethods(value, KV, count, waited);
    if ("createMultipartUpload" in value) return wrapMethods(value, R2, count, waited);
    if ("sendBatch" in value) return meteredQueue(value as Queue, count, waited);
    if ("writeDataPoint" in value) return wrapMethods(value, { writeDataPoint: "analyticsPoints" }, count, waited);
    if (name === "EMAIL") return wrapMethods(value, { send: "emails" }, count, waited);
    return value;
  };
  const metered = new Proxy(env, {
    get(t, prop) {
      if (prop === WRAPPED_ENV) return t;
      if (cache.has(prop)) return cache.get(prop);
      const value = Reflect.get(t, prop, t) as unknown;
      const wrapped = value && typeof value === "object" ? wrap(String(prop), value) : value;
      cache.set(prop, wrapped);
      return wrapped;
    },
  });
  return { env: metered, waitingMs: () => waiting };
}

function meteredQueue(queue: Queue, count: Counter, waited: (ms: number) => void): Queue {
  return new Proxy(queue, {
    get(t, prop) {
      const value = Reflect.get(t, prop, t);
      if (prop !== "send" && prop !== "sendBatch") return typeof value === "function" ? bound(value, t) : value;
      return (messages: unknown, ...rest: unknown[]) => {
        count("queueMessages", prop === "sendBatch" ? (messages as unknown[]).length : 1);
        const start = now();
        return (Reflect.apply(value as (...a: unknown[]) => Promise<unknown>, t, [messages, ...rest]) as Promise<unknown>).finally(() =>
          waited(now() - start),
        );
      };
    },
  });
}
