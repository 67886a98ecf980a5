import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");

/** A copy of the project with no local state yet, sharing this checkout's node_modules. */
function freshCheckout() {
  const dir = mkdtempSync(join(tmpdir(), "edgefront-local-"));
  for (const entry of ["wrangler.toml", "package.json", "migrations", "scripts", "src", "cron", "durable-objects", ".dev.vars.example"]) {
    cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
  }
  cpSync(join(ROOT, ".dev.vars.example"), join(dir, ".dev.vars"));
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
  const env = { ...process.env, PATH: `${join(ROOT, "node_modules/.bin")}:${process.env.PATH}`, CI: "true" };
  const run = (command: string, ...args: string[]) => {
    const result = spawnSync(command, args, { cwd: dir, env, encoding: "utf8", timeout: 120_000 });
    if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed:\n${result.stdout}\n${result.stderr}`);
    return result.stdout;
  };
  const query = (sql: string) => JSON.parse(run("wrangler", "d1", "execute", "DB", "--local", "--json", "--command", sql))[0].results[0];
  return { run, query };
}

describe("the local shop's preparation (npm start, npm run seed)", () => {
  it("migrates and seeds an empty shop with every product pictured, once, in the state wrangler serves", () => {
    const shop = freshCheckout();
    const first = shop.run(process.execPath, "scripts/seed.mjs");
    expect(first).toMatch(/D1 migrations: \d+ applied/);
    expect(first).toContain("Seeding 592 products");
    expect(first).toContain("Demo pictures attached to 592 products.");

    // wrangler reads the same state and the same migration record.
    expect(shop.run("wrangler", "d1", "migrations", "apply", "DB", "--local")).toMatch(/No migrations to apply/);
    expect(shop.query("SELECT count(*) AS n FROM products WHERE status = 'published'").n).toBeGreaterThanOrEqual(500);
    expect(shop.query("SELECT count(DISTINCT product_id) AS n FROM product_media").n).toBe(592);
    expect(
      shop.query("SELECT count(*) AS n FROM media m WHERE NOT EXISTS (SELECT 1 FROM product_media pm WHERE pm.media_key = m.key)").n,
    ).toBe(0);

    const again = shop.run(process.execPath, "scripts/seed.mjs");
    expect(again).toContain("D1 migrations: 0 applied");
    expect(again).toContain("not seeding");
    expect(again).not.toContain("pictures attached");
    expect(shop.query("SELECT count(*) AS n FROM product_media").n).toBe(592);
  }, 180_000);
});
