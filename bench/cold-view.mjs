// npm run bench:cold-view — a cached view that the isolate's memory does not hold (a new isolate, or an
// entry it evicted): read from KV, as the shop does, or from the Cache API in front of it. Two trivial
// Workers serve the same captured product page each way; hello-world is the reference. Prints req/s and
// workerd CPU per request (median of three interleaved 5-second wrk runs each).
import { demoCatalog, demoCatalogSql } from "../scripts/demo-catalog.ts";
import { applyMigrations, buildWorker, requireWrk, row, startHello, startShop, startTrivial, workerdCpuMs, wrk } from "./harness.mjs";

requireWrk();
buildWorker();
const shop = await startShop("dist/index.js");
const db = await shop.mf.getD1Database("DB");
await applyMigrations(db);
const catalog = demoCatalog();
for (const statement of demoCatalogSql(catalog)) await db.prepare(statement).run();
const body = await (await fetch(`${shop.url}/p/${catalog.products[42].slug}`)).text();
await shop.mf.dispose();

const HEADERS = `{ "Content-Type": "text/html; charset=utf-8", "Cache-Control": "public, max-age=3600" }`;
const fromKv = await startTrivial(
  "from-kv",
  `export default { async fetch(request, env) {
  const { value, metadata } = await env.VIEWS.getWithMetadata("view", "arrayBuffer");
  return new Response(value, { headers: { "Content-Type": metadata.type, ETag: metadata.etag } });
} };`,
  { kvNamespaces: { VIEWS: "views" } },
);
await (await fromKv.mf.getKVNamespace("VIEWS")).put("view", body, { metadata: { type: "text/html; charset=utf-8", etag: '"v1"' } });
const fromCache = await startTrivial(
  "from-cache",
  `const BODY = ${JSON.stringify(body)};
export default { async fetch(request) {
  const key = new Request(new URL(request.url).origin + "/__edge-cache/view");
  const hit = await caches.default.match(key);
  if (hit) return hit;
  const res = new Response(BODY, { headers: ${HEADERS} });
  await caches.default.put(key, res.clone());
  return res;
} };`,
);
const hello = await startHello();
for (const target of [fromKv, fromCache]) {
  const res = await fetch(`${target.url}/`);
  if ((await res.text()) !== body) throw new Error("a reference Worker did not answer the captured page");
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const runs = { hello: [], kv: [], cache: [] };
for (let round = 0; round < 3; round++) {
  for (const [name, target] of [
    ["hello", hello],
    ["kv", fromKv],
    ["cache", fromCache],
  ]) {
    const before = workerdCpuMs();
    const run = wrk(`${target.url}/`, { seconds: 5, connections: 8 });
    if (run.errors) throw new Error(`${name}: ${run.errors} non-2xx responses`);
    runs[name].push({ rps: run.rps, cpu: (workerdCpuMs() - before) / run.requests });
  }
}
await Promise.all([hello.mf.dispose(), fromKv.mf.dispose(), fromCache.mf.dispose()]);

const helloCpu = median(runs.hello.map((r) => r.cpu));
console.log(`\nA ${body.length}-byte product page the isolate does not hold, 8 connections, median of 3 interleaved 5-second runs.`);
console.log(row(["served from", "req/s", "CPU ms/req", "× hello-world CPU"]));
console.log(row(Array(4).fill("---")));
for (const [name, label] of [
  ["hello", "hello-world (reference)"],
  ["kv", "KV (getWithMetadata)"],
  ["cache", "Cache API (match)"],
]) {
  const cpu = median(runs[name].map((r) => r.cpu));
  console.log(row([label, median(runs[name].map((r) => r.rps)).toFixed(0), cpu.toFixed(3), (cpu / helloCpu).toFixed(2)]));
}
