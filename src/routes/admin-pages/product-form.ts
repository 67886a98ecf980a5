import type { ProductDetail } from "../../domain/catalog";
import { parseDecimal, toDecimalString } from "../../domain/money";
import { fieldErrors } from "../../validation";
import { blankVariant, OPTION_SLOTS, type ProductFormValues, type VariantRowValues } from "../../views/admin/product-form";
import { productInput, productPatch, variantInput, variantPatch } from "../admin-catalog";
import { text, texts } from "./kit";

type Form = Record<string, unknown>;

/** Empty rows shown under a product's variants for new ones. */
const SPARE_ROWS = 2;

/** The form's values as typed (so a refused form comes back as the member left it). */
export function valuesFromForm(form: Form): ProductFormValues {
  const skus = texts(form, "v_sku");
  const at = (name: string, i: number) => texts(form, name)[i] ?? "";
  const removed = new Set(texts(form, "v_remove"));
  return {
    title: text(form, "title"),
    slug: text(form, "slug"),
    description: typeof form.description === "string" ? form.description.replace(/\r\n/g, "\n") : "",
    brand: text(form, "brand"),
    status: text(form, "status") || "draft",
    featured: text(form, "featured") === "1",
    giftCard: text(form, "giftCard") === "1",
    categoryIds: texts(form, "categoryIds")
      .map(Number)
      .filter((n) => Number.isInteger(n) && n > 0),
    seoTitle: text(form, "seoTitle"),
    seoDescription: text(form, "seoDescription"),
    optionNames: Array.from({ length: OPTION_SLOTS }, (_, o) => text(form, `option${o + 1}`)),
    variants: skus.map((sku, i) => ({
      sku,
      options: Array.from({ length: OPTION_SLOTS }, (_, o) => at(`v_opt${o + 1}`, i)),
      price: at("v_price", i),
      compareAt: at("v_compare", i),
      weight: at("v_weight", i),
      existing: at("v_existing", i) === "1",
      remove: removed.has(sku),
    })),
  };
}

/** A loaded product as form values, with spare rows for new variants. */
export function valuesFromProduct(p: ProductDetail): ProductFormValues {
  const names: string[] = [];
  for (const v of p.variants) for (const k of Object.keys(v.options)) if (!names.includes(k) && names.length < OPTION_SLOTS) names.push(k);
  const optionNames = Array.from({ length: OPTION_SLOTS }, (_, o) => names[o] ?? "");
  return {
    title: p.title,
    slug: p.slug,
    description: p.description,
    brand: p.brand ?? "",
    status: p.status,
    featured: p.featured,
    giftCard: p.variants.length > 0 && p.variants.every((v) => v.giftCard),
    categoryIds: p.categories.map((c) => c.id),
    seoTitle: p.seoTitle ?? "",
    seoDescription: p.seoDescription ?? "",
    optionNames,
    variants: [
      ...p.variants.map((v) => ({
        sku: v.sku,
        options: optionNames.map((n) => (n ? (v.options[n] ?? "") : "")),
        price: toDecimalString(v.price),
        compareAt: v.compareAtPrice ? toDecimalString(v.compareAtPrice) : "",
        weight: v.weightGrams ? String(v.weightGrams) : "",
        existing: true,
        remove: false,
      })),
      ...Array.from({ length: SPARE_ROWS }, blankVariant),
    ],
  };
}

/** Empty values for a new product (three variant rows). */
export function blankProduct(): ProductFormValues {
  return {
    title: "",
    slug: "",
    description: "",
    brand: "",
    status: "draft",
    featured: false,
    giftCard: false,
    categoryIds: [],
    seoTitle: "",
    seoDescription: "",
    optionNames: Array(OPTION_SLOTS).fill(""),
    variants: Array.from({ length: 3 }, blankVariant),
  };
}

type Errors = Record<string, string>;

function variantFromRow(row: VariantRowValues, i: number, names: string[], currency: string, errors: Errors, giftCard: boolean) {
  const price = parseDecimal(row.price, currency);
  if (price === undefined) errors[`variants.${i}.price`] = row.price ? "Type the price like 19.99." : "Required.";
  const compare = row.compareAt ? parseDecimal(row.compareAt, currency) : null;
  if (compare === undefined) errors[`variants.${i}.compareAt`] = "Type the price like 24.99, or leave it empty.";
  // An empty weight is none (0 grams), so clearing the field clears the weight.
  const weight = row.weight ? Number(row.weight) : 0;
  if (!(Number.isInteger(weight) && weight >= 0)) errors[`variants.${i}.weight`] = "Whole grams.";
  const options: Record<string, string> = {};
  names.forEach((name, o) => {
    const value = row.options[o] ?? "";
    if (name && value) options[name] = value;
  });
  return {
    sku: row.sku,
    options,
    price: { amount: price ?? 0, currency },
    compareAtPrice: compare === null || compare === undefined ? null : { amount: compare, currency },
    ...(Number.isInteger(weight) && weight >= 0 ? { weightGrams: weight } : {}),
    giftCard,
  };
}

function productFields(values: ProductFormValues) {
  return {
    title: values.title,
    ...(values.slug ? { slug: values.slug } : {}),
    description: values.description,
    brand: values.brand || null,
    status: values.status,
    featured: values.featured,
    categoryIds: values.categoryIds,
    seoTitle: values.seoTitle || null,
    seoDescription: values.seoDescription || null,
  };
}

function collect(errors: Errors, issues: ReturnType<typeof fieldErrors>, prefix = "") {
  for (const e of issues) errors[`${prefix}${e.field}`] ??= e.message;
}

/** A new product from the form, checked with the API's schema; or the errors by field. */
export function newProductFrom(values: ProductFormValues, currency: string) {
  const errors: Errors = {};
  const names = values.optionNames;
  const rows = values.variants.map((row, i) => ({ row, i })).filter(({ row }) => row.sku);
  if (!rows.length) errors.variants = "Give at least one variant a SKU and a price.";
  const variants = rows.map(({ row, i }) => variantFromRow(row, i, names, currency, errors, values.giftCard));
  const parsed = productInput.safeParse({ ...productFields(values), variants });
  if (!parsed.success) {
    // Row numbers in errors follow the form's rows, not the filtered list.
    for (const e of fieldErrors(parsed.error, "form")) {
      const m = /^variants\.(\d+)\.(.*)$/.exec(e.field);
      const key = m ? `variants.${rows[Number(m[1])]?.i ?? m[1]}.${m[2]}` : e.field;
      errors[key] ??= e.message;
    }
  }
  return Object.keys(errors).length || !parsed.success ? { errors } : { input: parsed.data, errors };
}

/** The changes an edit form asks for: product fields, changed and new variants, removals; or the errors by field. */
export function productChangesFrom(values: ProductFormValues, current: ProductDetail, currency: string) {
  const errors: Errors = {};
  const names = values.optionNames;
  const patch = productPatch.safeParse(productFields(values));
  if (!patch.success) collect(errors, fieldErrors(patch.error, "form"));
  const updates: { sku: string; patch: ReturnType<typeof variantPatch.parse> }[] = [];
  const additions: ReturnType<typeof variantInput.parse>[] = [];
  const removals: string[] = [];
  for (const [i, row] of values.variants.entries()) {
    if (!row.sku) continue;
    if (row.existing && row.remove) {
      if (current.variants.some((x) => x.sku === row.sku)) removals.push(row.sku);
      else errors[`variants.${i}.sku`] = "Not a variant of this product; reload the page.";
      continue;
    }
    const v = variantFromRow(row, i, names, currency, errors, values.giftCard);
    const was = current.variants.find((x) => x.sku === row.sku);
    if (row.existing && !was) {
      errors[`variants.${i}.sku`] = "Not a variant of this product; reload the page.";
      continue;
    }
    if (row.existing && was) {
      const { sku: _sku, ...fields } = v;
      const parsed = variantPatch.safeParse(fields);
      if (!parsed.success) {
        collect(errors, fieldErrors(parsed.error, "form"), `variants.${i}.`);
        continue;
      }
      const same =
        was.price.amount === v.price.amount &&
        (was.compareAtPrice?.amount ?? null) === (v.compareAtPrice?.amount ?? null) &&
        was.weightGrams === v.weightGrams &&
        was.giftCard === v.giftCard &&
        JSON.stringify(was.options) === JSON.stringify(v.options);
      if (!same) updates.push({ sku: row.sku, patch: parsed.data });
    } else {
      const parsed = variantInput.safeParse(v);
      if (!parsed.success) {
        collect(errors, fieldErrors(parsed.error, "form"), `variants.${i}.`);
        continue;
      }
      additions.push(parsed.data);
    }
  }
  const kept = current.variants.length - removals.length + additions.length;
  if (kept < 1) errors.variants = "A product needs at least one variant; archive the product instead.";
  if (Object.keys(errors).length || !patch.success) return { errors };
  return { errors, patch: patch.data, updates, additions, removals };
}
