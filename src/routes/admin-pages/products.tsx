import { type Context, Hono } from "hono";
import { bumpCatalogVersion } from "../../cache/catalog-cache";
import { configOf } from "../../config";
import { PRODUCT_STATUSES, type ProductDetail, type ProductStatus } from "../../domain/catalog";
import type { AppEnv } from "../../env";
import { DomainError, invalid, notFound, tooLarge } from "../../errors";
import { adminActor } from "../../http/admin-auth";
import { log } from "../../log";
import { requestDb } from "../../request-db";
import { recordAudit } from "../../services/audit";
import { archiveProduct, createProduct, listAdminProducts, saveProduct, type WriteContext } from "../../services/catalog-admin";
import { getProduct, listCategories } from "../../services/catalog-query";
import { setProductImages, storeImage } from "../../services/media";
import { ProductEditPage, type ProductFormValues, ProductNewPage } from "../../views/admin/product-form";
import { ProductsListPage } from "../../views/admin/products-list";
import { adminContext, decimalId, formAction, formOf, pageOf, queryText, redirectWith, renderPage, text, texts } from "./kit";
import { blankProduct, newProductFrom, productChangesFrom, valuesFromForm, valuesFromProduct } from "./product-form";

const PAGE_SIZE = 25;

function writeContext(c: Context<AppEnv>): WriteContext {
  return { actor: adminActor(c), requestId: c.get("requestId"), now: new Date(), shopCurrency: configOf(c.env).shopCurrency };
}

/** Starts a new catalog version so the store shows the change on the next request. */
async function refreshStore(c: Context<AppEnv>) {
  try {
    await bumpCatalogVersion(c.env.CATALOG_CACHE, new Date());
  } catch (err) {
    log.error("catalog.invalidation_failed", { requestId: c.get("requestId"), error: err });
  }
}

async function categoryChoices(c: Context<AppEnv>) {
  const all = await listCategories(requestDb(c));
  const out: { id: number; name: string; depth: number }[] = [];
  const walk = (parentId: number | null, depth: number) => {
    for (const cat of all.filter((x) => x.parentId === parentId).sort((a, b) => a.position - b.position || a.name.localeCompare(b.name))) {
      out.push({ id: cat.id, name: cat.name, depth });
      if (depth < 8) walk(cat.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

/** Errors a service refused the form with, placed on the field they concern. */
function serviceErrors(err: DomainError): Record<string, string> {
  if (err.code === "slug_taken") return { slug: err.detail };
  if (err.code === "sku_taken") return { variants: err.detail };
  if (err.code === "unknown_category") return { categoryIds: err.detail };
  const fields = err.errors?.length ? Object.fromEntries(err.errors.map((e) => [e.field, e.message])) : {};
  return Object.keys(fields).length ? fields : { form: err.detail };
}

async function loadProduct(c: Context<AppEnv>): Promise<ProductDetail> {
  const id = Number(c.req.param("id"));
  const product = Number.isSafeInteger(id) && id > 0 ? await getProduct(requestDb(c), { id }, { includeUnpublished: true }) : undefined;
  if (!product) throw notFound("Product", c.req.param("id"));
  return product;
}

async function editPage(
  c: Context<AppEnv>,
  product: ProductDetail,
  values: ProductFormValues,
  errors: Record<string, string>,
  status: 200 | 400 | 409 = 200,
) {
  const ctx = adminContext(c);
  const form = {
    ctx,
    action: `/admin/products/${product.id}`,
    values,
    errors,
    categories: await categoryChoices(c),
    submit: "Save product",
  };
  return renderPage(c, ctx, <ProductEditPage ctx={ctx} product={product} form={form} />, status);
}

/** Admin pages for products: list, create, edit with variants, images, archive. */
export const productPages = new Hono<AppEnv>()
  .get("/", async (c) => {
    const ctx = adminContext(c);
    const q = queryText(c, "q");
    const statusParam = c.req.query("status");
    const status = (PRODUCT_STATUSES as readonly string[]).includes(statusParam ?? "") ? (statusParam as ProductStatus) : undefined;
    const categoryId = decimalId(c.req.query("categoryId"));
    const page = pageOf(c);
    const [list, categories] = await Promise.all([
      listAdminProducts(requestDb(c), { q, status, categoryId, page, limit: PAGE_SIZE }),
      categoryChoices(c),
    ]);
    return renderPage(
      c,
      ctx,
      <ProductsListPage
        ctx={ctx}
        items={list.items}
        total={list.total}
        page={page}
        limit={PAGE_SIZE}
        query={{ q, status, categoryId: categoryId ? String(categoryId) : undefined }}
        categories={categories}
      />,
    );
  })
  .get("/new", async (c) => {
    const ctx = adminContext(c);
    const form = {
      ctx,
      action: "/admin/products/new",
      values: blankProduct(),
      errors: {},
      categories: await categoryChoices(c),
      submit: "Create product",
    };
    return renderPage(c, ctx, <ProductNewPage ctx={ctx} form={form} />);
  })
  .post("/new", async (c) => {
    const values = valuesFromForm(await formOf(c));
    const currency = configOf(c.env).shopCurrency;
    const checked = newProductFrom(values, currency);
    let errors = checked.errors;
    if (checked.input) {
      try {
        const product = await createProduct(requestDb(c), checked.input, writeContext(c));
        await refreshStore(c);
        return redirectWith(c, `/admin/products/${product.id}`, "Product created. Add images and stock next.");
      } catch (err) {
        if (!(err instanceof DomainError) || err.kind === "internal") throw err;
        errors = serviceErrors(err);
      }
    }
    const ctx = adminContext(c);
    const form = { ctx, action: "/admin/products/new", values, errors, categories: await categoryChoices(c), submit: "Create product" };
    return renderPage(c, ctx, <ProductNewPage ctx={ctx} form={form} />, 400);
  })
  .get("/:id{[1-9][0-9]*}", async (c) => {
    const product = await loadProduct(c);
    return editPage(c, product, valuesFromProduct(product), {});
  })
  .post("/:id{[1-9][0-9]*}", async (c) => {
    const product = await loadProduct(c);
    const values = valuesFromForm(await formOf(c));
    const changes = productChangesFrom(values, product, configOf(c.env).shopCurrency);
    if (!changes.patch) return editPage(c, product, values, changes.errors, 400);
    const db = requestDb(c);
    const ctx = writeContext(c);
    try {
      await saveProduct(c.env, db, product.id, changes, ctx);
    } catch (err) {
      if (!(err instanceof DomainError) || err.kind === "internal") throw err;
      return editPage(c, product, values, serviceErrors(err), err.kind === "conflict" ? 409 : 400);
    }
    await refreshStore(c);
    return redirectWith(c, `/admin/products/${product.id}`, "Product saved.");
  })
  .post("/:id{[1-9][0-9]*}/archive", async (c) => {
    const product = await loadProduct(c);
    return formAction(c, `/admin/products/${product.id}`, "Product archived; it has left the store.", async () => {
      await archiveProduct(requestDb(c), product.id, writeContext(c));
      await refreshStore(c);
    });
  })
  .post("/:id{[1-9][0-9]*}/images", async (c) => {
    const product = await loadProduct(c);
    const form = await formOf(c);
    const keys = texts(form, "key");
    const alts = texts(form, "alt");
    const positions = texts(form, "position").map(Number);
    const removed = new Set(texts(form, "remove"));
    const items = keys
      .map((key, i) => ({
        key,
        alt: (alts[i] ?? "").slice(0, 300),
        position: Number.isFinite(positions[i]) ? (positions[i] as number) : i + 1,
        i,
      }))
      .filter((item) => !removed.has(item.key))
      .sort((a, b) => a.position - b.position || a.i - b.i)
      .map(({ key, alt }) => ({ key, alt }));
    return formAction(c, `/admin/products/${product.id}`, "Images saved.", async () => {
      await setProductImages(requestDb(c), product.id, items);
      await recordAudit(requestDb(c), {
        actor: adminActor(c),
        action: "images",
        entity: "product",
        entityId: String(product.id),
        changes: { images: items.map((i) => i.key), removed: [...removed] },
        requestId: c.get("requestId"),
      });
      await refreshStore(c);
    });
  })
  .post("/:id{[1-9][0-9]*}/images/upload", async (c) => {
    const product = await loadProduct(c);
    const back = `/admin/products/${product.id}`;
    return formAction(c, back, "Image added.", async () => {
      const form = await formOf(c);
      const file = form.file;
      if (!(file instanceof File) || file.size === 0) throw invalid("invalid_request", "Choose an image file to upload.");
      const max = configOf(c.env).mediaMaxBytes;
      if (file.size > max) throw tooLarge(`Images are limited to ${Math.floor(max / 1_048_576)} MB.`);
      const db = requestDb(c);
      const { media } = await storeImage(c.env, db, new Uint8Array(await file.arrayBuffer()), new Date());
      const items = [
        ...product.media.filter((m) => m.key !== media.key).map((m) => ({ key: m.key, alt: m.alt })),
        { key: media.key, alt: text(form, "alt").slice(0, 300) },
      ];
      await setProductImages(db, product.id, items);
      await recordAudit(db, {
        actor: adminActor(c),
        action: "image_upload",
        entity: "product",
        entityId: String(product.id),
        changes: { key: media.key },
        requestId: c.get("requestId"),
      });
      await refreshStore(c);
    });
  });
