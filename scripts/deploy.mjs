// `npm run deploy -- --env staging|production`: checks that the environment is ready (real ids, every
// required secret, an address), applies the D1 migrations remotely, deploys, and prints the URL.
import { readFileSync } from "node:fs";
import { REQUIRED_SECRETS, secretNames, wranglerOrExit } from "./cloudflare/run-wrangler.mjs";
import { envArg, envHas, envVar, isPlaceholder, valuesOf } from "./cloudflare/wrangler-config.mjs";

const env = envArg(process.argv, "Usage: npm run deploy -- --env staging|production");
const toml = readFileSync("wrangler.toml", "utf8");
const problems = [];

const ids = [
  ["D1 database_id", valuesOf(toml, env, "d1_databases", "database_id")[0]],
  ["KV namespace id", valuesOf(toml, env, "kv_namespaces", "id")[0]],
];
for (const [what, id] of ids) {
  if (!id || isPlaceholder(id)) problems.push(`${what} in [env.${env}] is a placeholder: run npm run setup:cloudflare -- --env ${env}`);
}
const workersDev = envHas(toml, env, /^\s*workers_dev\s*=\s*true/);
const routed = envHas(toml, env, /^\s*(routes|route)\s*=/);
if (!workersDev && !routed) problems.push(`[env.${env}] has no address: set workers_dev = true or add routes (see the commented example)`);

const have = new Set(secretNames(env));
const required = [...REQUIRED_SECRETS];
if (env === "production" && envVar(toml, env, "ALLOW_TEST_PAYMENTS") !== "true") required.push("STRIPE_SECRET_KEY");
for (const s of required) if (!have.has(s)) problems.push(`secret ${s} is not set: npx wrangler secret put ${s} --env ${env}`);

if (problems.length) {
  process.stderr.write(`Not deploying ${env}:\n${problems.map((p) => `  - ${p}`).join("\n")}\n`);
  process.exit(1);
}

process.stdout.write(`Applying D1 migrations to ${env}…\n`);
process.stdout.write(wranglerOrExit(["d1", "migrations", "apply", "DB", "--remote", "--env", env], "applying migrations"));
process.stdout.write(`Deploying ${env}…\n`);
const out = wranglerOrExit(["deploy", "--env", env], "deploying");
process.stdout.write(out);
const urls = [...out.matchAll(/https:\/\/[^\s]+/g)].map((m) => m[0]);
const routes = [...out.matchAll(/^\s+([a-z0-9*.-]+\.[a-z]{2,}(?:\/\S*)?)\s+\((?:custom domain|zone name: [^)]*)\)\s*$/gim)].map(
  (m) => `https://${m[1].replace(/^\*\./, "").replace(/\/\*?$/, "")}/`,
);
const address = urls[0] ?? routes[0];
process.stdout.write(`\n✓ ${env} is live${address ? ` at ${address}` : ""}.\n`);
const base = envVar(toml, env, "PUBLIC_BASE_URL");
if (address && base && new URL(address).origin !== new URL(base).origin) {
  process.stdout.write(
    `Note: PUBLIC_BASE_URL in [env.${env}.vars] is ${base}; set it to ${new URL(address).origin} so links and emails point here.\n`,
  );
}
process.stdout.write(
  `Rollback: npx wrangler rollback --env ${env} (code); npx wrangler d1 time-travel restore DB --env ${env} --timestamp=<before> (data).\n`,
);
