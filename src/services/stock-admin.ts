import { bumpCatalogVersion } from "../cache/catalog-cache";
import { sha256Hex } from "../crypto";
import type { Db } from "../db";
import { knownSkus, variantExists } from "../db/catalog-store";
import { stockRows } from "../db/stock-store";
import type { StockSnapshot } from "../domain/inventory";
import { outcomeError } from "../domain/outcomes";
import type { StockCsvProblem, StockCsvRow } from "../domain/stock-csv";
import type { Bindings } from "../env";
import { notFound } from "../errors";
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

/** What a stock upload did: rows applied (the figure after, and before where the row says it) and rows refused. */
export interface StockImportReport {
  applied: { line: number; sku: string; before: number | null; after: number }[];
  problems: StockCsvProblem[];
  /** The same file was applied within the last day (nothing done unless asked again). */
  repeated?: boolean;
}

/** How long an applied file is remembered, so uploading it twice does not count its adjustments twice. */
const REPEAT_WINDOW_SECONDS = 86_400;

/**
 * Applies checked CSV rows, one call to each SKU's object (whose own projection moves the catalog
 * version). Unknown SKUs join the problems; when any row has a problem nothing is applied unless
 * `applyValid`; a file applied in the last day is refused unless `again`.
 */
export async function importStock(
  env: Bindings,
  db: Db,
  file: { text: string; parsed: { rows: StockCsvRow[]; problems: StockCsvProblem[] } },
  actor: string,
  options: { applyValid: boolean; again: boolean },
): Promise<StockImportReport> {
  const { parsed } = file;
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
  if (problems.length && !options.applyValid) return { applied: [], problems };
  const seenKey = `stock-import:${await sha256Hex(file.text)}`;
  if (!options.again && (await env.CATALOG_CACHE.get(seenKey))) return { applied: [], problems, repeated: true };
  const applied: StockImportReport["applied"] = [];
  for (const row of parsed.rows.filter((r) => known.has(r.sku))) {
    const stock = inventoryOf(env, row.sku);
    const outcome =
      "set" in row
        ? await stock.set(row.set, `${row.reason ?? "CSV count"} (${actor})`)
        : await stock.adjust(row.adjust, `${row.reason} (${actor})`);
    if (outcome.ok) {
      const after = outcome.snapshot.onHand;
      applied.push({ line: row.line, sku: row.sku, before: "adjust" in row ? after - row.adjust : null, after });
    } else problems.push({ line: row.line, sku: row.sku, problem: outcomeError(outcome, { available: outcome.available }).detail });
  }
  if (applied.length) await env.CATALOG_CACHE.put(seenKey, new Date().toISOString(), { expirationTtl: REPEAT_WINDOW_SECONDS });
  problems.sort((a, b) => a.line - b.line);
  return { applied, problems };
}
