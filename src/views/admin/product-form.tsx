import type { MediaRef } from "../../domain/catalog";
import { PRODUCT_STATUSES } from "../../domain/catalog";
import { type AdminContext, AdminLayout, Csrf, may } from "./layout";
import { Field, Table } from "./parts";

/** How many option names (Size, Colour, …) a product may use. */
export const OPTION_SLOTS = 3;

/** One variant row of the form, as typed (prices are decimals in the shop currency). */
export interface VariantRowValues {
  sku: string;
  options: string[];
  price: string;
  compareAt: string;
  weight: string;
  existing: boolean;
  remove: boolean;
}

/** The product form's values, as typed or as loaded. */
export interface ProductFormValues {
  title: string;
  slug: string;
  description: string;
  brand: string;
  status: string;
  featured: boolean;
  /** Every variant is a gift card of its price. */
  giftCard: boolean;
  categoryIds: number[];
  seoTitle: string;
  seoDescription: string;
  optionNames: string[];
  variants: VariantRowValues[];
}

/** A blank variant row. */
export const blankVariant = (): VariantRowValues => ({
  sku: "",
  options: Array(OPTION_SLOTS).fill(""),
  price: "",
  compareAt: "",
  weight: "",
  existing: false,
  remove: false,
});

function VariantRow(props: { row: VariantRowValues; i: number; errors: Record<string, string>; readOnly: boolean }) {
  const { row, i, errors } = props;
  const err = (f: string) => errors[`variants.${i}.${f}`];
  const id = (f: string) => `v${i}-${f}`;
  return (
    <tr data-variant-row>
      <td>
        <label class="skip" for={id("sku")}>
          SKU of variant {i + 1}
        </label>
        <input
          id={id("sku")}
          name="v_sku"
          value={row.sku}
          readonly={row.existing}
          size={12}
          aria-invalid={err("sku") ? "true" : undefined}
        />
        <input type="hidden" name="v_existing" value={row.existing ? "1" : ""} />
        {err("sku") ? <span class="error">{err("sku")}</span> : null}
      </td>
      {row.options.map((value, o) => (
        <td>
          <label class="skip" for={id(`opt${o}`)}>
            Option {o + 1} of variant {i + 1}
          </label>
          <input id={id(`opt${o}`)} name={`v_opt${o + 1}`} value={value} size={8} disabled={props.readOnly} />
        </td>
      ))}
      <td>
        <label class="skip" for={id("price")}>
          Price of variant {i + 1}
        </label>
        <input
          id={id("price")}
          name="v_price"
          value={row.price}
          inputmode="decimal"
          size={7}
          aria-invalid={err("price") ? "true" : undefined}
        />
        {err("price") ? <span class="error">{err("price")}</span> : null}
      </td>
      <td>
        <label class="skip" for={id("compare")}>
          Compare-at price of variant {i + 1}
        </label>
        <input id={id("compare")} name="v_compare" value={row.compareAt} inputmode="decimal" size={7} disabled={props.readOnly} />
        {err("compareAt") ? <span class="error">{err("compareAt")}</span> : null}
      </td>
      <td>
        <label class="skip" for={id("weight")}>
          Weight in grams of variant {i + 1}
        </label>
        <input id={id("weight")} name="v_weight" value={row.weight} inputmode="numeric" size={5} disabled={props.readOnly} />
        {err("weight") ? <span class="error">{err("weight")}</span> : null}
      </td>
      <td>
        {row.existing && !props.readOnly ? (
          <label>
            <input type="checkbox" name="v_remove" value={row.sku} checked={row.remove} /> Remove
          </label>
        ) : null}
      </td>
    </tr>
  );
}

/** The create/edit form of a product with its options, variants, categories and SEO fields. */
export function ProductForm(props: {
  ctx: AdminContext;
  action: string;
  values: ProductFormValues;
  errors: Record<string, string>;
  categories: { id: number; name: string; depth: number }[];
  submit: string;
}) {
  const { ctx, values, errors } = props;
  const readOnly = !may(ctx, "catalog:write");
  const messages = Object.entries(errors);
  return (
    <form method="post" action={props.action} class="card" novalidate>
      <Csrf ctx={ctx} />
      {messages.length ? (
        <div class="flash error" role="alert">
          <p>The product was not saved:</p>
          <ul>
            {messages.map(([field, message]) => (
              <li>
                {field}: {message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <fieldset disabled={readOnly}>
        <legend>Product</legend>
        <Field label="Title" for="title" error={errors.title}>
          <input id="title" name="title" required value={values.title} maxlength={200} />
        </Field>
        <Field label="Slug (web address)" for="slug" hint="Leave empty to make one from the title." error={errors.slug}>
          <input id="slug" name="slug" value={values.slug} maxlength={80} />
        </Field>
        <Field label="Description" for="description" error={errors.description}>
          <textarea id="description" name="description" rows={6}>
            {values.description}
          </textarea>
        </Field>
        <div class="row">
          <Field label="Brand" for="brand" error={errors.brand}>
            <input id="brand" name="brand" value={values.brand} maxlength={100} />
          </Field>
          <Field label="Status" for="status" error={errors.status}>
            <select id="status" name="status">
              {PRODUCT_STATUSES.map((s) => (
                <option value={s} selected={values.status === s}>
                  {s}
                </option>
              ))}
            </select>
          </Field>
          <div class="field">
            <label>
              <input type="checkbox" name="featured" value="1" checked={values.featured} /> Featured on the home page
            </label>
          </div>
          <div class="field">
            <label>
              <input type="checkbox" name="giftCard" value="1" checked={values.giftCard} /> A gift card: each unit bought issues a card of
              its price, emailed to the buyer once paid
            </label>
          </div>
        </div>
      </fieldset>
      <fieldset disabled={readOnly}>
        <legend>Categories</legend>
        {props.categories.length ? (
          props.categories.map((c) => (
            <div>
              <label>
                {"\u2003".repeat(c.depth)}
                <input type="checkbox" name="categoryIds" value={String(c.id)} checked={values.categoryIds.includes(c.id)} /> {c.name}
              </label>
            </div>
          ))
        ) : (
          <p class="muted">No categories yet.</p>
        )}
        {errors.categoryIds ? <p class="error">{errors.categoryIds}</p> : null}
      </fieldset>
      {/* Not a disabled fieldset: its scrolling table must stay reachable by keyboard for read-only staff. */}
      <fieldset>
        <legend>Options and variants</legend>
        <p class="muted">
          Name up to three options (such as Size or Colour), then give each variant its SKU, option values and price in {ctx.shop.currency}{" "}
          (for example 19.99).
        </p>
        <div class="row">
          {values.optionNames.map((name, o) => (
            <Field label={`Option ${o + 1} name`} for={`option${o + 1}`}>
              <input id={`option${o + 1}`} name={`option${o + 1}`} value={name} size={10} maxlength={40} disabled={readOnly} />
            </Field>
          ))}
        </div>
        {errors.variants ? <p class="error">{errors.variants}</p> : null}
        <Table
          id="variants"
          columns={[
            "SKU",
            ...values.optionNames.map((name, o) => name || `Option ${o + 1}`),
            "Price",
            "Compare at",
            "Grams",
            { label: "Remove", hidden: true },
          ]}
        >
          {values.variants.map((row, i) => (
            <VariantRow row={row} i={i} errors={errors} readOnly={readOnly} />
          ))}
        </Table>
        {readOnly ? null : (
          <>
            <p class="muted">Rows left without a SKU are ignored. Save to get more empty rows.</p>
            <button type="button" class="secondary hidden" data-add-variant>
              Add a variant row
            </button>
          </>
        )}
      </fieldset>
      <fieldset disabled={readOnly}>
        <legend>Search engines</legend>
        <Field label="SEO title" for="seoTitle" hint="Shown in search results; the product title when empty." error={errors.seoTitle}>
          <input id="seoTitle" name="seoTitle" value={values.seoTitle} maxlength={70} />
        </Field>
        <Field label="SEO description" for="seoDescription" hint="Up to 160 characters." error={errors.seoDescription}>
          <textarea id="seoDescription" name="seoDescription" rows={2} maxlength={160}>
            {values.seoDescription}
          </textarea>
        </Field>
      </fieldset>
      {readOnly ? null : <button type="submit">{props.submit}</button>}
    </form>
  );
}

/** The images of a product: alt text, order, removal, and an upload (drag and drop when scripts run). */
export function ProductImages(props: { ctx: AdminContext; productId: number; media: MediaRef[] }) {
  const { ctx, productId, media } = props;
  const write = may(ctx, "catalog:write");
  return (
    <section class="card" aria-labelledby="images-heading">
      <h2 id="images-heading">Images</h2>
      {media.length ? (
        <form method="post" action={`/admin/products/${productId}/images`}>
          <Csrf ctx={ctx} />
          <ul class="thumbs">
            {media.map((m, i) => (
              <li>
                <img src={`/media/${m.key}?w=320`} alt={m.alt} width={160} height={160} loading="lazy" />
                <input type="hidden" name="key" value={m.key} />
                <Field label="Alt text" for={`alt-${i}`}>
                  <input id={`alt-${i}`} name="alt" value={m.alt} maxlength={300} disabled={!write} />
                </Field>
                <Field label="Position" for={`pos-${i}`}>
                  <input id={`pos-${i}`} name="position" type="number" min="1" max="20" value={String(i + 1)} disabled={!write} />
                </Field>
                {write ? (
                  <label>
                    <input type="checkbox" name="remove" value={m.key} /> Remove
                  </label>
                ) : null}
              </li>
            ))}
          </ul>
          {write ? (
            <p>
              <button type="submit">Save images</button>
            </p>
          ) : null}
        </form>
      ) : (
        <p class="muted">No images yet.</p>
      )}
      {write ? (
        <form method="post" action={`/admin/products/${productId}/images/upload`} enctype="multipart/form-data" class="drop" data-drop>
          <Csrf ctx={ctx} />
          <Field label="Add an image (JPEG, PNG, WebP or GIF)" for="file">
            <input id="file" name="file" type="file" accept="image/jpeg,image/png,image/webp,image/gif" required />
          </Field>
          <Field label="Alt text for the new image" for="new-alt">
            <input id="new-alt" name="alt" maxlength={300} />
          </Field>
          <p class="muted hidden" data-drop-hint>
            Or drop an image here.
          </p>
          <button type="submit">Upload</button>
        </form>
      ) : null}
    </section>
  );
}

/** The edit page: form, images, archive and a link to the store. */
export function ProductEditPage(props: {
  ctx: AdminContext;
  product: { id: number; slug: string; title: string; status: string; media: MediaRef[] };
  form: Parameters<typeof ProductForm>[0];
}) {
  const { ctx, product } = props;
  return (
    <AdminLayout ctx={ctx} title={product.title} scripts={["admin"]}>
      <div class="actions">
        <a href="/admin/products">All products</a>
        {product.status === "published" ? (
          <a href={`/p/${product.slug}`} target="_blank" rel="noopener">
            View on the store
          </a>
        ) : (
          <span class="muted">Not on the store until published.</span>
        )}
        <a href={`/admin/audit?entity=product&entityId=${product.id}`}>History</a>
      </div>
      <div class="two">
        <ProductForm {...props.form} />
        <div>
          <ProductImages ctx={ctx} productId={product.id} media={product.media} />
          {may(ctx, "catalog:write") && product.status !== "archived" ? (
            <form
              method="post"
              action={`/admin/products/${product.id}/archive`}
              class="card"
              data-confirm="Archive this product? It leaves the store."
            >
              <Csrf ctx={ctx} />
              <h2>Archive</h2>
              <p class="muted">Archived products leave the store but stay in order history.</p>
              <button type="submit" class="danger">
                Archive product
              </button>
            </form>
          ) : null}
        </div>
      </div>
    </AdminLayout>
  );
}

/** The new-product page. */
export function ProductNewPage(props: { ctx: AdminContext; form: Parameters<typeof ProductForm>[0] }) {
  return (
    <AdminLayout ctx={props.ctx} title="New product" scripts={["admin"]}>
      <p>
        <a href="/admin/products">All products</a>
      </p>
      <ProductForm {...props.form} />
    </AdminLayout>
  );
}
