import type { Money } from "./money";

export const PRODUCT_STATUSES = ["draft", "published", "archived"] as const;
export type ProductStatus = (typeof PRODUCT_STATUSES)[number];

export const PRODUCT_SORTS = ["relevance", "newest", "price_asc", "price_desc", "name"] as const;
export type ProductSort = (typeof PRODUCT_SORTS)[number];

/** An image reference (bytes in R2 under its content hash). */
export interface MediaRef {
  key: string;
  alt: string;
  width: number | null;
  height: number | null;
}

/** A product as a listing tile shows it. */
export interface ProductSummary {
  id: number;
  slug: string;
  title: string;
  brand: string | null;
  price: Money;
  available: boolean;
  image: MediaRef | null;
}

export interface CategoryView {
  id: number;
  slug: string;
  name: string;
  description: string;
  parentId: number | null;
  position: number;
  productCount: number;
}

export interface VariantView {
  sku: string;
  title: string;
  options: Record<string, string>;
  price: Money;
  compareAtPrice: Money | null;
  available: number;
  weightGrams: number;
  gtin: string | null;
  /** A gift card: buying it issues a card of its price, emailed once the order is paid (nothing ships). */
  giftCard: boolean;
}

export interface ProductDetail {
  id: number;
  slug: string;
  title: string;
  description: string;
  brand: string | null;
  status: ProductStatus;
  featured: boolean;
  publishedAt: string | null;
  updatedAt: string;
  seoTitle: string | null;
  seoDescription: string | null;
  categories: { id: number; slug: string; name: string }[];
  variants: VariantView[];
  media: MediaRef[];
}

export interface ProductListQuery {
  categoryIds?: number[];
  q?: string;
  featured?: boolean;
  sort: ProductSort;
  page: number;
  limit: number;
}

/** One page of a product listing, with the total count. */
export interface ProductPage {
  items: ProductSummary[];
  page: number;
  limit: number;
  total: number;
}
