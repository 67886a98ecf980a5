import { sql } from "drizzle-orm";
import { type AnySQLiteColumn, check, index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { PRODUCT_STATUSES } from "../domain/catalog";
import { timestamps } from "./columns";

/** Category tree: a category may have a parent; slugs are unique across the shop. */
export const categories = sqliteTable(
  "categories",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    slug: text("slug").notNull().unique(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    parentId: integer("parent_id").references((): AnySQLiteColumn => categories.id, {
      onDelete: "restrict",
    }),
    position: integer("position").notNull().default(0),
    ...timestamps,
  },
  (t) => [index("categories_parent_idx").on(t.parentId, t.position)],
);

/** Products: what a shopper browses; variants carry the SKU and price. */
export const products = sqliteTable(
  "products",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    slug: text("slug").notNull().unique(),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    brand: text("brand"),
    status: text("status", { enum: PRODUCT_STATUSES }).notNull().default("draft"),
    featured: integer("featured", { mode: "boolean" }).notNull().default(false),
    publishedAt: integer("published_at", { mode: "timestamp_ms" }),
    /** Search-result title and description; the title and the description's start when empty. */
    seoTitle: text("seo_title"),
    seoDescription: text("seo_description"),
    ...timestamps,
  },
  (t) => [
    index("products_status_published_idx").on(t.status, t.publishedAt),
    index("products_status_title_idx").on(t.status, t.title),
    check("products_status_check", sql`${t.status} in ('draft', 'published', 'archived')`),
  ],
);

/** Sellable variants: one SKU each, price in minor units of an ISO 4217 currency. */
export const variants = sqliteTable(
  "variants",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    productId: integer("product_id")
      .notNull()
      .references(() => products.id, { onDelete: "cascade" }),
    sku: text("sku").notNull().unique(),
    title: text("title").notNull(),
    options: text("options", { mode: "json" }).$type<Record<string, string>>().notNull(),
    priceAmount: integer("price_amount").notNull(),
    currency: text("currency").notNull(),
    compareAtAmount: integer("compare_at_amount"),
    weightGrams: integer("weight_grams").notNull().default(0),
    gtin: text("gtin"),
    /** Buying it issues a gift card of its price per unit once the order is paid (nothing ships). */
    giftCard: integer("gift_card", { mode: "boolean" }).notNull().default(false),
    position: integer("position").notNull().default(0),
    ...timestamps,
  },
  (t) => [
    index("variants_product_price_idx").on(t.productId, t.priceAmount),
    check("variants_price_check", sql`${t.priceAmount} >= 0`),
    check("variants_currency_check", sql`length(${t.currency}) = 3`),
  ],
);

/** Product ↔ category membership. */
export const productCategories = sqliteTable(
  "product_categories",
  {
    productId: integer("product_id")
      .notNull()
      .references(() => products.id, { onDelete: "cascade" }),
    categoryId: integer("category_id")
      .notNull()
      .references(() => categories.id, { onDelete: "cascade" }),
    position: integer("position").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.productId, t.categoryId] }), index("product_categories_category_idx").on(t.categoryId, t.productId)],
);

/** Ordered image references of a product (objects live in R2 under `mediaKey`). */
export const productMedia = sqliteTable(
  "product_media",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    productId: integer("product_id")
      .notNull()
      .references(() => products.id, { onDelete: "cascade" }),
    mediaKey: text("media_key").notNull(),
    alt: text("alt").notNull().default(""),
    width: integer("width"),
    height: integer("height"),
    position: integer("position").notNull().default(0),
  },
  (t) => [index("product_media_product_idx").on(t.productId, t.position)],
);

/** Stock per SKU as shown to shoppers: a projection; the INVENTORY object is the authority. */
export const stockLevels = sqliteTable("stock_levels", {
  sku: text("sku")
    .primaryKey()
    .references(() => variants.sku, { onDelete: "cascade", onUpdate: "cascade" }),
  available: integer("available").notNull().default(0),
  lowStockThreshold: integer("low_stock_threshold").notNull().default(5),
  /** The INVENTORY object's movement number this row reflects; older updates never overwrite newer. */
  seq: integer("seq").notNull().default(0),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
});
