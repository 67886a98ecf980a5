import { createDb } from "../db";
import { addUsage, type UsageRow } from "../db/usage-store";
import { log } from "../log";
import { addInto, emptyUsage, METRICS, type Usage } from "./usage";

/** Counters kept beside usage: answers by status, cache hits, and wall time. */
export interface Outcome {
  status?: number;
  cacheHit?: boolean;
  wallMs: number;
}

type Counters = Usage & { status4xx: number; status5xx: number; cacheHits: number; wallMs: number };

const EXTRA = ["status4xx", "status5xx", "cacheHits", "wallMs"] as const;

/** This isolate's counters since its last flush, by minute and class. */
const pending = new Map<string, Counters>();
let lastFlush = Date.now();

function countersFor(cls: string, at: number): Counters {
  const key = `${Math.floor(at / 60_000)}|${cls}`;
  let c = pending.get(key);
  if (!c) {
    c = { ...emptyUsage(), status4xx: 0, status5xx: 0, cacheHits: 0, wallMs: 0 };
    pending.set(key, c);
  }
  return c;
}

/** Adds one request's (or batch's, or job's) usage to this isolate's counters. */
export function record(cls: string, usage: Usage, outcome: Outcome, at = Date.now()) {
  const c = countersFor(cls, at);
  addInto(c, usage);
  if (outcome.status !== undefined && outcome.status >= 500) c.status5xx++;
  else if (outcome.status !== undefined && outcome.status >= 400) c.status4xx++;
  if (outcome.cacheHit) c.cacheHits++;
  c.wallMs += outcome.wallMs;
}

/** Counts one cached answer served before routing: a request, its KV reads, and its time as CPU and wall time. */
export function recordCachedHit(cls: string, kvReads: number, wallMs: number, at = Date.now()) {
  const c = countersFor(cls, at);
  c.requests++;
  c.kvReads += kvReads;
  c.cpuMs += wallMs;
  c.cacheHits++;
  c.wallMs += wallMs;
}

/** Whether this isolate's counters are due to be written (every `everyMs`, or when many minutes wait). */
export const flushDue = (everyMs: number, now = Date.now()) => pending.size > 0 && (now - lastFlush >= everyMs || pending.size > 50);

/**
 * Writes this isolate's counters to D1 (one batch) and one Analytics Engine data point per class and
 * minute; the write itself is counted under the `metering` class.
 */
export async function flushUsage(env: { DB: D1Database; REQUEST_METRICS?: AnalyticsEngineDataset }, now = Date.now()): Promise<void> {
  if (!pending.size) return;
  const batch = [...pending.entries()];
  pending.clear();
  lastFlush = now;
  const rows: UsageRow[] = [];
  for (const [key, c] of batch) {
    const [minute, cls] = key.split("|") as [string, string];
    for (const metric of [...METRICS, ...EXTRA]) {
      if (c[metric]) rows.push({ minute: Number(minute), class: cls, metric, value: c[metric] });
    }
    env.REQUEST_METRICS?.writeDataPoint({
      indexes: [cls],
      blobs: [cls],
      doubles: [c.requests, c.status4xx, c.status5xx, c.cacheHits, c.wallMs, c.kvReads, c.d1Statements, c.doRequests, c.queueMessages],
    });
  }
  const self = { ...emptyUsage(), d1Statements: rows.length + 1, d1RowsWritten: rows.length + 1, analyticsPoints: batch.length };
  const minute = Math.floor(now / 60_000);
  rows.push(...METRICS.filter((m) => self[m]).map((m) => ({ minute, class: "metering", metric: m, value: self[m] })));
  try {
    for (let i = 0; i < rows.length; i += 90) await addUsage(createDb(env.DB), rows.slice(i, i + 90));
  } catch (err) {
    log.warn("metering.flush_failed", { rows: rows.length, error: err });
  }
}
