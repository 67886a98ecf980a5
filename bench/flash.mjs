// npm run bench:flash — a flash sale in workerd: many concurrent checkouts for one hot SKU, then
// spread over 100 SKUs, through the built Worker's real HTTP path (cart DO, D1, inventory DO).
// Prints checkouts/s, reservations/s, p50/p99 and oversold units (must be 0), then the hot SKU
// object's own ceiling from direct RPC reservations.
import { demoCatalog, demoCatalogSql } from "../scripts/demo-catalog.ts";
import { applyMigrations, buildWorker, pool, row, startShop } from "./harness.mjs";

const CARTS = Number(process.env.BENCH_CARTS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const HOT_STOCK = Number(process.env.BENCH_HOT_STOCK ?? 500);
const SPREAD_SKUS = 100;
const SPREAD_STOCK = Number(process.env.BENCH_SPREAD_STOCK ?? 10);
const RPC_RESERVATIONS = Number(process.env.BENCH_RPC ?? 5000);

process.stdout.write("Building the Worker…\n");
buildWorker();
const shop = await startShop();
const db = await shop.mf.getD1Database("DB");
await applyMigrations(db);
const catalog = demoCatalog();
for (const statement of demoCatalogSql(catalog)) await db.prepare(statement).run();
const admin = { Authorization: `Bearer ${shop.adminToken}`, "Content-Type": "application/json" };

async function api(path, init = {}) {
  const res = await fetch(shop.url + path, init);
  const body = await res.json().catch(() => ({}));
  return { status: res.status, body };
}

async function setStock(sku, onHand) {
  const res = await api(`/admin/api/inventory/${sku}`, {
    method: "POST",
    headers: admin,
    body: JSON.stringify({ set: onHand, reason: "bench" }),
  });
  if (res.status !== 200) throw new Error(`set stock ${sku}: ${res.status} ${JSON.stringify(res.body)}`);
}

async function cartsFor(skus) {
  return pool(skus, CONCURRENCY, async (sku) => {
    const cart = await api("/api/carts", { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" });
    const line = await api(`/api/carts/${cart.body.id}/lines`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sku, quantity: 1 }),
    });
    if (line.status !== 200) throw new Error(`add line: ${line.status} ${JSON.stringify(line.body)}`);
    return cart.body.id;
  });
}

const body = JSON.stringify({
  email: "bench@example.com",
  shippingAddress: { name: "Bench", line1: "1 Load St", city: "Lisbon", postalCode: "1000-001", country: "PT" },
});

async function checkoutAll(carts) {
  const started = performance.now();
  const results = await pool(carts, CONCURRENCY, async (cartId) => {
    const t = performance.now();
    const res = await fetch(`${shop.url}/api/carts/${cartId}/checkout`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Idempotency-Key": crypto.randomUUID() },
      body,
    });
    await res.arrayBuffer();
    return { status: res.status, ms: performance.now() - t, at: performance.now() - started };
  });
  return { results, seconds: (performance.now() - started) / 1000 };
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function scenario(name, skuOf, stockBySku) {
  for (const [sku, stock] of stockBySku) await setStock(sku, stock);
  const skus = Array.from({ length: CARTS }, (_, i) => skuOf(i));
  const setupStarted = performance.now();
  const carts = await cartsFor(skus);
  const cartsPerSecond = CARTS / ((performance.now() - setupStarted) / 1000);
  const { results, seconds } = await checkoutAll(carts);
  const ok = results.filter((r) => r.status === 201).length;
  const refused = results.filter((r) => r.status === 409).length;
  const other = results.length - ok - refused;
  let oversold = 0;
  let reserved = 0;
  for (const [sku, stock] of stockBySku) {
    const snap = (await api(`/admin/api/inventory/${sku}`, { headers: admin })).body;
    reserved += snap.reserved;
    oversold += Math.max(0, snap.reserved - stock) + Math.max(0, -snap.available);
  }
  const stockTotal = [...stockBySku.values()].reduce((a, b) => a + b, 0);
  const ms = results.map((r) => r.ms).sort((a, b) => a - b);
  // Reservations per second while stock lasted: granted checkouts over the time to the last grant.
  const sellingSeconds = Math.max(...results.filter((r) => r.status === 201).map((r) => r.at)) / 1000;
  if (other) throw new Error(`${name}: ${other} checkouts answered neither 201 nor 409`);
  if (ok !== Math.min(stockTotal, CARTS) || reserved !== ok)
    throw new Error(`${name}: ${ok} orders but ${reserved} reserved of ${stockTotal}`);
  return {
    name,
    checkouts: results.length,
    seconds,
    ok,
    refused,
    reserved,
    stockTotal,
    oversold,
    p50: pct(ms, 50),
    p99: pct(ms, 99),
    cartsPerSecond,
    sellingSeconds,
  };
}

const variants = catalog.products.flatMap((p) => p.variants.map((v) => v.sku));
const hotSku = variants[7];
const hot = await scenario("one hot SKU", () => hotSku, new Map([[hotSku, HOT_STOCK]]));
const spreadSkus = variants.slice(100, 100 + SPREAD_SKUS);
const spread = await scenario(`${SPREAD_SKUS} SKUs`, (i) => spreadSkus[i % SPREAD_SKUS], new Map(spreadSkus.map((s) => [s, SPREAD_STOCK])));

// The hot SKU's object alone: reservations straight over RPC (no HTTP, no D1 on the path).
const ns = await shop.mf.getDurableObjectNamespace("INVENTORY");
const stub = ns.get(ns.idFromName(variants[9]));
await stub.set(RPC_RESERVATIONS / 2, "bench");
const rpcStarted = performance.now();
const rpc = await pool(
  Array.from({ length: RPC_RESERVATIONS }, (_, i) => i),
  CONCURRENCY,
  (i) => stub.reserve(`rpc-${i}`, 1, 900_000),
);
const rpcSeconds = (performance.now() - rpcStarted) / 1000;
const rpcOk = rpc.filter((r) => r.ok === true).length;
const rpcSnap = { ...(await stub.snapshot()) };
await shop.mf.dispose();

const fmt = (n, d = 0) => n.toFixed(d);
console.log(`\n${CARTS} checkouts per scenario, ${CONCURRENCY} in flight, each cart 1 unit; full HTTP path in workerd (Miniflare).`);
console.log(
  row([
    "scenario",
    "stock",
    "orders (201)",
    "refused (409)",
    "checkouts/s",
    "reservations/s while stock lasted",
    "p50 ms",
    "p99 ms",
    "oversold",
    "cart create + add/s (× Medusa 2.1)",
  ]),
);
console.log(row(Array(10).fill("---")));
for (const s of [hot, spread]) {
  console.log(
    row([
      s.name,
      String(s.stockTotal),
      String(s.ok),
      String(s.refused),
      fmt(s.checkouts / s.seconds),
      fmt(s.ok / s.sellingSeconds),
      fmt(s.p50, 1),
      fmt(s.p99, 1),
      String(s.oversold),
      `${fmt(s.cartsPerSecond)} (${fmt(s.cartsPerSecond / 2.1)}×)`,
    ]),
  );
}
console.log(
  `\nHot SKU object over direct RPC: ${RPC_RESERVATIONS} reserve calls for ${RPC_RESERVATIONS / 2} units, ${CONCURRENCY} in flight: ` +
    `${fmt(RPC_RESERVATIONS / rpcSeconds)} calls/s, ${rpcOk} granted, reserved ${rpcSnap.reserved}, available ${rpcSnap.available}, ` +
    `oversold ${Math.max(0, rpcSnap.reserved - RPC_RESERVATIONS / 2)}.`,
);
if (hot.oversold || spread.oversold || rpcSnap.available < 0) process.exit(1);
