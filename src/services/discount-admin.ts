import type { Db } from "../db";
import {
  codesOf,
  type DiscountRow,
  discountByCode,
  discountById,
  discountTotals,
  insertCodes,
  insertDiscount,
  listDiscountRows,
  setDiscountActive,
} from "../db/discount-store";
import { type DiscountKind, generateCode, normaliseCode } from "../domain/discounts";
import type { Bindings } from "../env";
import { conflict, invalid, notFound } from "../errors";
import { csvCell } from "./exports";

/** Codes one request may generate. */
export const MAX_GENERATED = 10_000;

/** A discount as staff define it (money in minor units of the shop currency). */
export interface DiscountInput {
  title?: string;
  kind: DiscountKind;
  value: number;
  code?: string;
  automatic: boolean;
  buyQuantity?: number;
  getQuantity?: number;
  productIds?: number[];
  categoryIds?: number[];
  usageLimit?: number;
  perCustomerLimit?: number;
  minimumSubtotal?: number;
  startsAt?: Date;
  endsAt?: Date;
  firstOrderOnly: boolean;
  segment?: string;
  combinable: boolean;
}

const newId = (prefix: string) =>
  `${prefix}_${[...crypto.getRandomValues(new Uint8Array(10))].map((b) => b.toString(16).padStart(2, "0")).join("")}`;

function describe(input: DiscountInput, currency: string): string {
  if (input.kind === "percentage") return `${input.value}% off`;
  if (input.kind === "fixed") return `${(input.value / 100).toFixed(2)} ${currency} off`;
  if (input.kind === "free_shipping") return "Free shipping";
  return `Buy ${input.buyQuantity ?? 1}, get ${input.getQuantity ?? 1} at ${input.value}% off`;
}

/** A discount as staff see it, with its uses (from its object) and what it has taken off kept orders. */
export async function discountView(env: Bindings, db: Db, d: DiscountRow, codes?: number) {
  const [usage, totals] = await Promise.all([env.DISCOUNTS.getByName(d.id).usage(), discountTotals(db, d.id)]);
  return {
    id: d.id,
    title: d.title,
    kind: d.kind,
    value: d.value,
    buyQuantity: d.buyQuantity,
    getQuantity: d.getQuantity,
    productIds: d.scope?.productIds ?? [],
    categoryIds: d.scope?.categoryIds ?? [],
    automatic: d.automatic,
    usageLimit: d.usageLimit,
    perCustomerLimit: d.perCustomerLimit,
    minimumSubtotal: d.minimumSubtotal,
    startsAt: d.startsAt?.toISOString() ?? null,
    endsAt: d.endsAt?.toISOString() ?? null,
    firstOrderOnly: d.firstOrderOnly,
    segment: d.segment,
    combinable: d.combinable,
    active: d.active,
    used: usage.used,
    orders: totals.orders,
    discounted: totals.amount,
    codes: codes ?? null,
    createdAt: d.createdAt.toISOString(),
  };
}
export type DiscountView = Awaited<ReturnType<typeof discountView>>;

/** Discounts, newest first. */
export async function listDiscounts(env: Bindings, db: Db) {
  const rows = await listDiscountRows(db, 200);
  return { items: await Promise.all(rows.map((r) => discountView(env, db, r.discount, r.codes))) };
}

/** One discount. */
export async function getDiscount(env: Bindings, db: Db, id: string) {
  const row = await discountById(db, id);
  if (!row) throw notFound("Discount", id);
  return discountView(env, db, row, (await codesOf(db, id)).length);
}

/** Creates a discount, with its code when given (409 `code_taken` when another discount has it). */
export async function createDiscount(db: Db, input: DiscountInput, currency: string, actor: string, now = new Date()) {
  const id = newId("dsc");
  const scope =
    input.productIds?.length || input.categoryIds?.length ? { productIds: input.productIds, categoryIds: input.categoryIds } : null;
  const code = input.code ? normaliseCode(input.code) : undefined;
  if (code && (await discountByCode(db, code))) throw conflict("code_taken", `The code ${code} already belongs to another discount.`);
  await insertDiscount(db, {
    id,
    title: input.title ?? (code ? `${code}: ${describe(input, currency)}` : describe(input, currency)),
    kind: input.kind,
    value: input.kind === "free_shipping" ? 0 : input.value,
    buyQuantity: input.kind === "buy_x_get_y" ? (input.buyQuantity ?? 1) : null,
    getQuantity: input.kind === "buy_x_get_y" ? (input.getQuantity ?? 1) : null,
    scope,
    minimumSubtotal: input.minimumSubtotal ?? null,
    startsAt: input.startsAt ?? null,
    endsAt: input.endsAt ?? null,
    firstOrderOnly: input.firstOrderOnly,
    segment: input.segment ?? null,
    combinable: input.combinable,
    automatic: input.automatic,
    usageLimit: input.usageLimit ?? null,
    perCustomerLimit: input.perCustomerLimit ?? null,
    createdBy: actor,
    createdAt: now,
    updatedAt: now,
  });
  if (code && !(await insertCodes(db, id, [code], null, now)).length) {
    await setDiscountActive(db, id, false, now);
    throw conflict("code_taken", `The code ${code} already belongs to another discount.`);
  }
  return { id, codes: code ? [code] : [] };
}

/**
 * Generates `count` new unique codes for a discount, `prefix` then 10 characters without look-alikes
 * (29^10 possibilities: unguessable). A code that happens to exist already is replaced by a new one.
 */
export async function generateCodes(db: Db, id: string, count: number, prefix: string, now = new Date()) {
  const discount = await discountById(db, id);
  if (!discount) throw notFound("Discount", id);
  if (discount.automatic)
    throw invalid("automatic_discount", "Automatic discounts apply without codes.", [
      { field: "count", in: "json", message: "Not for an automatic discount." },
    ]);
  const batch = newId("batch");
  const codes: string[] = [];
  for (let round = 0; codes.length < count && round < 5; round++) {
    const wanted = new Set<string>();
    while (wanted.size < count - codes.length) wanted.add(generateCode(prefix));
    codes.push(...(await insertCodes(db, id, [...wanted], batch, now)));
  }
  return { batch, codes };
}

/** A discount's codes as CSV (code, batch, created). */
export async function codesCsv(db: Db, id: string, batch?: string): Promise<string> {
  if (!(await discountById(db, id))) throw notFound("Discount", id);
  const rows = await codesOf(db, id, batch);
  return `${["code,batch,created_at", ...rows.map((r) => [r.code, r.batch, r.createdAt.toISOString()].map(csvCell).join(","))].join("\r\n")}\r\n`;
}

/** Switches a discount on or off (an inactive one applies to no new cart or checkout). */
export async function setActive(env: Bindings, db: Db, id: string, active: boolean, now = new Date()) {
  if (!(await setDiscountActive(db, id, active, now))) throw notFound("Discount", id);
  return getDiscount(env, db, id);
}
