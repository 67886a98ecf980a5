import { bumpCatalogVersion } from "../cache/catalog-cache";
import type { Db } from "../db";
import { knownSkus, variantExists } from "../db/catalog-store";
import { stockRows } from "../db/stock-store";
import type { StockSnapshot } from "../domain/inventory";
import { outcomeError } from "../domain/outcomes";
import type { StockCsvProblem, StockCsvRow } from "../domain/stock-csv";
import type { Bindings } from "../env";
import { DomainError, notFound } from "../errors";
import { log } from "../log";
import { inventoryOf } from "./inventory";

/** A staff stock change: a counted figure, or a delta with its reason. */
export type StockChange = { set: number; reason?: string } | { adjust: number; reason: string };

/** A SKU's stock with its newest ledger entries; unknown SKUs are not found. */
export async function stockOf(env: Bindings, db: Db, sku: string) {
  if (!(await variantExists(db, sku))) throw notFound("SKU", sku);
  const stock = inventoryOf(env, sku);
  const [snapshot, ledger] = await Promise.all([stock.snapshot(), stock.ledger(20)]);
  return { ...snapshot, ledger };
}

/**
 * Applies a staff change through the SKU's object, then refreshes the projection and the catalog
 * version so pages show it on the next request. `invalidated` is false if that refresh failed (the
 * change itself is committed either way).
 */
export async function changeStock(
  env: Bindings,
  db: Db,
  sku: string,
  change: StockChange,
  actor: string,
  options: { refreshCatalog?: boolean } = {},
): Promise<{ snapshot: StockSnapshot; invalidated: boolean }> {
  if (!(await variantExists(db, sku))) throw notFound("SKU", sku);
  const stock = inventoryOf(env, sku);
  const outcome =
    "set" in change
      ? await stock.set(change.set, `${change.reason ?? "count"} (${actor})`)
      : await stock.adjust(change.adjust, `${change.reason} (${actor})`);
  if (!outcome.ok) throw outcomeError(outcome, { available: outcome.available });
  try {
    await stock.project();
    if (options.refreshCatalog !== false) await bumpCatalogVersion(env.CATALOG_CACHE, new Date());
    return { snapshot: outcome.snapshot, invalidated: true };
  } catch (err) {
    log.error("stock.invalidation_failed", { sku, error: err });
    return { snapshot: outcome.snapshot, invalidated: false };
  }
}

/** One page of SKUs with their live on-hand, reserved and available units (read from each SKU's object). */
export async function inventoryList(env: Bindings, db: Db, query: { q?: string; page: number; limit: number }) {
  const { items, total } = await stockRows(db, query);
  const live = await Promise.all(items.map((i) => inventoryOf(env, i.sku).snapshot()));
  return {
    items: items.map((i, n) => ({
      ...i,
      onHand: live[n]?.onHand ?? 0,
      reserved: live[n]?.reserved ?? 0,
      available: live[n]?.available ?? 0,
    })),
    total,
  };
}

/** What a stock upload did: rows applied (before and after) and rows refused. */
export interface StockImportReport {
  applied: { line: number; sku: string; before: number; after: number }[];
  problems: StockCsvProblem[];
}

/**
 * Applies checked CSV rows. Unknown SKUs join the problems; when any row has a problem nothing is
 * applied unless `applyValid`. The catalog version moves once at the end.
 */
export async function importStock(
  env: Bindings,
  db: Db,
  parsed: { rows: StockCsvRow[]; problems: StockCsvProblem[] },
  actor: string,
  applyValid: boolean,
): Promise<StockImportReport> {
  const known = new Set<string>();
  for (let i = 0; i < parsed.rows.length; i += 50) {
    for (const sku of await knownSkus(
      db,
      parsed.rows.slice(i, i + 50).map((r) => r.sku),
    ))
      known.add(sku);
  }
  const problems = [
    ...parsed.problems,
    ...parsed.rows.filter((r) => !known.has(r.sku)).map((r) => ({ line: r.line, sku: r.sku, problem: "No variant has this SKU." })),
  ];
  problems.sort((a, b) => a.line - b.line);
  if (problems.length && !applyValid) return { applied: [], problems };
  const applied: StockImportReport["applied"] = [];
  for (const row of parsed.rows.filter((r) => known.has(r.sku))) {
    const stock = inventoryOf(env, row.sku);
    const before = (await stock.snapshot()).onHand;
    const change: StockChange =
      "set" in row ? { set: row.set, reason: row.reason ?? "CSV count" } : { adjust: row.adjust, reason: row.reason };
    try {
      const { snapshot } = await changeStock(env, db, row.sku, change, actor, { refreshCatalog: false });
      applied.push({ line: row.line, sku: row.sku, before, after: snapshot.onHand });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      problems.push({ line: row.line, sku: row.sku, problem: err.detail });
    }
  }
  if (applied.length) {
    try {
      await bumpCatalogVersion(env.CATALOG_CACHE, new Date());
    } catch (err) {
      log.error("stock.invalidation_failed", { error: err });
    }
  }
  return { applied, problems };
}
