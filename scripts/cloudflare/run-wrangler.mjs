// Runs the wrangler CLI (the one on PATH: npm scripts put the project's first) and returns its output.
import { spawnSync } from "node:child_process";

/** Secrets the Worker refuses to run without (see SETTINGS in src/config.ts; a test keeps the two in step). */
export const REQUIRED_SECRETS = ["ADMIN_TOKEN", "SESSION_SECRET", "STRIPE_WEBHOOK_SECRET", "SHIPPING_WEBHOOK_SECRET"];

/** Runs `wrangler …`; returns { ok, out, err } (stdout, stderr), never throws for a failed command. */
export function wrangler(args, { input } = {}) {
  const res = spawnSync("wrangler", args, {
    encoding: "utf8",
    input,
    env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" },
    maxBuffer: 32 * 1024 * 1024,
  });
  if (res.error) throw new Error(`could not run wrangler: ${res.error.message}`);
  return { ok: res.status === 0, out: res.stdout ?? "", err: res.stderr ?? "" };
}

/** Like wrangler(), but exits the script with wrangler's own message when the command fails. */
export function wranglerOrExit(args, what) {
  const res = wrangler(args);
  if (!res.ok) {
    process.stderr.write(`✗ ${what} failed (wrangler ${args.join(" ")}):\n${res.err || res.out}\n`);
    process.exit(1);
  }
  return res.out;
}

/** The first JSON array or object in a command's output (wrangler may print a banner first). */
export function jsonIn(text) {
  const start = text.search(/^[[{]/m);
  if (start < 0) throw new Error(`expected JSON from wrangler, got:\n${text.slice(0, 500)}`);
  return JSON.parse(text.slice(start));
}

/** The secrets set on an environment's Worker (none when the Worker does not exist yet). */
export function secretNames(env) {
  const res = wrangler(["secret", "list", "--env", env, "--format", "json"]);
  if (!res.ok) {
    if (/not found/i.test(res.err + res.out)) return [];
    process.stderr.write(`✗ listing secrets failed:\n${res.err || res.out}\n`);
    process.exit(1);
  }
  return jsonIn(res.out).map((s) => s.name);
}
