import type { DiscountUseOutcome } from "../../durable-objects/discount";
import type { Db } from "../db";
import { liveCustomerByEmail } from "../db/customer-store";
import {
  automaticDiscounts,
  categoriesOfProducts,
  type DiscountRow,
  discountByCode,
  discountsOfOrder,
  hasOrdered,
  markReleased,
} from "../db/discount-store";
import type { CartState } from "../domain/cart";
import { normaliseEmail } from "../domain/customer";
import {
  type AppliedDiscount,
  applyDiscounts,
  type DiscountLine,
  type DiscountRefusal,
  type DiscountRule,
  normaliseCode,
  refusal,
} from "../domain/discounts";
import type { Bindings } from "../env";
import { conflict, DomainError } from "../errors";
import { log } from "../log";
import { POINTS_DISCOUNT_ID } from "./loyalty";

/** A discount row as pricing reads it. */
export const ruleOf = (d: DiscountRow): DiscountRule => ({
  id: d.id,
  kind: d.kind,
  value: d.value,
  buyQuantity: d.buyQuantity,
  getQuantity: d.getQuantity,
  scope: d.scope ?? null,
  minimumSubtotal: d.minimumSubtotal,
  startsAt: d.startsAt,
  endsAt: d.endsAt,
  firstOrderOnly: d.firstOrderOnly,
  segment: d.segment,
  combinable: d.combinable,
  automatic: d.automatic,
});

const REFUSAL_TEXT: Record<DiscountRefusal, string> = {
  expired: "This code has expired.",
  not_started: "This code is not valid yet.",
  minimum_not_met: "The cart does not reach this code's minimum yet.",
  usage_limit_reached: "This code has been used as often as it can be.",
  not_applicable: "This code does not apply to this cart.",
};

/** The problem a refused code answers with: 409 when its uses ran out, else 422; `code` names why. */
export function refusalError(code: string, reason: DiscountRefusal, extra: Record<string, unknown> = {}): DomainError {
  const detail =
    reason === "minimum_not_met" && typeof extra.minimum === "string" ? `${REFUSAL_TEXT[reason]} (${extra.minimum})` : REFUSAL_TEXT[reason];
  return reason === "usage_limit_reached"
    ? conflict(reason, detail, { discountCode: code, ...extra })
    : new DomainError("unprocessable", reason, detail, { discountCode: code, ...extra });
}

/** The discount object holding a discount's uses. */
const usesOf = (env: Bindings, discountId: string) => env.DISCOUNTS.getByName(discountId);

const limitsOf = (d: DiscountRow) => ({ total: d.usageLimit, perCustomer: d.perCustomerLimit });

/** Who a use is counted for: the normalised email (per-customer limits are per address). */
const customerKey = (email: string | null | undefined) => (email ? normaliseEmail(email) : "");

/** What the discounts of a basket come to, and why the codes that do not apply do not. */
export interface PricedDiscounts {
  lineDiscounts: number[];
  freeShipping: boolean;
  applied: { discountId: string; code: string | null; title: string; kind: DiscountRule["kind"]; amount: number; rule: DiscountRow }[];
  /** Codes that do not apply, and why. */
  refusals: { code: string; reason: DiscountRefusal }[];
  /** Codes that apply but gave way to a better non-combinable discount. */
  outranked: string[];
}

/** Who is buying, as far as is known (no email yet: a first order, no segment). */
export interface Buyer {
  email: string | null;
  now: Date;
  /** The order a checkout is placing (its own use and order do not count against it when it checks again). */
  orderId?: string;
}

async function buyerFacts(db: Db, buyer: Buyer) {
  if (!buyer.email) return { hasOrdered: false, segment: null as string | null };
  const email = normaliseEmail(buyer.email);
  const [ordered, customer] = await Promise.all([hasOrdered(db, email, buyer.orderId), liveCustomerByEmail(db, email)]);
  return { hasOrdered: ordered, segment: customer?.segment ?? null };
}

/**
 * The discounts a cart gets: automatic ones that apply, and its codes that do (a code whose uses ran
 * out is refused here already, though only checkout takes a use). At most one non-combinable discount.
 */
export async function discountsFor(
  env: Bindings,
  db: Db,
  cart: { lines: Pick<CartState["lines"][number], "sku" | "productId" | "unitPrice" | "quantity">[]; codes: string[] },
  buyer: Buyer,
  options: { exclude?: ReadonlySet<string> } = {},
): Promise<PricedDiscounts> {
  const codes = cart.codes ?? [];
  const [autos, coded, categories, facts] = await Promise.all([
    automaticDiscounts(db, buyer.now),
    Promise.all(codes.map(async (code) => ({ code, discount: await discountByCode(db, code) }))),
    categoriesOfProducts(db, [...new Set(cart.lines.map((l) => l.productId))]),
    buyerFacts(db, buyer),
  ]);
  const lines: DiscountLine[] = cart.lines.map((l) => ({
    sku: l.sku,
    productId: l.productId,
    categoryIds: categories.get(l.productId) ?? [],
    unitPrice: l.unitPrice,
    quantity: l.quantity,
  }));
  const ctx = { now: buyer.now, hasOrdered: facts.hasOrdered, segment: facts.segment };
  const refusals: PricedDiscounts["refusals"] = [];
  const candidates: { rule: DiscountRule; code: string | null; row: DiscountRow }[] = [];
  // Automatic discounts that do not apply (or whose uses ran out) are simply left out.
  for (const d of autos) {
    if (options.exclude?.has(d.id) || refusal(ruleOf(d), lines, ctx)) continue;
    if (await usageRefusal(env, d, buyer)) continue;
    candidates.push({ rule: ruleOf(d), code: null, row: d });
  }
  for (const { code, discount } of coded) {
    if (!discount?.active) {
      refusals.push({ code, reason: "not_applicable" });
      continue;
    }
    const why = refusal(ruleOf(discount), lines, ctx) ?? (await usageRefusal(env, discount, buyer));
    if (why) refusals.push({ code, reason: why });
    else if (!candidates.some((c) => c.rule.id === discount.id)) candidates.push({ rule: ruleOf(discount), code, row: discount });
  }
  const { applied, notCombined } = applyDiscounts(candidates, lines, 0);
  const lineDiscounts = lines.map((_, i) => applied.reduce((sum, a) => sum + (a.effect.lineAmounts[i] ?? 0), 0));
  const rows = new Map(candidates.map((c) => [c.rule.id, c.row]));
  return {
    lineDiscounts,
    freeShipping: applied.some((a) => a.effect.freeShipping),
    applied: applied.map((a: AppliedDiscount) => {
      const row = rows.get(a.rule.id) as DiscountRow;
      return { discountId: a.rule.id, code: a.code, title: row.title, kind: a.rule.kind, amount: a.effect.amount, rule: row };
    }),
    refusals,
    outranked: notCombined.flatMap((n) => (n.code ? [n.code] : [])),
  };
}

async function usageRefusal(env: Bindings, d: DiscountRow, buyer: Buyer): Promise<DiscountRefusal | undefined> {
  if (d.usageLimit === null && d.perCustomerLimit === null) return undefined;
  const usage = await usesOf(env, d.id).usage(buyer.email ? customerKey(buyer.email) : undefined, buyer.orderId);
  if (d.usageLimit !== null && usage.used >= d.usageLimit) return "usage_limit_reached";
  if (d.perCustomerLimit !== null && usage.byCustomer !== null && usage.byCustomer >= d.perCustomerLimit) return "usage_limit_reached";
  return undefined;
}

/** Checks a code against a cart before it is added: 404 `unknown_code`, or the refusal that applies. */
export async function checkCode(env: Bindings, db: Db, cart: CartState, rawCode: string, now = new Date()): Promise<string> {
  const code = normaliseCode(rawCode);
  const discount = await discountByCode(db, code);
  if (!discount?.active) throw new DomainError("not_found", "unknown_code", `There is no discount code ${code}.`);
  const priced = await discountsFor(
    env,
    db,
    { lines: cart.lines, codes: [...cart.codes.filter((c) => c !== code), code] },
    { email: cart.email, now },
  );
  const refused = priced.refusals.find((r) => r.code === code);
  if (refused) throw refusalError(code, refused.reason, minimumOf(discount));
  if (priced.outranked.includes(code)) throw refusalError(code, "not_applicable", { outranked: true });
  return code;
}

const minimumOf = (d: DiscountRow) => (d.minimumSubtotal === null ? {} : { minimumSubtotal: d.minimumSubtotal });

/**
 * Takes one use of each limited discount for an order (checkout, before the order is written): all or
 * none, so a refusal gives back what was taken. The same order asking again takes nothing more.
 */
export async function takeUses(
  env: Bindings,
  orderId: string,
  email: string,
  applied: PricedDiscounts["applied"],
): Promise<{ taken: string[]; lostAutomatic: string[] }> {
  const taken: string[] = [];
  const lostAutomatic: string[] = [];
  try {
    for (const a of applied) {
      if (a.rule.usageLimit === null && a.rule.perCustomerLimit === null) continue;
      const outcome: DiscountUseOutcome = await usesOf(env, a.discountId).take(orderId, customerKey(email), limitsOf(a.rule));
      if (outcome.ok) taken.push(a.discountId);
      // An automatic discount whose last use went to someone else just no longer applies.
      else if (a.code === null) lostAutomatic.push(a.discountId);
      else throw refusalError(a.code, "usage_limit_reached", { scope: outcome.scope });
    }
  } catch (err) {
    await giveBack(env, orderId, taken);
    throw err;
  }
  if (lostAutomatic.length) await giveBack(env, orderId, taken);
  return { taken: lostAutomatic.length ? [] : taken, lostAutomatic };
}

/** Confirms an order's uses once the order is written (unconfirmed ones lapse on their own). */
export async function confirmUses(env: Bindings, orderId: string, discountIds: string[]): Promise<void> {
  await Promise.all(discountIds.map((id) => usesOf(env, id).confirm(orderId)));
}

/** Gives back uses taken for an order. */
export async function giveBack(env: Bindings, orderId: string, discountIds: string[]): Promise<void> {
  await Promise.all(discountIds.map((id) => usesOf(env, id).release(orderId)));
}

/** Gives back every discount use of a cancelled or expired order (once: each is marked in D1 when returned). */
export async function releaseOrderDiscounts(env: Bindings, db: Db, orderId: string, now = new Date()): Promise<number> {
  let released = 0;
  for (const d of await discountsOfOrder(db, orderId)) {
    // Spent points are given back by the loyalty service; no discount object counts them.
    if (d.releasedAt || d.discountId === POINTS_DISCOUNT_ID) continue;
    await usesOf(env, d.discountId).release(orderId);
    await markReleased(db, orderId, d.discountId, now);
    released++;
  }
  if (released) log.info("discount.uses_released", { orderId, released });
  return released;
}
