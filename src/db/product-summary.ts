import { sql } from "drizzle-orm";
import type { MediaRef, ProductSummary } from "../domain/catalog";

/** A product's main image as JSON (`key`, `alt`, `width`, `height`), for a query over `products p`. */
export const MAIN_IMAGE = sql`(select json_object('key', m.media_key, 'alt', m.alt, 'width', m.width, 'height', m.height)
  from product_media m where m.product_id = p.id order by m.position, m.id limit 1)`;

/** The columns of a listing tile, for a query over `products p`. */
export const SUMMARY_COLUMNS = sql`p.id, p.slug, p.title, p.brand,
  (select min(v.price_amount) from variants v where v.product_id = p.id) as min_price,
  (select v.currency from variants v where v.product_id = p.id order by v.price_amount limit 1) as currency,
  exists(select 1 from variants v join stock_levels s on s.sku = v.sku where v.product_id = p.id and s.available > 0) as available,
  ${MAIN_IMAGE} as image`;

/** A row of `SUMMARY_COLUMNS`. */
export interface SummaryRow {
  id: number;
  slug: string;
  title: string;
  brand: string | null;
  min_price: number | null;
  currency: string | null;
  available: number;
  image: string | null;
}

/** The listing tile of a `SUMMARY_COLUMNS` row. */
export function summaryFromRow(r: SummaryRow, shopCurrency: string): ProductSummary {
  return {
    id: r.id,
    slug: r.slug,
    title: r.title,
    brand: r.brand,
    price: { amount: r.min_price ?? 0, currency: r.currency ?? shopCurrency },
    available: r.available === 1,
    image: r.image ? (JSON.parse(r.image) as MediaRef) : null,
  };
}
