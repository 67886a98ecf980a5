#!/usr/bin/env node
// A stand-in for the wrangler CLI: records each call in $FAKE_WRANGLER_LOG and answers from the account
// described in $FAKE_WRANGLER_STATE (a JSON file it updates), printing wrangler's real output formats.
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";

const args = process.argv.slice(2);
appendFileSync(process.env.FAKE_WRANGLER_LOG, `${JSON.stringify(args)}\n`);
const statePath = process.env.FAKE_WRANGLER_STATE;
const state = JSON.parse(readFileSync(statePath, "utf8"));
const save = () => writeFileSync(statePath, JSON.stringify(state, null, 2));
const envOf = () => args[args.indexOf("--env") + 1];
const hex = (n) => Array.from({ length: n }, (_, i) => ((i * 7 + state.counter) % 16).toString(16)).join("");
const uuid = () => `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`;
const out = (text) => process.stdout.write(`${text}\n`);
const fail = (text, code = 1) => {
  process.stderr.write(`✘ [ERROR] ${text}\n`);
  process.exit(code);
};
state.counter = (state.counter ?? 0) + 1;

const [a, b, c] = args;
if (a === "d1" && b === "list") {
  out(
    JSON.stringify(
      state.d1.map((d) => ({
        uuid: d.uuid,
        name: d.name,
        created_at: "2026-11-30T10:00:00.000Z",
        version: "production",
        num_tables: 0,
        file_size: 12288,
      })),
      null,
      2,
    ),
  );
} else if (a === "d1" && b === "create") {
  if (state.d1.some((d) => d.name === c)) fail("A database with that name already exists");
  const db = { uuid: uuid(), name: c };
  state.d1.push(db);
  out(
    `✅ Successfully created DB '${c}' in region WEUR\nCreated your new D1 database.\n\n[[d1_databases]]\nbinding = "DB"\ndatabase_name = "${c}"\ndatabase_id = "${db.uuid}"`,
  );
} else if (a === "kv" && b === "namespace" && c === "list") {
  out(
    JSON.stringify(
      state.kv.map((n) => ({ id: n.id, title: n.title, supports_url_encoding: true })),
      null,
      "  ",
    ),
  );
} else if (a === "kv" && b === "namespace" && c === "create") {
  const title = args[3];
  if (state.kv.some((n) => n.title === title)) fail(`A KV namespace with the title "${title}" already exists.`);
  const ns = { id: hex(32), title };
  state.kv.push(ns);
  out(
    `🌀 Creating namespace with title "${title}"\n✨ Success!\nTo access your new KV Namespace in your Worker, add the following snippet to your configuration file:\n[[kv_namespaces]]\nbinding = "${title.replace(/-/g, "_")}"\nid = "${ns.id}"`,
  );
} else if (a === "r2" && b === "bucket" && c === "list") {
  out(`Listing buckets...\n${state.r2.map((n) => `name:           ${n}\ncreation_date:  2026-11-30T10:00:00.000Z`).join("\n\n")}`);
} else if (a === "r2" && b === "bucket" && c === "create") {
  if (state.r2.includes(args[3])) fail(`The bucket you tried to create already exists, and you own it. [code: 10004]`);
  state.r2.push(args[3]);
  out(`Creating bucket '${args[3]}'...\n✅ Created bucket '${args[3]}' with default storage class of Standard.`);
} else if (a === "queues" && b === "list") {
  const rows = state.queues.map((q) => `│ ${q.id} │ ${q.name} │ 2026-11-30T10:00:00.000Z │ 2026-11-30T10:00:00.000Z │ 0 │ 0 │`);
  out(
    `┌─${"─".repeat(32)}─┬─name─┬─created_on─┬─modified_on─┬─producers─┬─consumers─┐\n│ id │ name │ created_on │ modified_on │ producers │ consumers │\n${rows.join("\n")}\n└──┘`,
  );
} else if (a === "queues" && b === "create") {
  if (state.queues.some((q) => q.name === c)) fail(`A queue with this name already exists [code: 11009]`);
  state.queues.push({ id: hex(32), name: c });
  out(`🌀 Creating queue '${c}'\n✅ Created queue '${c}'`);
} else if (a === "secret" && b === "list") {
  const secrets = state.secrets[envOf()];
  if (!secrets)
    fail(
      `Worker "edgefront-${envOf()}" (env: ${envOf()}) not found.\n\nIf this is a new Worker, run \`wrangler deploy\` first to create it.`,
    );
  out(
    JSON.stringify(
      secrets.map((name) => ({ name, type: "secret_text" })),
      null,
      "  ",
    ),
  );
} else if (a === "d1" && b === "migrations" && c === "apply") {
  out(`Migrations to be applied:\n┌──────┐\n│ name │\n└──────┘\n🌀 Executing on remote database DB (${uuid()}):\n✅ Migrations applied.`);
} else if (a === "deploy") {
  const env = envOf();
  out(
    `Total Upload: 1420.31 KiB / gzip: 343.12 KiB\nUploaded edgefront-${env} (4.12 sec)\nDeployed edgefront-${env} triggers (1.31 sec)\n  ${state.address?.[env] ?? `https://edgefront-${env}.shop-team.workers.dev`}\n  schedule: */5 * * * *\nCurrent Version ID: ${uuid()}`,
  );
} else {
  fail(`fake wrangler does not know: ${args.join(" ")}`, 2);
}
save();
