import { and, desc, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { SQLiteInsertValue } from "drizzle-orm/sqlite-core";
import type { Db } from "../db";
import { auditLog, categories, productCategories, products, variants } from "../db/schema";
import type { ProductDetail, ProductStatus } from "../domain/catalog";
import type { Money } from "../domain/money";
import type { Bindings } from "../env";
import { conflict, invalid, notFound, uniqueViolation } from "../errors";
import { slugify } from "../slug";
import { ftsQuery, getProduct } from "./catalog-query";
import { inventoryOf } from "./inventory";

/** Who is writing and when; every admin write records it in the audit log. */
export interface WriteContext {
  actor: string;
  requestId?: string;
  now: Date;
  shopCurrency: string;
}

export interface VariantInput {
  sku: string;
  options?: Record<string, string>;
  title?: string;
  price: Money;
  compareAtPrice?: Money | null;
  weightGrams?: number;
  gtin?: string | null;
  /** Buying it issues a gift card of its price per unit, once the order is paid. */
  giftCard?: boolean;
}

export interface ProductInput {
  slug?: string;
  title: string;
  description?: string;
  brand?: string | null;
  status?: ProductStatus;
  featured?: boolean;
  categoryIds?: number[];
  seoTitle?: string | null;
  seoDescription?: string | null;
  variants: VariantInput[];
}

export type ProductPatch = Partial<Omit<ProductInput, "variants">>;
export type VariantPatch = Partial<Omit<VariantInput, "sku">>;

export interface CategoryInput {
  slug?: string;
  name: string;
  description?: string;
  parentId?: number | null;
  position?: number;
}

export type CategoryPatch = Partial<CategoryInput>;

type Batch = [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]];

/** The audit row of a write; `entityId` may be a subquery for rows inserted in the same batch. */
function audit(db: Db, ctx: WriteContext, action: string, entity: string, entityId: string | number | SQL, changes?: object) {
  return db.insert(auditLog).values({
    at: ctx.now,
    actor: ctx.actor,
    action,
    entity,
    entityId: typeof entityId === "object" ? entityId : String(entityId),
    changes: (changes ?? null) as Record<string, unknown> | null,
    requestId: ctx.requestId ?? null,
  });
}

/** Runs the statements as one atomic D1 batch, turning UNIQUE violations into 409s. */
async function writeBatch(db: Db, statements: Batch) {
  try {
    return await db.batch(statements);
  } catch (err) {
    const column = uniqueViolation(err);
    if (column === "products.slug") throw conflict("slug_taken", "Another product already uses this slug.");
    if (column === "variants.sku") throw conflict("sku_taken", "Another variant already uses this SKU.");
    if (column === "categories.slug") throw conflict("slug_taken", "Another category already uses this slug.");
    throw err;
  }
}

function variantTitle(input: Pick<VariantInput, "title" | "options">): string {
  if (input.title) return input.title;
  const values = Object.values(input.options ?? {});
  return values.length ? values.join(" / ") : "Default";
}

function checkCurrency(ctx: WriteContext, ...amounts: (Money | null | undefined)[]) {
  for (const m of amounts) {
    if (m && m.currency !== ctx.shopCurrency) {
      throw invalid("currency_mismatch", `Prices must be in the shop currency ${ctx.shopCurrency}; got ${m.currency}.`);
    }
  }
}

function variantValues(
  productId: number | SQL,
  input: VariantInput,
  position: number,
  ctx: WriteContext,
): SQLiteInsertValue<typeof variants> {
  checkCurrency(ctx, input.price, input.compareAtPrice);
  return {
    productId,
    sku: input.sku,
    title: variantTitle(input),
    options: input.options ?? {},
    priceAmount: input.price.amount,
    currency: input.price.currency,
    compareAtAmount: input.compareAtPrice?.amount ?? null,
    weightGrams: input.weightGrams ?? 0,
    gtin: input.gtin ?? null,
    giftCard: input.giftCard ?? false,
    position,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
}

async function assertCategoriesExist(db: Db, ids: number[] | undefined) {
  if (!ids?.length) return;
  const unique = [...new Set(ids)];
  const found = await db.select({ id: categories.id }).from(categories).where(inArray(categories.id, unique));
  const missing = unique.filter((id) => !found.some((f) => f.id === id));
  if (missing.length) {
    throw invalid("unknown_category", `No category with id ${missing.join(", ")}.`, [
      { field: "categoryIds", in: "json", message: `Unknown category id(s): ${missing.join(", ")}` },
    ]);
  }
}

/** The title's slug, or the first `slug-N` no product has (exact lookups, no LIKE patterns). */
async function freeProductSlug(db: Db, title: string): Promise<string> {
  const base = slugify(title);
  for (let n = 1; ; n += 20) {
    const candidates = Array.from({ length: 20 }, (_, i) => (n + i === 1 ? base : `${base}-${n + i}`));
    const taken = new Set(
      (await db.select({ slug: products.slug }).from(products).where(inArray(products.slug, candidates))).map((r) => r.slug),
    );
    const free = candidates.find((c) => !taken.has(c));
    if (free) return free;
  }
}

async function mustGetProduct(db: Db, id: number): Promise<ProductDetail> {
  const product = await getProduct(db, { id }, { includeUnpublished: true });
  if (!product) throw notFound("Product", id);
  return product;
}

/** Creates a product with its variants and category links in one atomic batch. */
export async function createProduct(db: Db, input: ProductInput, ctx: WriteContext): Promise<ProductDetail> {
  await assertCategoriesExist(db, input.categoryIds);
  const slug = input.slug ?? (await freeProductSlug(db, input.title));
  const status = input.status ?? "draft";
  const productId = sql`(select id from products where slug = ${slug})`;
  const statements: Batch = [
    db.insert(products).values({
      slug,
      title: input.title,
      description: input.description ?? "",
      brand: input.brand ?? null,
      status,
      featured: input.featured ?? false,
      seoTitle: input.seoTitle ?? null,
      seoDescription: input.seoDescription ?? null,
      publishedAt: status === "published" ? ctx.now : null,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    }),
    // One statement per variant: D1 binds at most 100 values per statement.
    ...input.variants.map((v, i) => db.insert(variants).values(variantValues(productId, v, i, ctx))),
  ];
  const categoryIds = [...new Set(input.categoryIds ?? [])];
  if (categoryIds.length) {
    statements.push(db.insert(productCategories).values(categoryIds.map((categoryId, position) => ({ productId, categoryId, position }))));
  }
  statements.push(audit(db, ctx, "create", "product", productId, { ...input, slug }));
  await writeBatch(db, statements);
  const created = await getProduct(db, { slug }, { includeUnpublished: true });
  if (!created) throw new Error(`product ${slug} missing after insert`);
  return created;
}

function productUpdateStatements(db: Db, current: ProductDetail, patch: ProductPatch, ctx: WriteContext): BatchItem<"sqlite">[] {
  const { categoryIds, ...fields } = patch;
  const publishing = fields.status === "published" && current.publishedAt === null;
  const statements: BatchItem<"sqlite">[] = [
    db
      .update(products)
      .set({ ...fields, ...(publishing ? { publishedAt: ctx.now } : {}), updatedAt: ctx.now })
      .where(eq(products.id, current.id)),
  ];
  if (categoryIds) {
    const unique = [...new Set(categoryIds)];
    statements.push(db.delete(productCategories).where(eq(productCategories.productId, current.id)));
    if (unique.length) {
      statements.push(
        db.insert(productCategories).values(unique.map((categoryId, position) => ({ productId: current.id, categoryId, position }))),
      );
    }
  }
  statements.push(audit(db, ctx, "update", "product", current.id, patch));
  return statements;
}

/** Updates a product's fields and, when given, replaces its categories. */
export async function updateProduct(db: Db, id: number, patch: ProductPatch, ctx: WriteContext): Promise<ProductDetail> {
  const current = await mustGetProduct(db, id);
  await assertCategoriesExist(db, patch.categoryIds);
  await writeBatch(db, productUpdateStatements(db, current, patch, ctx) as Batch);
  return mustGetProduct(db, id);
}

/** Archives a product: it leaves the storefront but stays for order history. */
export async function archiveProduct(db: Db, id: number, ctx: WriteContext): Promise<ProductDetail> {
  await mustGetProduct(db, id);
  await writeBatch(db, [
    db.update(products).set({ status: "archived", featured: false, updatedAt: ctx.now }).where(eq(products.id, id)),
    audit(db, ctx, "archive", "product", id),
  ]);
  return mustGetProduct(db, id);
}

/** Adds a variant to a product. */
export async function addVariant(db: Db, productId: number, input: VariantInput, ctx: WriteContext): Promise<ProductDetail> {
  const product = await mustGetProduct(db, productId);
  await writeBatch(db, [
    db.insert(variants).values(variantValues(productId, input, product.variants.length, ctx)),
    db.update(products).set({ updatedAt: ctx.now }).where(eq(products.id, productId)),
    audit(db, ctx, "create", "variant", input.sku, input),
  ]);
  return mustGetProduct(db, productId);
}

async function variantBySku(db: Db, sku: string) {
  const [row] = await db.select().from(variants).where(eq(variants.sku, sku)).limit(1);
  if (!row) throw notFound("Variant", sku);
  return row;
}

function variantSet(patch: VariantPatch, ctx: WriteContext): Partial<typeof variants.$inferInsert> {
  checkCurrency(ctx, patch.price, patch.compareAtPrice);
  const set: Partial<typeof variants.$inferInsert> = { updatedAt: ctx.now };
  if (patch.options) set.options = patch.options;
  if (patch.title || patch.options) set.title = variantTitle(patch);
  if (patch.price) {
    set.priceAmount = patch.price.amount;
    set.currency = patch.price.currency;
  }
  if (patch.compareAtPrice !== undefined) set.compareAtAmount = patch.compareAtPrice?.amount ?? null;
  if (patch.weightGrams !== undefined) set.weightGrams = patch.weightGrams;
  if (patch.gtin !== undefined) set.gtin = patch.gtin;
  if (patch.giftCard !== undefined) set.giftCard = patch.giftCard;
  return set;
}

/** Changes a variant's price, options or attributes. */
export async function updateVariant(db: Db, sku: string, patch: VariantPatch, ctx: WriteContext): Promise<ProductDetail> {
  const row = await variantBySku(db, sku);
  await writeBatch(db, [
    db.update(variants).set(variantSet(patch, ctx)).where(eq(variants.sku, sku)),
    db.update(products).set({ updatedAt: ctx.now }).where(eq(products.id, row.productId)),
    audit(db, ctx, "update", "variant", sku, patch),
  ]);
  return mustGetProduct(db, row.productId);
}

/**
 * Empties a SKU's stock before its variant goes, so the same SKU created again starts from 0; refused
 * (409 `variant_reserved`) while orders hold units of it.
 */
export async function retireVariantStock(env: Bindings, sku: string, actor: string): Promise<void> {
  const retired = await inventoryOf(env, sku).retire(`variant deleted (${actor})`);
  if (!retired.ok) {
    throw conflict(
      "variant_reserved",
      `Orders hold units of ${sku} (${retired.detail ?? "reserved"}); cancel them or let their holds lapse before deleting it.`,
    );
  }
}

/** Deletes a variant and empties its stock; a product keeps at least one variant, and a SKU held for orders stays. */
export async function deleteVariant(env: Bindings, db: Db, sku: string, ctx: WriteContext): Promise<ProductDetail> {
  const row = await variantBySku(db, sku);
  const siblings = await db.$count(variants, eq(variants.productId, row.productId));
  if (siblings <= 1) {
    throw conflict("last_variant", "A product needs at least one variant; archive the product instead.");
  }
  await retireVariantStock(env, sku, ctx.actor);
  await writeBatch(db, [
    db.delete(variants).where(eq(variants.sku, sku)),
    db.update(products).set({ updatedAt: ctx.now }).where(eq(products.id, row.productId)),
    audit(db, ctx, "delete", "variant", sku),
  ]);
  return mustGetProduct(db, row.productId);
}

export interface AdminProductListQuery {
  status?: ProductStatus;
  categoryId?: number;
  q?: string;
  page: number;
  limit: number;
}

/** Products of any status for the admin, newest change first. */
export async function listAdminProducts(db: Db, query: AdminProductListQuery) {
  const match = query.q ? ftsQuery(query.q) : undefined;
  const where = and(
    query.status ? eq(products.status, query.status) : undefined,
    query.categoryId
      ? inArray(
          products.id,
          db.select({ id: productCategories.productId }).from(productCategories).where(eq(productCategories.categoryId, query.categoryId)),
        )
      : undefined,
    match ? sql`${products.id} in (select rowid from products_fts where products_fts match ${match})` : undefined,
  );
  const [items, total] = await Promise.all([
    db
      .select({
        id: products.id,
        slug: products.slug,
        title: products.title,
        status: products.status,
        featured: products.featured,
        updatedAt: products.updatedAt,
        variantCount: sql<number>`(select count(*) from variants v where v.product_id = ${products.id})`,
      })
      .from(products)
      .where(where)
      .orderBy(desc(products.updatedAt), desc(products.id))
      .limit(query.limit)
      .offset((query.page - 1) * query.limit),
    db.$count(products, where),
  ]);
  return { items, page: query.page, limit: query.limit, total };
}

async function categoryById(db: Db, id: number) {
  const [row] = await db.select().from(categories).where(eq(categories.id, id)).limit(1);
  if (!row) throw notFound("Category", id);
  return row;
}

async function assertParentAllowed(db: Db, id: number | undefined, parentId: number | null | undefined) {
  if (parentId === undefined || parentId === null) return;
  const all = await db.select({ id: categories.id, parentId: categories.parentId }).from(categories);
  if (!all.some((c) => c.id === parentId)) {
    throw invalid("unknown_category", `No parent category with id ${parentId}.`, [
      { field: "parentId", in: "json", message: `Unknown category id ${parentId}` },
    ]);
  }
  for (let cursor: number | null | undefined = parentId, hops = 0; cursor != null && hops < 64; hops++) {
    if (cursor === id) throw conflict("category_cycle", "A category cannot sit below itself or its descendants.");
    cursor = all.find((c) => c.id === cursor)?.parentId;
  }
}

/** Creates a category (optionally under a parent). */
export async function createCategory(db: Db, input: CategoryInput, ctx: WriteContext) {
  await assertParentAllowed(db, undefined, input.parentId);
  const slug = input.slug ?? slugify(input.name);
  await writeBatch(db, [
    db.insert(categories).values({
      slug,
      name: input.name,
      description: input.description ?? "",
      parentId: input.parentId ?? null,
      position: input.position ?? 0,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    }),
    audit(db, ctx, "create", "category", sql`(select id from categories where slug = ${slug})`, { ...input, slug }),
  ]);
  const [row] = await db.select().from(categories).where(eq(categories.slug, slug));
  if (!row) throw new Error(`category ${slug} missing after insert`);
  return row;
}

/** Renames, moves or re-describes a category. */
export async function updateCategory(db: Db, id: number, patch: CategoryPatch, ctx: WriteContext) {
  await categoryById(db, id);
  await assertParentAllowed(db, id, patch.parentId);
  await writeBatch(db, [
    db
      .update(categories)
      .set({ ...patch, updatedAt: ctx.now })
      .where(eq(categories.id, id)),
    audit(db, ctx, "update", "category", id, patch),
  ]);
  return categoryById(db, id);
}

/** Deletes an empty-of-children category; its products simply leave it. */
export async function deleteCategory(db: Db, id: number, ctx: WriteContext) {
  await categoryById(db, id);
  const children = await db.$count(categories, eq(categories.parentId, id));
  if (children > 0) {
    throw conflict("category_has_children", "Move or delete the sub-categories first.", { children });
  }
  await writeBatch(db, [db.delete(categories).where(eq(categories.id, id)), audit(db, ctx, "delete", "category", id)]);
}

/**
 * New prices for existing SKUs (supplier feeds): only prices that differ are written, one atomic batch
 * per chunk, each with its product's updated_at and an audit row. Returns how many changed.
 */
export async function updateVariantPrices(db: Db, prices: { sku: string; amount: number }[], ctx: WriteContext): Promise<number> {
  const CHUNK = 25;
  let changed = 0;
  for (let i = 0; i < prices.length; i += CHUNK) {
    const chunk = prices.slice(i, i + CHUNK);
    const current = await db
      .select({ sku: variants.sku, amount: variants.priceAmount, currency: variants.currency })
      .from(variants)
      .where(
        inArray(
          variants.sku,
          chunk.map((p) => p.sku),
        ),
      );
    const before = new Map(current.map((c) => [c.sku, c]));
    const changes = chunk.filter((p) => {
      const was = before.get(p.sku);
      return was !== undefined && was.amount !== p.amount;
    });
    if (!changes.length) continue;
    const statements = changes.flatMap(({ sku, amount }) => [
      db.update(variants).set({ priceAmount: amount, updatedAt: ctx.now }).where(eq(variants.sku, sku)),
      db
        .update(products)
        .set({ updatedAt: ctx.now })
        .where(inArray(products.id, db.select({ id: variants.productId }).from(variants).where(eq(variants.sku, sku)))),
      audit(db, ctx, "update", "variant", sku, { price: { amount, currency: before.get(sku)?.currency } }),
    ]);
    await writeBatch(db, statements as unknown as Batch);
    changed += changes.length;
  }
  return changed;
}

/** The audit trail, newest first, optionally for one entity. */
export async function listAudit(db: Db, query: { entity?: string; entityId?: string; limit: number }) {
  return db
    .select()
    .from(auditLog)
    .where(
      and(query.entity ? eq(auditLog.entity, query.entity) : undefined, query.entityId ? eq(auditLog.entityId, query.entityId) : undefined),
    )
    .orderBy(desc(auditLog.id))
    .limit(query.limit);
}

/** What one save of the product form changes. */
export interface ProductChange {
  patch: ProductPatch;
  updates: { sku: string; patch: VariantPatch }[];
  additions: VariantInput[];
  removals: string[];
}

/**
 * Saves a product form in one atomic batch: its fields and categories, changed, new and removed
 * variants (each with its audit row). Only this product's variants may be changed or removed; a
 * refusal (a taken SKU, the last variant) writes nothing.
 */
export async function saveProduct(env: Bindings, db: Db, id: number, change: ProductChange, ctx: WriteContext): Promise<ProductDetail> {
  const current = await mustGetProduct(db, id);
  const own = new Set(current.variants.map((v) => v.sku));
  const foreign = [...change.updates.map((u) => u.sku), ...change.removals].filter((sku) => !own.has(sku));
  if (foreign.length) {
    throw invalid("unknown_variant", `Not variants of this product: ${foreign.join(", ")}. Reload the page and try again.`, [
      { field: "variants", in: "form", message: `Unknown here: ${foreign.join(", ")}` },
    ]);
  }
  if (current.variants.length - new Set(change.removals).size + change.additions.length < 1) {
    throw conflict("last_variant", "A product needs at least one variant; archive the product instead.");
  }
  await assertCategoriesExist(db, change.patch.categoryIds);
  const removals = [...new Set(change.removals)];
  for (const sku of removals) {
    if ((await inventoryOf(env, sku).snapshot()).reserved > 0) {
      throw conflict("variant_reserved", `Orders hold units of ${sku}; cancel them or let their holds lapse before removing it.`);
    }
  }
  const statements = productUpdateStatements(db, current, change.patch, ctx);
  for (const u of change.updates) {
    statements.push(
      db
        .update(variants)
        .set(variantSet(u.patch, ctx))
        .where(and(eq(variants.sku, u.sku), eq(variants.productId, id))),
      audit(db, ctx, "update", "variant", u.sku, u.patch),
    );
  }
  change.additions.forEach((a, i) => {
    statements.push(
      db.insert(variants).values(variantValues(id, a, current.variants.length + i, ctx)),
      audit(db, ctx, "create", "variant", a.sku, a),
    );
  });
  for (const sku of removals) {
    statements.push(
      db.delete(variants).where(and(eq(variants.sku, sku), eq(variants.productId, id))),
      audit(db, ctx, "delete", "variant", sku),
    );
  }
  await writeBatch(db, statements as Batch);
  // The removed SKUs' stock goes with them, so a SKU made again later starts from nothing.
  for (const sku of removals) await retireVariantStock(env, sku, ctx.actor);
  return mustGetProduct(db, id);
}
