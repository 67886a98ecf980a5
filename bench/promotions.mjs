// npm run bench:promotions — a code limited to LIMIT uses, applied in CARTS carts, all checked out at
// once through the built Worker's real HTTP path (cart object, D1, discount object, inventory). Prints
// redemptions/s and checks that exactly LIMIT orders carry the code and the rest were refused 409.
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { applyMigrations, buildWorker, pool, row, startShop } from "./harness.mjs";

const CARTS = Number(process.env.BENCH_CARTS ?? 1000);
const LIMIT = Number(process.env.BENCH_LIMIT ?? 100);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);

process.stdout.write("Building the Worker…\n");
buildWorker();
// Every request comes from one address here: the abuse limits (per client, per minute) are lifted.
const { ratelimits } = unstable_getMiniflareWorkerOptions("wrangler.toml").workerOptions;
const lifted = Object.fromEntries(
  Object.entries(ratelimits ?? {}).map(([name, limiter]) => [name, { ...limiter, simple: { limit: 1_000_000, period: 60 } }]),
);
const shop = await startShop("dist/index.js", { LOG_REQUESTS: "false" }, 0, { ratelimits: lifted });
const db = await shop.mf.getD1Database("DB");
await applyMigrations(db);
const admin = { Authorization: `Bearer ${shop.adminToken}`, "Content-Type": "application/json" };
const json = { "Content-Type": "application/json" };

async function api(path, init = {}) {
  const res = await fetch(shop.url + path, init);
  const body = await res.json().catch(() => ({}));
  return { status: res.status, body };
}

const must = (res, what) => {
  if (res.status >= 300) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
};

const sku = "BENCH-PROMO-1";
must(
  await api("/admin/api/products", {
    method: "POST",
    headers: admin,
    body: JSON.stringify({
      title: "Bench mug",
      slug: "bench-mug",
      description: "For the promotions benchmark.",
      status: "published",
      variants: [{ sku, options: { size: "M" }, price: { amount: 2500, currency: "USD" } }],
    }),
  }),
  "product",
);
must(
  await api(`/admin/api/inventory/${sku}`, { method: "POST", headers: admin, body: JSON.stringify({ set: CARTS * 2, reason: "bench" }) }),
  "stock",
);
const discount = must(
  await api("/admin/api/discounts", {
    method: "POST",
    headers: admin,
    body: JSON.stringify({ kind: "percentage", value: 10, code: "RUSH", usageLimit: LIMIT }),
  }),
  "discount",
);

process.stdout.write(`Filling ${CARTS} carts with the code…\n`);
const carts = await pool(Array.from({ length: CARTS }), CONCURRENCY, async () => {
  const cart = must(await api("/api/carts", { method: "POST", headers: json, body: "{}" }), "cart");
  must(await api(`/api/carts/${cart.id}/lines`, { method: "POST", headers: json, body: JSON.stringify({ sku, quantity: 1 }) }), "line");
  must(await api(`/api/carts/${cart.id}/discounts`, { method: "POST", headers: json, body: JSON.stringify({ code: "rush" }) }), "code");
  return cart.id;
});

process.stdout.write(`Checking out ${CARTS} carts at once (${CONCURRENCY} in flight)…\n`);
const started = performance.now();
const results = await pool(carts, CONCURRENCY, async (cartId, i) => {
  const t = performance.now();
  const res = await fetch(`${shop.url}/api/carts/${cartId}/checkout`, {
    method: "POST",
    headers: { ...json, "Idempotency-Key": crypto.randomUUID() },
    body: JSON.stringify({
      email: `rush-${i}@example.com`,
      shippingAddress: { name: "Bench", line1: "1 Load St", city: "Portland", region: "OR", postalCode: "97201", country: "US" },
    }),
  });
  const body = await res.json().catch(() => ({}));
  return { status: res.status, code: body.code, ms: performance.now() - t, at: performance.now() - started };
});
const seconds = (performance.now() - started) / 1000;
const granted = results.filter((r) => r.status === 201);
const refused = results.filter((r) => r.status === 409 && r.code === "usage_limit_reached");
const other = results.length - granted.length - refused.length;
const carried = (await db.prepare("select count(*) as n from order_discounts where discount_id = ?").bind(discount.id).first()).n;
const held = (await api(`/admin/api/discounts/${discount.id}`, { headers: admin })).body.used;
const ms = results.map((r) => r.ms).sort((a, b) => a - b);
const pct = (p) => ms[Math.min(ms.length - 1, Math.floor((p / 100) * ms.length))].toFixed(1);
const redeemSeconds = Math.max(...granted.map((r) => r.at)) / 1000;

console.log("");
console.log(
  row([
    "checkouts",
    "limit",
    "orders with the code",
    "uses held",
    "refused 409",
    "other",
    "redemptions/s",
    "checkouts/s",
    "p50 ms",
    "p99 ms",
  ]),
);
console.log(row(["---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:"]));
console.log(
  row([
    CARTS,
    LIMIT,
    carried,
    held,
    refused.length,
    other,
    (granted.length / redeemSeconds).toFixed(0),
    (CARTS / seconds).toFixed(0),
    pct(50),
    pct(99),
  ]),
);
const ok = granted.length === LIMIT && carried === LIMIT && held === LIMIT && refused.length === CARTS - LIMIT && other === 0;
console.log(
  ok ? `\nExactly ${LIMIT} orders carry the code; ${CARTS - LIMIT} were refused usage_limit_reached.` : "\nCOUNT CHECK FAILED: see above.",
);
await shop.mf.dispose();
process.exit(ok ? 0 : 1);
