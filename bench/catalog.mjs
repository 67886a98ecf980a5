// npm run bench:catalog — cached catalog views vs a hello-world Worker in the same harness.
// Also replays each view's exact captured response from a trivial Worker, which separates what our
// code costs from what sending those bytes costs. Prints requests/s, p50/p99, ratios, D1 queries.
import { build } from "esbuild";
import { demoCatalog, demoCatalogSql } from "../scripts/demo-catalog.ts";
import {
  applyMigrations,
  buildWorker,
  capture,
  requireWrk,
  row,
  startHello,
  startReplay,
  startShop,
  workerdCpuMs,
  wrk,
} from "./harness.mjs";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const VERSION_TTL_MS = process.env.CATALOG_VERSION_TTL_MS;
// Medusa v2 figures measured on this kind of machine (see the README), for the "vs Medusa" column.
const MEDUSA = { listCached: 280, product: 22.4 };

requireWrk();
process.stdout.write("Building the Worker…\n");
buildWorker();

const shop = await startShop("dist/index.js", VERSION_TTL_MS === undefined ? {} : { CATALOG_VERSION_TTL_MS: VERSION_TTL_MS });
const db = await shop.mf.getD1Database("DB");
await applyMigrations(db);
const catalog = demoCatalog();
for (const statement of demoCatalogSql(catalog)) await db.prepare(statement).run();
process.stdout.write(`Seeded ${catalog.products.length} products; shop at ${shop.url}\n`);

const product = catalog.products[42];
const targets = [
  { name: "cached product page", path: `/p/${product.slug}`, cached: true, medusa: MEDUSA.product },
  { name: "cached category page", path: "/c/apparel", cached: true },
  { name: "GET /api/products?limit=20 (cached)", path: "/api/products?limit=20", cached: true, medusa: MEDUSA.listCached },
  { name: "GET /api/products/:slug (cached)", path: `/api/products/${product.slug}`, cached: true, medusa: MEDUSA.product },
  { name: "cached category page, filtered + sorted", path: "/c/apparel?sort=price_asc&stock=1", cached: true },
  { name: "search page, repeated (edge cache)", path: "/search?q=merino", cached: true },
  { name: "search suggestions, repeated", path: "/api/search/suggest?q=meri", cached: true },
];

const queriesPer = {};
const captured = {};
for (const t of targets) {
  await fetch(shop.url + t.path).then((r) => r.arrayBuffer());
  const res = await fetch(shop.url + t.path);
  if (res.status !== 200) throw new Error(`${t.path} answered ${res.status}`);
  queriesPer[t.path] = Number(res.headers.get("X-D1-Queries"));
  if (t.cached && res.headers.get("X-Cache") !== "hit") throw new Error(`${t.path} was not served from cache`);
  captured[t.path] = await capture(res);
}

const hello = await startHello();
const replay = await startReplay(captured);
const results = [];
// Interleaved, so drift on this shared 2-core machine hits the references and the shop alike.
for (const t of targets) {
  const ref = wrk(`${hello.url}/`, { seconds: SECONDS, connections: CONNECTIONS });
  const same = wrk(replay.url + t.path, { seconds: SECONDS, connections: CONNECTIONS });
  const got = wrk(shop.url + t.path, { seconds: SECONDS, connections: CONNECTIONS });
  const single = wrk(shop.url + t.path, { seconds: 3, connections: 1, threads: 1 });
  if (got.errors || same.errors) throw new Error(`${t.path}: non-2xx responses under load (shop ${got.errors}, replay ${same.errors})`);
  results.push({ ...t, ref, same, got, single });
  process.stdout.write(`  ${t.name}: ${got.rps.toFixed(0)} req/s (hello-world ${ref.rps.toFixed(0)}, same bytes ${same.rps.toFixed(0)})\n`);
}

/** workerd CPU per request while wrk drives one URL (every other Worker idle). */
function cpuPerRequest(url) {
  const before = workerdCpuMs();
  const run = wrk(url, { seconds: 5, connections: 8 });
  return (workerdCpuMs() - before) / run.requests;
}
// Interleaved rounds, medians: a single 5-second pair drifts by ±30 % on this machine.
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const helloRuns = [];
const productRuns = [];
for (let i = 0; i < 5; i++) {
  helloRuns.push(cpuPerRequest(`${hello.url}/`));
  productRuns.push(cpuPerRequest(`${shop.url}/p/${product.slug}`));
}
const helloCpu = median(helloRuns);
const productCpu = median(productRuns);

// Uncached searches: every query new (words from product titles), four at a time.
const words = [...new Set(catalog.products.flatMap((p) => p.title.toLowerCase().split(/\W+/)).filter((w) => w.length >= 4))];
// 100: under the search limit of 120 a minute per client address (the harness sends one address).
const queries = [...new Set(words.flatMap((w, i) => [w, `${w} ${words[(i * 7 + 3) % words.length].slice(0, 2)}`]))].slice(0, 100);
let searchQueries = 0;
let misses = 0;
const searchBefore = workerdCpuMs();
const searchStarted = performance.now();
for (let i = 0; i < queries.length; i += 4) {
  await Promise.all(
    queries.slice(i, i + 4).map(async (q) => {
      const url = `${shop.url}/search?q=${encodeURIComponent(q)}`;
      // A keep-alive socket left idle through the wrk runs may have been closed: retry once.
      const res = await fetch(url).catch(() => fetch(url));
      await res.arrayBuffer();
      searchQueries += Number(res.headers.get("X-D1-Queries"));
      if (res.headers.get("X-Cache") === "miss") misses++;
    }),
  );
}
const searchCpu = (workerdCpuMs() - searchBefore) / queries.length;
const searchWall = (performance.now() - searchStarted) / queries.length;

// D1's share of that CPU: locally its SQLite runs inside workerd. The same candidate statement for the
// same queries, sent straight to D1 (through Miniflare's proxy, whose own cost a trivial statement
// measures and is taken off), with the Worker's search code built from the source.
const { outputFiles } = await build({
  stdin: {
    contents: [
      'export { candidateStatement } from "./src/services/catalog-listing.ts";',
      'export { planSearch } from "./src/domain/search-text.ts";',
      'export { SQLiteSyncDialect } from "drizzle-orm/sqlite-core";',
    ].join("\n"),
    resolveDir: process.cwd(),
    loader: "ts",
  },
  bundle: true,
  platform: "node",
  format: "esm",
  write: false,
  logLevel: "silent",
});
const { candidateStatement, planSearch, SQLiteSyncDialect } = await import(
  `data:text/javascript;base64,${Buffer.from(outputFiles[0].text).toString("base64")}`
);
const dialect = new SQLiteSyncDialect();
const statements = queries.flatMap((q) => {
  const plan = planSearch(q);
  return plan ? [dialect.sqlToQuery(candidateStatement({ match: plan.match }, new Date()))] : [];
});
const proxyBefore = workerdCpuMs();
for (let i = 0; i < statements.length; i++) await db.prepare("select 1").all();
const proxyCpu = (workerdCpuMs() - proxyBefore) / statements.length;
const d1Before = workerdCpuMs();
for (const s of statements)
  await db
    .prepare(s.sql)
    .bind(...s.params)
    .all();
const d1Cpu = Math.max(0, (workerdCpuMs() - d1Before) / statements.length - proxyCpu);
await Promise.all([hello.mf.dispose(), replay.mf.dispose(), shop.mf.dispose()]);

const fmt = (n, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : "–");
console.log(
  `\nwrk 2 threads × ${CONNECTIONS} connections × ${SECONDS} s; unloaded p50 from 1 connection; ` +
    `CATALOG_VERSION_TTL_MS=${VERSION_TTL_MS ?? "250 (default)"}.`,
);
console.log(
  row(["endpoint", "bytes", "req/s", "× hello-world", "× same bytes", "p50 ms", "p99 ms", "unloaded p50 ms", "D1 queries/req", "× Medusa"]),
);
console.log(row(Array(10).fill("---")));
for (const r of results) {
  console.log(
    row([
      r.name,
      String(captured[r.path].body.length),
      fmt(r.got.rps, 0),
      fmt(r.got.rps / r.ref.rps, 2),
      fmt(r.got.rps / r.same.rps, 2),
      fmt(r.got.p50, 2),
      fmt(r.got.p99, 2),
      fmt(r.single.p50, 2),
      String(queriesPer[r.path]),
      r.medusa ? fmt(r.got.rps / r.medusa, 0) : "–",
    ]),
  );
}

console.log(
  `\nworkerd CPU per request (median of 5 interleaved 5-second runs): hello-world ${fmt(helloCpu, 3)} ms, cached product page ${fmt(productCpu, 3)} ms ` +
    `(${fmt(productCpu / helloCpu, 2)}× hello-world; target ≤ 1.3×).`,
);
console.log(
  `Uncached search (${queries.length} distinct queries, ${misses} rendered): ${fmt(searchCpu, 2)} ms workerd CPU each ` +
    `(target ≤ 2 ms), ${fmt(searchQueries / queries.length, 2)} D1 queries each, ${fmt(searchWall, 1)} ms wall each, 4 at a time.`,
);
console.log(
  `  of which D1's candidate statement ${fmt(d1Cpu, 2)} ms (the same ${statements.length} statements sent to D1 alone, ` +
    `less ${fmt(proxyCpu, 2)} ms of proxy per call), leaving ${fmt(searchCpu - d1Cpu, 2)} ms for the Worker's own code.`,
);
