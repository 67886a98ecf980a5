import { configOf } from "../config";
import { log } from "../log";
import { meteredEnv } from "./metered-env";
import { flushDue, flushUsage, record, recordCachedHit } from "./recorder";
import { requestClass } from "./request-class";
import { emptyUsage, type Usage } from "./usage";

/** Lets a handler's background work (waitUntil) be awaited before its usage is recorded. */
function trackingContext(ctx: ExecutionContext) {
  const pending: Promise<unknown>[] = [];
  const tracked = Object.create(ctx) as ExecutionContext;
  tracked.waitUntil = (promise: Promise<unknown>) => {
    pending.push(promise);
    ctx.waitUntil(promise);
  };
  tracked.passThroughOnException = () => ctx.passThroughOnException();
  const settled = async () => {
    // Background work may start more background work: wait until no more arrives.
    for (let seen = 0; seen < pending.length; ) {
      const batch = pending.slice(seen);
      seen = pending.length;
      await Promise.allSettled(batch);
    }
  };
  return { ctx: tracked, settled };
}

type Env = { DB: D1Database; REQUEST_METRICS?: AnalyticsEngineDataset };

/** How often this isolate writes its counters (a malformed setting is reported by /healthz; the default stands). */
function flushEveryMs(env: object): number {
  try {
    return configOf(env).usageFlushSeconds * 1000;
  } catch {
    return 60_000;
  }
}

function logsRequests(env: object): boolean {
  try {
    return configOf(env).logRequests;
  } catch {
    return true;
  }
}

/** Records a finished unit of work and, when due, flushes this isolate's counters in the background. */
function finish(
  env: Env,
  ctx: ExecutionContext,
  settled: () => Promise<void>,
  cls: string,
  usage: Usage,
  started: number,
  waitingMs: () => number,
  status?: number,
  cacheHit?: boolean,
) {
  const wallMs = performance.now() - started;
  ctx.waitUntil(
    settled().then(async () => {
      usage.cpuMs = Math.max(0, wallMs - waitingMs());
      record(cls, usage, { status, cacheHit, wallMs });
      if (flushDue(flushEveryMs(env))) await flushUsage(env);
    }),
  );
  return wallMs;
}

/**
 * Records a cached GET answered before routing: counted under its class like any request, without
 * wrapping the bindings or waiting on background work (the hot path touches neither).
 */
export function recordHotHit(env: Env, ctx: ExecutionContext, path: string, kvReads: number, started: number) {
  const query = path.indexOf("?");
  const cls = query < 0 ? requestClass("GET", path) : requestClass("GET", path.slice(0, query), path.slice(query));
  recordCachedHit(cls, kvReads, performance.now() - started);
  if (flushDue(flushEveryMs(env))) ctx.waitUntil(flushUsage(env));
}

/** Runs a fetch handler on metered bindings, then logs the request and records its usage under its class. */
export async function meteredFetch<E extends Env>(
  request: Request,
  env: E,
  ctx: ExecutionContext,
  handle: (request: Request, env: E, ctx: ExecutionContext) => Promise<Response>,
): Promise<Response> {
  const started = performance.now();
  const usage = emptyUsage();
  usage.requests = 1;
  const metered = meteredEnv(env, usage);
  const tracking = trackingContext(ctx);
  const url = new URL(request.url);
  const cls = requestClass(request.method, url.pathname, url.search);
  const response = await handle(request, metered.env, tracking.ctx);
  const cache = response.headers.get("X-Cache") ?? undefined;
  const wallMs = finish(
    env,
    ctx,
    tracking.settled,
    cls,
    usage,
    started,
    metered.waitingMs,
    response.status,
    cache === "hit" || cache === "hot",
  );
  // Cached catalog answers are most of the traffic: counted, not logged (a log line would cost more than the answer).
  const quiet = cls === "health" || cls === "asset" || (cache === "hit" && response.status < 400) || !logsRequests(env);
  if (!quiet) {
    log.info("request", {
      requestId: response.headers.get("X-Request-Id") ?? undefined,
      method: request.method,
      class: cls,
      path: url.pathname.slice(0, 200),
      status: response.status,
      ms: Math.round(wallMs),
      cache,
      d1: usage.d1Statements,
      doCalls: usage.doRequests,
      kvReads: usage.kvReads,
    });
  }
  return response;
}

/** Runs a queue batch or a scheduled run on metered bindings and records its usage under `cls`. */
export async function meteredWork<E extends Env>(
  cls: string,
  env: E,
  ctx: ExecutionContext,
  run: (env: E, ctx: ExecutionContext) => Promise<void>,
): Promise<void> {
  const started = performance.now();
  const usage = emptyUsage();
  usage.requests = 1;
  const metered = meteredEnv(env, usage);
  const tracking = trackingContext(ctx);
  try {
    await run(metered.env, tracking.ctx);
  } finally {
    finish(env, ctx, tracking.settled, cls, usage, started, metered.waitingMs);
  }
}
