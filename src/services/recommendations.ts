import type { Db } from "../db";
import { recommendationsFor } from "../db/recommendation-store";
import type { ProductSummary } from "../domain/catalog";

/** What a product page recommends: precomputed by the nightly job, read once per cached view. */
export interface Recommended {
  boughtTogether: ProductSummary[];
  similar: ProductSummary[];
}

/** A product's precomputed recommendations (empty lists before the job has run). */
export function recommendedFor(db: Db, productId: number, shopCurrency: string): Promise<Recommended> {
  return recommendationsFor(db, productId, shopCurrency);
}
