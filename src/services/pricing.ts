import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "../db";
import { products, variants } from "../db/schema";
import type { LineItem } from "../domain/cart";

/** Current catalog data for SKUs of published products; SKUs not for sale map to null. */
export async function lineItemsFor(db: Db, skus: string[]): Promise<Record<string, LineItem | null>> {
  const result: Record<string, LineItem | null> = Object.fromEntries(skus.map((s) => [s, null]));
  if (!skus.length) return result;
  const rows = await db
    .select({
      sku: variants.sku,
      productId: products.id,
      productSlug: products.slug,
      title: products.title,
      variantTitle: variants.title,
      unitPrice: variants.priceAmount,
      currency: variants.currency,
    })
    .from(variants)
    .innerJoin(products, eq(products.id, variants.productId))
    .where(and(inArray(variants.sku, skus), eq(products.status, "published")));
  for (const { currency: _currency, ...item } of rows) result[item.sku] = item;
  return result;
}
