import { asc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "./index";
import { categories, productMedia, products, stockLevels, variants } from "./schema";

/** Whether a variant with this SKU exists (any product status). */
export async function variantExists(db: Db, sku: string): Promise<boolean> {
  const [row] = await db.select({ sku: variants.sku }).from(variants).where(eq(variants.sku, sku)).limit(1);
  return row !== undefined;
}

export interface FeedProduct {
  id: number;
  slug: string;
  title: string;
  description: string;
  brand: string | null;
  updatedAt: Date;
  price: number;
  currency: string;
  sku: string;
  gtin: string | null;
  inStock: boolean;
  image: string | null;
}

/** Published products with their cheapest variant, whether any variant is in stock, and the main image key. */
export async function feedProducts(db: Db, limit: number): Promise<FeedProduct[]> {
  const cheapest = sql`(select ${variants.id} from ${variants} where ${variants.productId} = ${products.id} order by ${variants.priceAmount}, ${variants.id} limit 1)`;
  const rows = await db
    .select({
      id: products.id,
      slug: products.slug,
      title: products.title,
      description: products.description,
      brand: products.brand,
      updatedAt: products.updatedAt,
      price: variants.priceAmount,
      currency: variants.currency,
      sku: variants.sku,
      gtin: variants.gtin,
      inStock: sql<number>`exists(select 1 from ${variants} v2 join ${stockLevels} s on s.sku = v2.sku where v2.product_id = ${products.id} and s.available > 0)`,
      image: sql<
        string | null
      >`(select ${productMedia.mediaKey} from ${productMedia} where ${productMedia.productId} = ${products.id} order by ${productMedia.position}, ${productMedia.id} limit 1)`,
    })
    .from(products)
    .innerJoin(variants, eq(variants.id, cheapest))
    .where(eq(products.status, "published"))
    .orderBy(asc(products.id))
    .limit(limit);
  return rows.map((r) => ({ ...r, inStock: r.inStock === 1 }));
}

/** Every category's slug and last change, in shop order. */
export async function feedCategories(db: Db) {
  return db
    .select({ slug: categories.slug, updatedAt: categories.updatedAt })
    .from(categories)
    .orderBy(asc(categories.position), asc(categories.id));
}

/** Which of `skus` exist as variants. */
export async function knownSkus(db: Db, skus: string[]): Promise<string[]> {
  if (!skus.length) return [];
  const rows = await db.select({ sku: variants.sku }).from(variants).where(inArray(variants.sku, skus));
  return rows.map((r) => r.sku);
}

/** Per SKU: shipping weight (grams per unit) and whether it is a gift card. */
export async function variantFacts(db: Db, skus: string[]): Promise<Map<string, { weightGrams: number; giftCard: boolean }>> {
  if (!skus.length) return new Map();
  const rows = await db
    .select({ sku: variants.sku, weightGrams: variants.weightGrams, giftCard: variants.giftCard })
    .from(variants)
    .where(inArray(variants.sku, skus));
  return new Map(rows.map((r) => [r.sku, { weightGrams: r.weightGrams, giftCard: r.giftCard }]));
}
