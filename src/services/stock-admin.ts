import { bumpCatalogVersion } from "../cache/catalog-cache";
import type { Db } from "../db";
import { variantExists } from "../db/catalog-store";
import type { StockSnapshot } from "../domain/inventory";
import { outcomeError } from "../domain/outcomes";
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
    await bumpCatalogVersion(env.CATALOG_CACHE, new Date());
    return { snapshot: outcome.snapshot, invalidated: true };
  } catch (err) {
    log.error("stock.invalidation_failed", { sku, error: err });
    return { snapshot: outcome.snapshot, invalidated: false };
  }
}
