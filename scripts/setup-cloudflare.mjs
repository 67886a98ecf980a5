// `npm run setup:cloudflare -- --env staging|production`: creates what the environment's bindings need in
// your Cloudflare account (D1, KV, R2, queues with their dead-letter queues), reusing what exists, writes
// the real ids into wrangler.toml, and lists the secrets still to set. Safe to run again.
import { readFileSync, writeFileSync } from "node:fs";
import { jsonIn, REQUIRED_SECRETS, secretNames, wrangler, wranglerOrExit } from "./cloudflare/run-wrangler.mjs";
import { envArg, isPlaceholder, setValue, valuesOf } from "./cloudflare/wrangler-config.mjs";

const env = envArg(process.argv, "Usage: npm run setup:cloudflare -- --env staging|production");
const CONFIG = "wrangler.toml";
let toml = readFileSync(CONFIG, "utf8");
const report = [];
const note = (what, name, outcome) => report.push(`  ${outcome === "created" ? "+" : "="} ${what.padEnd(9)} ${name}  (${outcome})`);

// D1: one database per environment, found by name.
const dbName = valuesOf(toml, env, "d1_databases", "database_name")[0];
const findDb = () => jsonIn(wranglerOrExit(["d1", "list", "--json"], "listing D1 databases")).find((d) => d.name === dbName);
let db = findDb();
if (!db) {
  wranglerOrExit(["d1", "create", dbName], `creating D1 database ${dbName}`);
  db = findDb();
  if (!db) throw new Error(`D1 database ${dbName} was created but is not listed`);
  note("D1", dbName, "created");
} else note("D1", dbName, "exists");
toml = setValue(toml, env, "d1_databases", "database_id", db.uuid, { key: "binding", value: "DB" });

// KV: the page cache, titled after the Worker and binding.
const kvTitle = `edgefront-${env}-catalog-cache`;
const findKv = () => jsonIn(wranglerOrExit(["kv", "namespace", "list"], "listing KV namespaces")).find((n) => n.title === kvTitle);
let kv = findKv();
if (!kv) {
  wranglerOrExit(["kv", "namespace", "create", kvTitle], `creating KV namespace ${kvTitle}`);
  kv = findKv();
  if (!kv) throw new Error(`KV namespace ${kvTitle} was created but is not listed`);
  note("KV", kvTitle, "created");
} else note("KV", kvTitle, "exists");
toml = setValue(toml, env, "kv_namespaces", "id", kv.id, { key: "binding", value: "CATALOG_CACHE" });

// R2: the media bucket.
const bucket = valuesOf(toml, env, "r2_buckets", "bucket_name")[0];
const buckets = [...wranglerOrExit(["r2", "bucket", "list"], "listing R2 buckets").matchAll(/^name:\s+(\S+)/gm)].map((m) => m[1]);
if (!buckets.includes(bucket)) {
  wranglerOrExit(["r2", "bucket", "create", bucket], `creating R2 bucket ${bucket}`);
  note("R2", bucket, "created");
} else note("R2", bucket, "exists");

// Queues: every producer and consumer queue (dead-letter queues included).
const queues = [...new Set([...valuesOf(toml, env, "queues.producers", "queue"), ...valuesOf(toml, env, "queues.consumers", "queue")])];
const listed = wranglerOrExit(["queues", "list"], "listing queues");
const existing = new Set([...listed.matchAll(/│\s*[0-9a-f]{32}\s*│\s*(\S+)\s*│/g)].map((m) => m[1]));
for (const q of queues) {
  if (existing.has(q)) {
    note("queue", q, "exists");
    continue;
  }
  const res = wrangler(["queues", "create", q]);
  if (!res.ok && !/already (exists|taken)/i.test(res.err + res.out)) {
    process.stderr.write(`✗ creating queue ${q} failed:\n${res.err || res.out}\n`);
    process.exit(1);
  }
  note("queue", q, res.ok ? "created" : "exists");
}

writeFileSync(CONFIG, toml);
const leftover = [...valuesOf(toml, env, "d1_databases", "database_id"), ...valuesOf(toml, env, "kv_namespaces", "id")].filter(
  isPlaceholder,
);
process.stdout.write(`Cloudflare resources for ${env}:\n${report.join("\n")}\nwrangler.toml: ids written for [env.${env}].\n`);
if (leftover.length) process.stdout.write(`Still placeholders: ${leftover.join(", ")}\n`);

const have = new Set(secretNames(env));
const missing = REQUIRED_SECRETS.filter((s) => !have.has(s));
if (env === "production" && !have.has("STRIPE_SECRET_KEY")) missing.push("STRIPE_SECRET_KEY");
if (missing.length) {
  process.stdout.write(
    `Secrets still to set (each asks for its value):\n${missing.map((s) => `  npx wrangler secret put ${s} --env ${env}`).join("\n")}\n`,
  );
} else process.stdout.write("Every required secret is set.\n");
process.stdout.write(`Next: npm run deploy -- --env ${env}\n`);
