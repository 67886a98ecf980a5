import { type Context, Hono, type MiddlewareHandler } from "hono";
import { describeRoute } from "hono-openapi";
import { z } from "zod";
import { bumpCatalogVersion } from "../cache/catalog-cache";
import { configOf } from "../config";
import { PRODUCT_STATUSES } from "../domain/catalog";
import { MAX_SLUG_LENGTH, SKU_PATTERN, SLUG_PATTERN } from "../domain/ids";
import type { AppEnv } from "../env";
import { notFound } from "../errors";
import { adminActor } from "../http/admin-auth";
import { log } from "../log";
import { MEDIA_KEY } from "../media/variants";
import {
  AdminCategoryListSchema,
  AdminProductListSchema,
  AdminProductSchema,
  AuditListSchema,
  CategoryRecordSchema,
} from "../openapi/admin-schemas";
import { jsonBody, problems } from "../openapi/responses";
import { CategorySchema } from "../openapi/store-schemas";
import { requestDb } from "../request-db";
import {
  addVariant,
  archiveProduct,
  createCategory,
  createProduct,
  deleteCategory,
  deleteVariant,
  listAdminProducts,
  listAudit,
  updateCategory,
  updateProduct,
  updateVariant,
  type WriteContext,
} from "../services/catalog-admin";
import { getProduct, listCategories } from "../services/catalog-query";
import { removeProductImage, setProductImages } from "../services/media";
import { validate } from "../validation";
import { idParam, limitField, pageField } from "./catalog-params";

const money = z.object({
  amount: z.number().int("Use integer minor units (cents).").min(0).max(10_000_000_00),
  currency: z.string().regex(/^[A-Z]{3}$/, "Use an ISO 4217 code such as USD."),
});
const sku = z.string().regex(SKU_PATTERN, "Letters, digits, '.', '_' and '-', up to 64.");
const slug = z.string().max(MAX_SLUG_LENGTH).regex(SLUG_PATTERN, "Lowercase letters, digits and single hyphens.");
const options = z
  .record(z.string().trim().min(1).max(40), z.string().trim().min(1).max(80))
  .refine((o) => Object.keys(o).length <= 5, "At most 5 options.");

const variantFields = {
  options: options.optional(),
  title: z.string().trim().min(1).max(120).optional(),
  price: money,
  compareAtPrice: money.nullable().optional(),
  weightGrams: z.number().int().min(0).max(1_000_000).optional(),
  gtin: z
    .string()
    .regex(/^\d{8,14}$/, "8 to 14 digits.")
    .nullable()
    .optional(),
  giftCard: z.boolean().optional(),
};
/** Admin catalog request schema (variantInput). */
export const variantInput = z.object({ sku, ...variantFields }).strict();
/** Admin catalog request schema (variantPatch). */
export const variantPatch = z
  .object({ ...variantFields, price: money.optional() })
  .strict()
  .refine((p) => Object.keys(p).length > 0, "Send at least one field to change.");

const productFields = {
  slug: slug.optional(),
  title: z.string().trim().min(1).max(200),
  description: z.string().max(20_000).optional(),
  brand: z.string().trim().min(1).max(100).nullable().optional(),
  status: z.enum(PRODUCT_STATUSES).optional(),
  featured: z.boolean().optional(),
  categoryIds: z.array(z.number().int().positive()).max(20).optional(),
  seoTitle: z.string().trim().max(70).nullable().optional(),
  seoDescription: z.string().trim().max(160).nullable().optional(),
};
/** Admin catalog request schema (productInput). */
export const productInput = z
  .object({ ...productFields, variants: z.array(variantInput).min(1).max(100) })
  .strict()
  .refine((p) => new Set(p.variants.map((v) => v.sku)).size === p.variants.length, {
    message: "Each variant needs its own SKU.",
    path: ["variants"],
  });
/** Admin catalog request schema (productPatch). */
export const productPatch = z
  .object({ ...productFields, title: productFields.title.optional() })
  .strict()
  .refine((p) => Object.keys(p).length > 0, "Send at least one field to change.");

const categoryFields = {
  slug: slug.optional(),
  name: z.string().trim().min(1).max(100),
  description: z.string().max(2_000).optional(),
  parentId: z.number().int().positive().nullable().optional(),
  position: z.number().int().min(0).max(10_000).optional(),
};
/** Admin catalog request schema (categoryInput). */
export const categoryInput = z.object(categoryFields).strict();
/** Admin catalog request schema (categoryPatch). */
export const categoryPatch = z
  .object({ ...categoryFields, name: categoryFields.name.optional() })
  .strict()
  .refine((p) => Object.keys(p).length > 0, "Send at least one field to change.");

const skuParam = z.object({ sku });

function writeContext(c: Context<AppEnv>): WriteContext {
  return {
    actor: adminActor(c),
    requestId: c.get("requestId"),
    now: new Date(),
    shopCurrency: configOf(c.env).shopCurrency,
  };
}

/**
 * Every successful catalog write starts a new catalog version before the response leaves, so the
 * next request in this location renders fresh pages. The write is committed either way: a failed
 * bump is logged and flagged rather than answered as a 500 (which would invite a duplicate retry).
 */
export const invalidateCatalogOnWrite: MiddlewareHandler<AppEnv> = async function invalidateCatalogOnWrite(c, next) {
  await next();
  if (c.req.method === "GET" || c.req.method === "HEAD" || c.res.status >= 400) return;
  try {
    await bumpCatalogVersion(c.env.CATALOG_CACHE, new Date());
  } catch (err) {
    log.error("catalog.invalidation_failed", { requestId: c.get("requestId"), error: err });
    c.res.headers.set("X-Cache-Invalidation", "failed");
  }
};

const productChange = (summary: string, ...errors: number[]) =>
  describeRoute({
    tags: ["Products"],
    summary,
    responses: { 200: jsonBody("The product after the change.", AdminProductSchema), ...problems(...errors) },
  });

const doc = {
  products: describeRoute({
    tags: ["Products"],
    summary: "List products of any status",
    description: "Newest change first; `q` is a full-text search like the store's.",
    responses: { 200: jsonBody("One page of products.", AdminProductListSchema) },
  }),
  createProduct: describeRoute({
    tags: ["Products"],
    summary: "Create a product with its variants",
    description: "The slug comes from the title when absent. Stock starts at 0; set it through the inventory API.",
    responses: { 201: jsonBody("The product (its URL in Location).", AdminProductSchema), ...problems(409) },
  }),
  product: describeRoute({
    tags: ["Products"],
    summary: "Get a product",
    responses: { 200: jsonBody("The product with each variant's available count.", AdminProductSchema), ...problems(404) },
  }),
  updateProduct: productChange("Change a product", 404, 409),
  archiveProduct: productChange("Archive a product", 404),
  setMedia: productChange("Set a product's images", 404),
  removeMedia: productChange("Remove an image from a product", 404),
  addVariant: describeRoute({
    tags: ["Products"],
    summary: "Add a variant",
    responses: { 201: jsonBody("The product with the new variant.", AdminProductSchema), ...problems(404, 409) },
  }),
  updateVariant: productChange("Change a variant", 404, 415),
  deleteVariant: productChange("Delete a variant", 404, 409),
  categories: describeRoute({
    tags: ["Categories"],
    summary: "List categories",
    responses: { 200: jsonBody("Every category with its count of published products.", AdminCategoryListSchema) },
  }),
  createCategory: describeRoute({
    tags: ["Categories"],
    summary: "Create a category",
    responses: { 201: jsonBody("The category (its URL in Location).", CategoryRecordSchema), ...problems(409) },
  }),
  category: describeRoute({
    tags: ["Categories"],
    summary: "Get a category",
    responses: { 200: jsonBody("The category.", CategorySchema), ...problems(404) },
  }),
  updateCategory: describeRoute({
    tags: ["Categories"],
    summary: "Rename, move or re-describe a category",
    responses: { 200: jsonBody("The category after the change.", CategoryRecordSchema), ...problems(404, 409) },
  }),
  deleteCategory: describeRoute({
    tags: ["Categories"],
    summary: "Delete a category",
    description: "Only without sub-categories; its products simply leave it.",
    responses: { 204: { description: "Deleted." }, ...problems(404, 409) },
  }),
  audit: describeRoute({
    tags: ["Audit"],
    summary: "List catalog changes",
    responses: { 200: jsonBody("Catalog writes, newest first.", AuditListSchema) },
  }),
};

/** Admin catalog API: products, variants, categories and their audit trail. */
export const adminCatalog = new Hono<AppEnv>()
  .use("/products/*", invalidateCatalogOnWrite)
  .use("/variants/*", invalidateCatalogOnWrite)
  .use("/categories/*", invalidateCatalogOnWrite)
  .get(
    "/products",
    doc.products,
    validate(
      "query",
      z.object({
        status: z.enum(PRODUCT_STATUSES).optional(),
        q: z.string().trim().min(1).max(200).optional(),
        page: pageField,
        limit: limitField(100, 50),
      }),
    ),
    async (c) => c.json(await listAdminProducts(requestDb(c), c.req.valid("query"))),
  )
  .post("/products", doc.createProduct, validate("json", productInput), async (c) => {
    const product = await createProduct(requestDb(c), c.req.valid("json"), writeContext(c));
    return c.json(product, 201, { Location: `/admin/api/products/${product.id}` });
  })
  .get("/products/:id", doc.product, validate("param", idParam), async (c) => {
    const { id } = c.req.valid("param");
    const product = await getProduct(requestDb(c), { id }, { includeUnpublished: true });
    if (!product) throw notFound("Product", id);
    return c.json(product);
  })
  .patch("/products/:id", doc.updateProduct, validate("param", idParam), validate("json", productPatch), async (c) =>
    c.json(await updateProduct(requestDb(c), c.req.valid("param").id, c.req.valid("json"), writeContext(c))),
  )
  .delete("/products/:id", doc.archiveProduct, validate("param", idParam), async (c) =>
    c.json(await archiveProduct(requestDb(c), c.req.valid("param").id, writeContext(c))),
  )
  .put(
    "/products/:id/media",
    doc.setMedia,
    validate("param", idParam),
    validate(
      "json",
      z
        .object({
          items: z
            .array(z.object({ key: z.string().regex(MEDIA_KEY, "Not a media key."), alt: z.string().trim().max(300).optional() }).strict())
            .max(20)
            .refine((items) => new Set(items.map((i) => i.key)).size === items.length, "Each image once."),
        })
        .strict(),
    ),
    async (c) => {
      const { id } = c.req.valid("param");
      const db = requestDb(c);
      if (!(await getProduct(db, { id }, { includeUnpublished: true }))) throw notFound("Product", id);
      await setProductImages(db, id, c.req.valid("json").items);
      return c.json(await getProduct(db, { id }, { includeUnpublished: true }));
    },
  )
  .delete(
    "/products/:id/media/:key",
    doc.removeMedia,
    validate("param", idParam.extend({ key: z.string().regex(MEDIA_KEY, "Not a media key.") })),
    async (c) => {
      const { id, key } = c.req.valid("param");
      const db = requestDb(c);
      await removeProductImage(db, id, key);
      return c.json(await getProduct(db, { id }, { includeUnpublished: true }));
    },
  )
  .post("/products/:id/variants", doc.addVariant, validate("param", idParam), validate("json", variantInput), async (c) =>
    c.json(await addVariant(requestDb(c), c.req.valid("param").id, c.req.valid("json"), writeContext(c)), 201),
  )
  .patch("/variants/:sku", doc.updateVariant, validate("param", skuParam), validate("json", variantPatch), async (c) =>
    c.json(await updateVariant(requestDb(c), c.req.valid("param").sku, c.req.valid("json"), writeContext(c))),
  )
  .delete("/variants/:sku", doc.deleteVariant, validate("param", skuParam), async (c) =>
    c.json(await deleteVariant(c.env, requestDb(c), c.req.valid("param").sku, writeContext(c))),
  )
  .get("/categories", doc.categories, async (c) => c.json({ items: await listCategories(requestDb(c)) }))
  .post("/categories", doc.createCategory, validate("json", categoryInput), async (c) => {
    const category = await createCategory(requestDb(c), c.req.valid("json"), writeContext(c));
    return c.json(category, 201, { Location: `/admin/api/categories/${category.id}` });
  })
  .get("/categories/:id", doc.category, validate("param", idParam), async (c) => {
    const { id } = c.req.valid("param");
    const category = (await listCategories(requestDb(c))).find((x) => x.id === id);
    if (!category) throw notFound("Category", id);
    return c.json(category);
  })
  .patch("/categories/:id", doc.updateCategory, validate("param", idParam), validate("json", categoryPatch), async (c) =>
    c.json(await updateCategory(requestDb(c), c.req.valid("param").id, c.req.valid("json"), writeContext(c))),
  )
  .delete("/categories/:id", doc.deleteCategory, validate("param", idParam), async (c) => {
    await deleteCategory(requestDb(c), c.req.valid("param").id, writeContext(c));
    return c.body(null, 204);
  })
  .get(
    "/audit",
    doc.audit,
    validate(
      "query",
      z.object({
        entity: z.enum(["product", "variant", "category", "info_page"]).optional(),
        entityId: z.string().max(64).optional(),
        limit: limitField(200, 50),
      }),
    ),
    async (c) => c.json({ items: await listAudit(requestDb(c), c.req.valid("query")) }),
  );
