// Applies D1 migrations to the local database and loads the demo catalog if the shop is empty.
// Idempotent: run it as often as you like. `node scripts/seed.mjs --force` reloads the demo rows.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { demoCatalog, demoCatalogSql } from "./demo-catalog.ts";

const wrangler = (args, options = {}) =>
  execFileSync("wrangler", args, { encoding: "utf8", env: { ...process.env, CI: "true" }, ...options });

/** Migrates, seeds when empty, and starts a new catalog version so no stale page is served. */
export function prepareLocalShop({ force = false } = {}) {
  process.stdout.write("Applying D1 migrations (local)…\n");
  wrangler(["d1", "migrations", "apply", "DB", "--local"], { stdio: ["ignore", "ignore", "inherit"] });

  const out = wrangler(["d1", "execute", "DB", "--local", "--json", "--command", "SELECT count(*) AS n FROM products"]);
  const count = JSON.parse(out)[0].results[0].n;
  if (count > 0 && !force) {
    process.stdout.write(`Catalog has ${count} products; not seeding.\n`);
    return;
  }
  const catalog = demoCatalog();
  mkdirSync(".wrangler", { recursive: true });
  writeFileSync(".wrangler/demo-seed.sql", `${demoCatalogSql(catalog).join("\n")}\n`);
  process.stdout.write(`Seeding ${catalog.products.length} products in ${catalog.categories.length} categories…\n`);
  wrangler(["d1", "execute", "DB", "--local", "--file", ".wrangler/demo-seed.sql"], { stdio: ["ignore", "ignore", "inherit"] });
  const version = `seed-${Date.now().toString(36)}`;
  wrangler(["kv", "key", "put", "catalog:version", version, "--binding", "CATALOG_CACHE", "--local"], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  process.stdout.write("Demo catalog ready.\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  prepareLocalShop({ force: process.argv.includes("--force") });
}
