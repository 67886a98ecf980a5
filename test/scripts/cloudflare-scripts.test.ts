import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");

interface Account {
  d1: { uuid: string; name: string }[];
  kv: { id: string; title: string }[];
  r2: string[];
  queues: { id: string; name: string }[];
  secrets: Record<string, string[] | undefined>;
  address?: Record<string, string>;
}

/** A project copy and an account as the stand-in wrangler sees it. */
function workspace(account: Partial<Account> = {}) {
  const dir = mkdtempSync(join(tmpdir(), "edgefront-deploy-"));
  copyFileSync(join(ROOT, "wrangler.toml"), join(dir, "wrangler.toml"));
  const bin = join(dir, "bin");
  spawnSync("mkdir", ["-p", bin]);
  writeFileSync(join(bin, "wrangler"), `#!/bin/sh\nexec "${process.execPath}" "${join(ROOT, "test/scripts/fake-wrangler.mjs")}" "$@"\n`);
  chmodSync(join(bin, "wrangler"), 0o755);
  const state = join(dir, "account.json");
  writeFileSync(state, JSON.stringify({ d1: [], kv: [], r2: [], queues: [], secrets: {}, ...account }));
  const log = join(dir, "calls.log");
  writeFileSync(log, "");
  const run = (script: string, ...args: string[]) => {
    const res = spawnSync(process.execPath, [join(ROOT, "scripts", script), ...args], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, FAKE_WRANGLER_LOG: log, FAKE_WRANGLER_STATE: state },
    });
    return { status: res.status, out: res.stdout, err: res.stderr };
  };
  return {
    run,
    toml: () => readFileSync(join(dir, "wrangler.toml"), "utf8"),
    calls: () =>
      readFileSync(log, "utf8")
        .trim()
        .split("\n")
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as string[]).join(" ")),
    account: () => JSON.parse(readFileSync(state, "utf8")) as Account,
    setToml: (text: string) => writeFileSync(join(dir, "wrangler.toml"), text),
    setAccount: (next: Account) => writeFileSync(state, JSON.stringify(next)),
  };
}

const ALL_SECRETS = ["ADMIN_TOKEN", "SESSION_SECRET", "STRIPE_WEBHOOK_SECRET", "SHIPPING_WEBHOOK_SECRET", "STRIPE_SECRET_KEY"];

describe("npm run setup:cloudflare", () => {
  it("creates every resource of a new environment, writes the ids for that environment only, and lists the secrets to set", () => {
    const ws = workspace();
    const before = ws.toml();
    const res = ws.run("setup-cloudflare.mjs", "--env", "staging");
    expect(res.status, res.err).toBe(0);
    const account = ws.account();
    expect(account.d1.map((d) => d.name)).toEqual(["edgefront-staging"]);
    expect(account.kv.map((k) => k.title)).toEqual(["edgefront-staging-catalog-cache"]);
    expect(account.r2).toEqual(["edgefront-staging-media"]);
    expect(account.queues.map((q) => q.name).sort()).toEqual(
      ["edgefront-staging-emails", "edgefront-staging-emails-dlq", "edgefront-staging-webhooks", "edgefront-staging-webhooks-dlq"].sort(),
    );
    const toml = ws.toml();
    expect(toml).toContain(`database_id = "${account.d1[0]!.uuid}"`);
    expect(toml).toContain(`id = "${account.kv[0]!.id}"`);
    // Production and the top-level (local) block keep their placeholders.
    expect(toml).toContain('database_id = "00000000-0000-0000-0000-000000000002"');
    expect(toml).toContain('database_id = "00000000-0000-0000-0000-000000000000"');
    expect(toml.split("\n").length).toBe(before.split("\n").length);
    for (const s of ["ADMIN_TOKEN", "SESSION_SECRET", "STRIPE_WEBHOOK_SECRET", "SHIPPING_WEBHOOK_SECRET"]) {
      expect(res.out).toContain(`npx wrangler secret put ${s} --env staging`);
    }
    expect(res.out).toContain("Next: npm run deploy -- --env staging");
  });

  it("reuses what exists on a second run: nothing is created twice and the ids stay", () => {
    const ws = workspace();
    expect(ws.run("setup-cloudflare.mjs", "--env", "production").status).toBe(0);
    const first = ws.toml();
    const created = ws.calls().filter((c) => / create /.test(` ${c} `)).length;
    expect(created).toBe(7);
    const again = ws.run("setup-cloudflare.mjs", "--env", "production");
    expect(again.status, again.err).toBe(0);
    expect(ws.calls().filter((c) => / create /.test(` ${c} `)).length).toBe(7);
    expect(ws.toml()).toBe(first);
    expect(again.out).toContain("(exists)");
    expect(again.out).not.toContain("(created)");
  });

  it("refuses an unknown environment without calling wrangler", () => {
    const ws = workspace();
    const res = ws.run("setup-cloudflare.mjs", "--env", "prod");
    expect(res.status).toBe(2);
    expect(res.err).toContain("--env staging|production");
    expect(ws.calls()).toEqual([]);
  });
});

describe("npm run deploy", () => {
  it("refuses while ids are placeholders and secrets are missing, listing each, and deploys nothing", () => {
    const ws = workspace({ secrets: { staging: ["ADMIN_TOKEN"] } });
    const res = ws.run("deploy.mjs", "--env", "staging");
    expect(res.status).toBe(1);
    expect(res.err).toContain("D1 database_id in [env.staging] is a placeholder");
    expect(res.err).toContain("KV namespace id in [env.staging] is a placeholder");
    expect(res.err).toContain("secret SESSION_SECRET is not set");
    expect(res.err).toContain("secret SHIPPING_WEBHOOK_SECRET is not set");
    expect(res.err).not.toContain("secret ADMIN_TOKEN");
    expect(ws.calls().some((c) => c.startsWith("deploy") || c.startsWith("d1 migrations"))).toBe(false);
  });

  it("migrates, then deploys, then prints the address, when the environment is ready", () => {
    const ws = workspace({ secrets: { staging: ALL_SECRETS } });
    expect(ws.run("setup-cloudflare.mjs", "--env", "staging").status).toBe(0);
    const res = ws.run("deploy.mjs", "--env", "staging");
    expect(res.status, res.err).toBe(0);
    const calls = ws.calls();
    const migrate = calls.indexOf("d1 migrations apply DB --remote --env staging");
    const deploy = calls.indexOf("deploy --env staging");
    expect(migrate).toBeGreaterThan(-1);
    expect(deploy).toBeGreaterThan(migrate);
    expect(res.out).toContain("✓ staging is live at https://edgefront-staging.shop-team.workers.dev");
    expect(res.out).toContain("PUBLIC_BASE_URL in [env.staging.vars] is https://edgefront-staging.example.workers.dev");
    expect(res.out).toContain("wrangler rollback --env staging");
  });

  it("refuses production without an address until a route is added, and without the Stripe key", () => {
    const ws = workspace({ secrets: { production: ALL_SECRETS.filter((s) => s !== "STRIPE_SECRET_KEY") } });
    expect(ws.run("setup-cloudflare.mjs", "--env", "production").status).toBe(0);
    const refused = ws.run("deploy.mjs", "--env", "production");
    expect(refused.status).toBe(1);
    expect(refused.err).toContain("[env.production] has no address");
    expect(refused.err).toContain("secret STRIPE_SECRET_KEY is not set");
    ws.setToml(
      ws.toml().replace("[env.production]\n", '[env.production]\nroutes = [{ pattern = "shop.example.com", custom_domain = true }]\n'),
    );
    ws.setAccount({ ...ws.account(), secrets: { production: ALL_SECRETS }, address: { production: "shop.example.com (custom domain)" } });
    const res = ws.run("deploy.mjs", "--env", "production");
    expect(res.status, res.err).toBe(0);
    expect(res.out).toContain("✓ production is live at https://shop.example.com/");
    expect(res.out).not.toContain("PUBLIC_BASE_URL in [env.production.vars]");
  });
});
