// Applies D1 migrations to the local database and loads the demo catalog, with pictures, if the shop is
// empty. Idempotent: run it as often as you like. `node scripts/seed.mjs --force` reloads the demo rows.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { getPlatformProxy } from "wrangler";
import { demoCatalog, demoCatalogSql } from "./demo-catalog.ts";
import { attachDemoImages, drawDemoPictures } from "./demo-images.ts";

/** Applies the migrations wrangler has not recorded yet, in wrangler's own `d1_migrations` table. */
async function migrate(db) {
  await db
    .prepare(
      "CREATE TABLE IF NOT EXISTS d1_migrations(id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)",
    )
    .run();
  const applied = new Set((await db.prepare("SELECT name FROM d1_migrations").all()).results.map((r) => r.name));
  const pending = readdirSync("migrations")
    .filter((f) => f.endsWith(".sql") && !applied.has(f))
    .sort();
  for (const file of pending) {
    const statements = readFileSync(`migrations/${file}`, "utf8")
      .split("--> statement-breakpoint")
      .map((s) => s.trim())
      .filter(Boolean)
      .map((s) => db.prepare(s));
    await db.batch([...statements, db.prepare("INSERT INTO d1_migrations (name) VALUES (?)").bind(file)]);
  }
  return pending.length;
}

const countOf = async (db, table) => (await db.prepare(`SELECT count(*) AS n FROM ${table}`).first()).n;

/**
 * Migrates, seeds when empty (pictures included), and starts a new catalog version so no stale page is
 * served; all through one local instance of the bindings, in the state `wrangler dev` then serves.
 * Returns whether the shop still needs its first staff member.
 */
export async function prepareLocalShop({ force = false } = {}) {
  // A first run (no local state yet) draws the pictures while the local bindings start.
  const drawing = existsSync(".wrangler/state/v3/d1") ? undefined : drawDemoPictures();
  const { env, dispose } = await getPlatformProxy({ persist: true });
  try {
    const applied = await migrate(env.DB);
    process.stdout.write(`D1 migrations: ${applied} applied (local).\n`);
    const count = await countOf(env.DB, "products");
    if (count > 0 && !force) {
      process.stdout.write(`Catalog has ${count} products; not seeding.\n`);
    } else {
      const catalog = demoCatalog();
      process.stdout.write(`Seeding ${catalog.products.length} products in ${catalog.categories.length} categories…\n`);
      const statements = demoCatalogSql(catalog).map((s) => env.DB.prepare(s));
      for (let i = 0; i < statements.length; i += 200) await env.DB.batch(statements.slice(i, i + 200));
    }
    if ((await countOf(env.DB, "product_media")) === 0 || force) {
      const attached = await attachDemoImages(env, await (drawing ?? drawDemoPictures()));
      process.stdout.write(`Demo pictures attached to ${attached} products.\n`);
    }
    await env.CATALOG_CACHE.put("catalog:version", `seed-${Date.now().toString(36)}`);
    return { needsOwner: (await countOf(env.DB, "staff")) === 0 };
  } finally {
    await dispose();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await prepareLocalShop({ force: process.argv.includes("--force") });
}
