// Shared benchmark harness: the built Worker in workerd through Miniflare (no wrangler dev proxy),
// a trivial hello-world Worker in the same harness as the reference, and wrk as the load generator.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";

/** Builds the Worker exactly as `wrangler deploy` would, into dist/. */
export function buildWorker() {
  execFileSync("wrangler", ["deploy", "--dry-run", "--outdir", "dist", "--env="], { stdio: ["ignore", "ignore", "inherit"] });
  return "dist/index.js";
}

const SECRETS = { ADMIN_TOKEN: "bench-admin-token", SESSION_SECRET: "bench-session-secret" };

/** Runs `work` over `items` with at most `width` in flight; results in the items' order. */
export async function pool(items, width, work) {
  const results = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i], i);
      }
    }),
  );
  return results;
}

/** A TCP port nothing listens on now. */
export async function freePort() {
  const { createServer } = await import("node:net");
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts the built shop Worker with every binding from wrangler.toml (in-memory storage) on `port` (any
 * when 0); `options` adds Miniflare worker options (e.g. an `outboundService` standing in for a provider).
 */
export async function startShop(scriptPath = "dist/index.js", vars = {}, port = 0, options = {}) {
  // The built bundle is a single ES module, so wrangler's module rules do not apply.
  const { modulesRules: _rules, ...workerOptions } = unstable_getMiniflareWorkerOptions("wrangler.toml").workerOptions;
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      port,
      host: "127.0.0.1",
      workers: [
        {
          ...workerOptions,
          name: "edgefront",
          modules: true,
          scriptPath,
          bindings: {
            ...workerOptions.bindings,
            ...SECRETS,
            PUBLIC_BASE_URL: port ? `http://127.0.0.1:${port}` : "http://127.0.0.1",
            ...vars,
          },
          ...options,
        },
      ],
    }),
  );
  const url = await mf.ready;
  return { mf, url: url.toString().replace(/\/$/, ""), adminToken: SECRETS.ADMIN_TOKEN };
}

/** Starts a one-module reference Worker in its own workerd; `options` adds bindings (Miniflare worker options). */
export async function startTrivial(name, script, options = {}) {
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      port: 0,
      host: "127.0.0.1",
      workers: [{ name, modules: true, script, compatibilityDate: "2026-11-01", ...options }],
    }),
  );
  const url = await mf.ready;
  return { mf, url: url.toString().replace(/\/$/, "") };
}

/** Starts a Worker that answers "hi": the ceiling of this harness on this machine. */
export function startHello() {
  return startTrivial("hello", 'export default { fetch() { return new Response("hi"); } };');
}

/**
 * Starts a trivial Worker that makes an uncached search's platform calls and nothing else: an edge-cache
 * lookup, one rate-limit count, the FTS statement `sql` (bound to `"<q>"*`) on its own D1 (seed it like
 * the shop's), then answers `body` and puts it in the edge cache. The floor under our search code.
 */
export function startPlatformFloor(sql, body) {
  const script = `const SQL = ${JSON.stringify(sql)};
const BODY = ${JSON.stringify(body)};
export default { async fetch(request, env, ctx) {
  const url = new URL(request.url);
  const key = new Request(url.origin + "/__edge-cache/" + encodeURIComponent(url.pathname + url.search));
  const hit = await caches.default.match(key);
  if (hit) return hit;
  await env.LIMITER.limit({ key: request.headers.get("CF-Connecting-IP") ?? "" });
  const q = (url.searchParams.get("q") ?? "").replace(/"/g, "");
  const { results } = await env.DB.prepare(SQL).bind(\`"\${q}"*\`).all();
  const res = new Response(BODY, { headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "public, max-age=3600", "X-Matches": String(results.length) } });
  ctx.waitUntil(caches.default.put(key, res.clone()));
  return res;
} };`;
  return startTrivial("floor", script, {
    d1Databases: { DB: "floor-db" },
    ratelimits: { LIMITER: { namespace_id: "1", simple: { limit: 120, period: 60 } } },
  });
}

/**
 * Starts a trivial Worker that answers each given path with a fixed, previously captured response
 * (same status, headers and body): the ceiling for sending exactly those bytes from this harness.
 */
export function startReplay(responses) {
  const table = JSON.stringify(responses);
  // Headers and bytes built once, as the shop does for a cached view: the cheapest way to send this response.
  const script = `const table = ${table};
for (const r of Object.values(table)) { r.headers = new Headers(r.headers); r.body = new TextEncoder().encode(r.body); }
export default { fetch(request) {
  const url = new URL(request.url);
  const r = table[url.pathname + url.search];
  return r ? new Response(r.body, { status: r.status, headers: r.headers }) : new Response("not captured", { status: 404 });
} };`;
  return startTrivial("replay", script);
}

/** Captures a response as { status, headers, body } for startReplay. */
// Hop-by-hop and encoding headers describe one transfer, not the response (fetch() already decoded the body).
const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding", "date"]);
export async function capture(res) {
  const headers = [...res.headers].filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase()));
  return { status: res.status, headers, body: await res.text() };
}

/** Applies migrations/*.sql (split on drizzle's statement breakpoints) to a D1 binding. */
export async function applyMigrations(db) {
  const files = readdirSync("migrations")
    .filter((f) => f.endsWith(".sql"))
    .sort();
  for (const file of files) {
    const statements = readFileSync(`migrations/${file}`, "utf8")
      .split("--> statement-breakpoint")
      .map((s) => s.trim())
      .filter(Boolean);
    for (const statement of statements) await db.prepare(statement).run();
  }
}

function toMs(value) {
  const m = /^([\d.]+)(us|ms|s)$/.exec(value.trim());
  if (!m) return Number.NaN;
  const n = Number(m[1]);
  return m[2] === "us" ? n / 1000 : m[2] === "s" ? n * 1000 : n;
}

/** Process ids of the workerd processes this process started (other runs on the machine are not counted). */
function workerdPids() {
  const parent = `PPid:\t${process.pid}\n`;
  return readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        return (
          readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("workerd") && readFileSync(`/proc/${pid}/status`, "utf8").includes(parent)
        );
      } catch {
        return false; // The process ended while we looked.
      }
    });
}

/** CPU milliseconds used so far by the workerd processes this process started (user + system, from /proc). */
export function workerdCpuMs() {
  const tick = 1000 / 100; // USER_HZ is 100 on Linux.
  let total = 0;
  for (const pid of workerdPids()) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
      total += (Number(fields[11]) + Number(fields[12])) * tick;
    } catch {
      // The process ended while we read it.
    }
  }
  return total;
}

/** The CPUs this process may run on (`Cpus_allowed_list` of /proc/self/status, e.g. `0-1` or `0,2`), as a list. */
function allowedCpus() {
  const list = /Cpus_allowed_list:\s*(\S+)/.exec(readFileSync("/proc/self/status", "utf8"))?.[1] ?? "";
  return list.split(",").flatMap((part) => {
    const [from, to = from] = part.split("-").map(Number);
    return Number.isInteger(from) && Number.isInteger(to) ? Array.from({ length: to - from + 1 }, (_, i) => from + i) : [];
  });
}

function setWorkerdCpus(list) {
  for (const pid of workerdPids()) execFileSync("taskset", ["-a", "-p", "-c", list, pid], { stdio: "ignore" });
}

/**
 * Holds this run's workerd processes (all their threads) on the first allowed CPU and returns the CPU
 * left for the load generator (wrk's `cpu` option) and a function that releases them; undefined, with
 * nothing changed, when there is one CPU or `taskset` fails. Unpinned CPU figures are noisier.
 */
export function pinWorkerd() {
  const cpus = allowedCpus();
  if (cpus.length < 2) return undefined;
  const release = () => setWorkerdCpus(cpus.join(","));
  try {
    setWorkerdCpus(String(cpus[0]));
    return { loadCpu: cpus[1], release };
  } catch {
    try {
      release();
    } catch {
      // taskset itself is missing: nothing was pinned.
    }
    return undefined;
  }
}

/**
 * Sends each of `paths` once to `base`, `connections` at a time, each from its own client address (so
 * per-address rate limits stay out of the figures). Returns requests, cache misses and failures.
 */
export async function distinctRequests(base, paths, connections = 8) {
  let misses = 0;
  let errors = 0;
  await pool(paths, connections, async (path, n) => {
    const init = { headers: { "CF-Connecting-IP": `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}` } };
    // A keep-alive socket left idle since an earlier run may have been closed: retry once.
    const res = await fetch(base + path, init).catch(() => fetch(base + path, init));
    await res.arrayBuffer();
    if (!res.ok) errors++;
    if (res.headers.get("X-Cache") !== "hit") misses++;
  });
  return { requests: paths.length, misses, errors };
}

/** Runs wrk against a URL (on CPU `cpu` when given); returns requests/s, p50/p99 in ms, and non-2xx/3xx count. */
export function wrk(url, { connections = 32, threads = 2, seconds = 8, headers = {}, cpu } = {}) {
  const args = [`-t${threads}`, `-c${connections}`, `-d${seconds}s`, "--latency"];
  for (const [k, v] of Object.entries(headers)) args.push("-H", `${k}: ${v}`);
  const out =
    cpu === undefined
      ? execFileSync("wrk", [...args, url], { encoding: "utf8" })
      : execFileSync("taskset", ["-c", String(cpu), "wrk", ...args, url], { encoding: "utf8" });
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
  const p50 = toMs(/^\s+50%\s+(\S+)/m.exec(out)?.[1] ?? "");
  const p99 = toMs(/^\s+99%\s+(\S+)/m.exec(out)?.[1] ?? "");
  const errors = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const requests = Number(/(\d+) requests in/.exec(out)?.[1]);
  return { rps, p50, p99, errors, requests };
}

/** Fails early with a clear message when wrk is missing. */
export function requireWrk() {
  try {
    execFileSync("wrk", ["--version"], { stdio: "ignore" });
  } catch (err) {
    if (err.code === "ENOENT") {
      console.error("wrk is not installed: apt-get install -y wrk");
      process.exit(1);
    }
  }
}

/** Formats a markdown table row. */
export const row = (cells) => `| ${cells.join(" | ")} |`;
