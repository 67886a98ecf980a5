// npm run bench:cost — a realistic mix in workerd through the built Worker (browsing, search, carts,
// checkouts paid through the test provider's webhook path, order pages, a day of cron), then the cost
// meter's own figures (GET /admin/api/cost) and the workerd process's measured CPU: $ per million cached
// page views and $ per thousand orders, with each price item's share.
import { demoCatalog, demoCatalogSql } from "../scripts/demo-catalog.ts";
import { applyMigrations, buildWorker, row, startShop, workerdCpuMs } from "./harness.mjs";

const VIEWS = Number(process.env.BENCH_VIEWS ?? 20_000);
const SEARCHES = Number(process.env.BENCH_SEARCHES ?? 500);
const ORDERS = Number(process.env.BENCH_ORDERS ?? 200);
const CONCURRENCY = 32;
const CRONS = [
  ["*/5 * * * *", 288],
  ["17 * * * *", 24],
  ["30 3 * * *", 1],
];
const TARGETS = { view: 0.4, order: 0.5 };

async function pool(n, width, work) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < n) await work(next++);
    }),
  );
}

process.stdout.write("Building the Worker…\n");
buildWorker();
const shop = await startShop("dist/index.js", {
  USAGE_FLUSH_SECONDS: "5",
  STRIPE_WEBHOOK_SECRET: "whsec_bench",
  SHIPPING_WEBHOOK_SECRET: "bench-shipping",
});
const db = await shop.mf.getD1Database("DB");
await applyMigrations(db);
const catalog = demoCatalog();
for (const statement of demoCatalogSql(catalog)) await db.prepare(statement).run();
const admin = { Authorization: `Bearer ${shop.adminToken}`, "Content-Type": "application/json" };
// Each simulated shopper comes from an address of their own, as on the internet (the abuse limits count per address).
const shopper = (i) => ({ "CF-Connecting-IP": `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` });
const get = async (path, headers = {}) => {
  const res = await fetch(shop.url + path, { headers });
  await res.arrayBuffer();
  return res.status;
};
const post = (path, body, headers = {}) =>
  fetch(shop.url + path, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body: JSON.stringify(body) }).then(
    async (r) => ({
      status: r.status,
      body: await r.json().catch(() => ({})),
    }),
  );

const products = catalog.products.slice(0, 200);
const pages = ["/", ...catalog.categories.slice(0, 20).map((c) => `/c/${c.slug}`), ...products.map((p) => `/p/${p.slug}`)];
const skus = products.slice(0, 50).flatMap((p) => p.variants.slice(0, 1).map((v) => v.sku));
for (const sku of skus) await post(`/admin/api/inventory/${sku}`, { set: 100_000, reason: "bench" }, admin);

process.stdout.write(`Warming ${pages.length} pages…\n`);
for (const p of pages) await get(p);
await new Promise((r) => setTimeout(r, 500));
const windowStart = Date.now();

process.stdout.write(`${VIEWS} cached views…\n`);
const cpu0 = workerdCpuMs();
const t0 = Date.now();
await pool(VIEWS, CONCURRENCY, (i) => get(pages[i % pages.length]));
const viewSeconds = (Date.now() - t0) / 1000;
const viewCpuMs = (workerdCpuMs() - cpu0) / VIEWS;

process.stdout.write(`${SEARCHES} searches…\n`);
const words = ["mug", "wool", "lamp", "bag", "tee", "pen", "bowl", "sock", "cap", "notebook"];
await pool(SEARCHES, 8, (i) => get(`/api/products?q=${words[i % words.length]}${i % 7 ? "" : "s"}`, shopper(i)));

process.stdout.write(`${ORDERS} orders (cart, lines, quote, checkout, payment webhook, order page)…\n`);
const cpu1 = workerdCpuMs();
const orderIds = [];
await pool(ORDERS, 8, async (i) => {
  const who = shopper(i);
  const cart = await post("/api/carts", {}, who);
  await post(`/api/carts/${cart.body.id}/lines`, { sku: skus[i % skus.length], quantity: 1 }, who);
  await post(`/api/carts/${cart.body.id}/lines`, { sku: skus[(i + 7) % skus.length], quantity: 2 }, who);
  await get(`/api/carts/${cart.body.id}/quote?country=US&region=CA&postalCode=94103`, who);
  const placed = await post(
    `/api/carts/${cart.body.id}/checkout`,
    {
      email: `bench-${i}@example.com`,
      shippingAddress: { name: "Bench Buyer", line1: "1 Load St", city: "San Francisco", region: "CA", postalCode: "94103", country: "US" },
    },
    { "Idempotency-Key": crypto.randomUUID(), ...who },
  );
  if (placed.status !== 201) throw new Error(`checkout ${placed.status} ${JSON.stringify(placed.body)}`);
  orderIds.push(placed.body.orderId);
  await post(`/admin/api/payments/test/${placed.body.orderId}/succeed`, {}, admin);
  await get(`/api/orders/${placed.body.orderId}?token=${encodeURIComponent(placed.body.orderToken)}`, who);
});
for (let tries = 0; tries < 120; tries++) {
  const paid = await db.prepare("select count(*) as n from orders where status = 'paid' and email like 'bench-%'").first();
  if (paid.n === orderIds.length) break;
  await new Promise((r) => setTimeout(r, 500));
}
await new Promise((r) => setTimeout(r, 3000));
const orderCpuMs = (workerdCpuMs() - cpu1) / ORDERS;

process.stdout.write("A day of cron…\n");
const worker = await shop.mf.getWorker();
for (const [cron, times] of CRONS) for (let i = 0; i < times; i++) await worker.scheduled({ cron, scheduledTime: new Date() });
await new Promise((r) => setTimeout(r, 6500));

const res = await fetch(`${shop.url}/admin/api/cost?hours=1`, { headers: admin });
const report = await res.json();
await shop.mf.dispose();

const PRICE_CPU = 0.02 / 1e6;
const money = (n) => `$${n.toFixed(4)}`;
const byClass = new Map(report.classes.map((c) => [c.class, c]));
const catalogClass = byClass.get("catalog");
const viewItems = { ...catalogClass.cost.items, cpuMs: viewCpuMs * catalogClass.requests * PRICE_CPU };
const viewTotal = Object.values(viewItems).reduce((a, b) => a + b, 0);
const perMillionViews = (viewTotal / catalogClass.requests) * 1e6;

const orderClasses = report.classes.filter(
  (c) => ["cart", "checkout", "order", "webhook"].includes(c.class) || c.class.startsWith("queue:") || c.class.startsWith("cron:"),
);
const orderItems = {};
for (const c of orderClasses) for (const [k, v] of Object.entries(c.cost.items)) orderItems[k] = (orderItems[k] ?? 0) + v;
orderItems.cpuMs = orderCpuMs * ORDERS * PRICE_CPU;
const orderTotal = Object.values(orderItems).reduce((a, b) => a + b, 0);
const perThousandOrders = (orderTotal / ORDERS) * 1000;

const shares = (items, total) =>
  Object.entries(items)
    .filter(([, v]) => v > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${((v / total) * 100).toFixed(1)} %`)
    .join(", ");

console.log(
  `\nPrices as of ${report.prices.date}; window ${((Date.now() - windowStart) / 1000).toFixed(0)} s; ${report.orders} orders placed.`,
);
console.log(row(["class", "requests", "metered $", "$ per million"]));
console.log(row(["---", "---:", "---:", "---:"]));
for (const c of report.classes) console.log(row([c.class, c.requests, money(c.cost.total), money(c.cost.perMillionRequests)]));
const per = (c, m) => (c.usage[m] / c.requests).toFixed(4);
console.log(
  `\nPer cached view: ${["kvReads", "kvWrites", "d1Statements", "d1RowsRead", "doRequests"].map((m) => `${m} ${per(catalogClass, m)}`).join(", ")}`,
);
console.log(
  `\nCached views: ${VIEWS} in ${viewSeconds.toFixed(1)} s (${(VIEWS / viewSeconds).toFixed(0)}/s), ${viewCpuMs.toFixed(3)} ms workerd CPU each.`,
);
console.log(
  `$ per million cached views: ${money(perMillionViews)} (target ≤ $${TARGETS.view.toFixed(2)}, ratio ${(perMillionViews / TARGETS.view).toFixed(2)}); shares: ${shares(viewItems, viewTotal)}`,
);
console.log(`Orders: ${ORDERS}, ${orderCpuMs.toFixed(1)} ms workerd CPU each (cart to paid, with consumers).`);
console.log(
  `$ per thousand orders: ${money(perThousandOrders)} (target ≤ $${TARGETS.order.toFixed(2)}, ratio ${(perThousandOrders / TARGETS.order).toFixed(2)}); shares: ${shares(orderItems, orderTotal)}`,
);
