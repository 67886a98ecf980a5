import { relations } from "drizzle-orm";
import { categories, productCategories, productMedia, products, stockLevels, variants } from "./catalog";

export const productsRelations = relations(products, ({ many }) => ({
  variants: many(variants),
  categories: many(productCategories),
  media: many(productMedia),
}));

export const variantsRelations = relations(variants, ({ one }) => ({
  product: one(products, { fields: [variants.productId], references: [products.id] }),
  stock: one(stockLevels, { fields: [variants.sku], references: [stockLevels.sku] }),
}));

export const productCategoriesRelations = relations(productCategories, ({ one }) => ({
  product: one(products, { fields: [productCategories.productId], references: [products.id] }),
  category: one(categories, { fields: [productCategories.categoryId], references: [categories.id] }),
}));

export const productMediaRelations = relations(productMedia, ({ one }) => ({
  product: one(products, { fields: [productMedia.productId], references: [products.id] }),
}));

export const stockLevelsRelations = relations(stockLevels, ({ one }) => ({
  variant: one(variants, { fields: [stockLevels.sku], references: [variants.sku] }),
}));
