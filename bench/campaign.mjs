// npm run bench:campaign — a campaign to 10,000 consenting customers in workerd: expansion in queued
// batches, then one email per recipient through the EMAILS queue to a stand-in email provider (an
// outbound service answering like Resend). Prints the time to queue and to send everything, emails/s,
// and the once-per-recipient check (provider calls per recipient must all be 1).
import { applyMigrations, buildWorker, row, startShop } from "./harness.mjs";

const RECIPIENTS = Number(process.env.BENCH_RECIPIENTS ?? 10_000);
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MS ?? 20 * 60_000);

const calls = new Map();
process.stdout.write("Building the Worker…\n");
buildWorker();
const shop = await startShop("dist/index.js", { RESEND_API_KEY: "re_bench", LOG_REQUESTS: "false" }, 0, {
  outboundService: async (request) => {
    if (new URL(request.url).hostname !== "api.resend.com") return new Response("no network in the benchmark", { status: 503 });
    const to = (await request.json()).to[0];
    calls.set(to, (calls.get(to) ?? 0) + 1);
    return Response.json({ id: `re_${crypto.randomUUID()}` });
  },
});
const db = await shop.mf.getD1Database("DB");
await applyMigrations(db);
const admin = { Authorization: `Bearer ${shop.adminToken}`, "Content-Type": "application/json" };
const api = async (path, init = {}) => {
  const res = await fetch(shop.url + path, { ...init, headers: admin });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
};

process.stdout.write(`Adding ${RECIPIENTS} consenting customers…\n`);
const lastOrder = Date.parse("2002-02-02T12:00:00Z");
const statements = [];
for (let i = 0; i < RECIPIENTS; i += 10) {
  const n = Math.min(10, RECIPIENTS - i);
  const values = Array.from({ length: n }, () => "(?, ?, 1, 2500, ?, 1, ?, ?)").join(", ");
  const binds = [];
  for (let k = 0; k < n; k++) {
    const id = `cus_${(i + k).toString(16).padStart(24, "0")}`;
    binds.push(id, `reader-${i + k}@example.com`, lastOrder, lastOrder, lastOrder);
  }
  statements.push(
    db
      .prepare(
        `insert into customers (id, email, orders_count, lifetime_value, last_order_at, marketing_consent, created_at, updated_at) values ${values}`,
      )
      .bind(...binds),
  );
}
for (let i = 0; i < statements.length; i += 100) await db.batch(statements.slice(i, i + 100));
await api("/admin/api/segments", {
  method: "POST",
  body: JSON.stringify({
    slug: "bench-readers",
    name: "Bench readers",
    rules: { lastOrderAfter: "2002-02-02", lastOrderBefore: "2002-02-03" },
  }),
});
const { id } = await api("/admin/api/campaigns", {
  method: "POST",
  body: JSON.stringify({ subject: "Benchmark news", body: "Hello.\n\nThis is a benchmark.", segment: "bench-readers" }),
});

const started = performance.now();
await api(`/admin/api/campaigns/${id}/send`, { method: "POST" });
let queuedAt = 0;
let state;
for (;;) {
  state = await api(`/admin/api/campaigns/${id}`);
  if (!queuedAt && state.recipients >= RECIPIENTS) queuedAt = performance.now();
  if ((state.sent + state.failed >= RECIPIENTS && state.status === "sent") || performance.now() - started > TIMEOUT_MS) break;
  await new Promise((r) => setTimeout(r, 1000));
}
const seconds = (performance.now() - started) / 1000;
const duplicates = [...calls.values()].filter((n) => n > 1).length;

console.log("");
console.log(
  row([
    "recipients",
    "all recipients queued after",
    "all sent after",
    "emails/s",
    "sent",
    "failed",
    "provider calls",
    "recipients emailed twice",
  ]),
);
console.log(row(["---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:"]));
console.log(
  row([
    RECIPIENTS,
    `${((queuedAt - started) / 1000).toFixed(1)} s`,
    `${seconds.toFixed(1)} s`,
    (state.sent / seconds).toFixed(0),
    state.sent,
    state.failed,
    [...calls.values()].reduce((a, b) => a + b, 0),
    duplicates,
  ]),
);
const ok = state.sent === RECIPIENTS && duplicates === 0 && calls.size === RECIPIENTS;
console.log(ok ? "\nEvery recipient got the campaign exactly once." : "\nINCOMPLETE: see the counts above.");
await shop.mf.dispose();
process.exit(ok ? 0 : 1);
