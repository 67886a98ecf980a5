import { divideHalfUp } from "./pricing";

export const DISCOUNT_KINDS = ["percentage", "fixed", "free_shipping", "buy_x_get_y"] as const;
export type DiscountKind = (typeof DISCOUNT_KINDS)[number];

/** Why a discount does not apply (the contract's refusal codes). */
export type DiscountRefusal = "expired" | "not_started" | "minimum_not_met" | "usage_limit_reached" | "not_applicable";

/** A discount's rules as pricing reads them (money in minor units of the shop currency). */
export interface DiscountRule {
  id: string;
  kind: DiscountKind;
  /** Whole percent (percentage, buy X get Y) or minor units (fixed); unused for free shipping. */
  value: number;
  /** Buy X get Y: units to buy, and units that get `value` percent off. */
  buyQuantity: number | null;
  getQuantity: number | null;
  /** Products and categories it is limited to; null for the whole order. */
  scope: { productIds?: number[]; categoryIds?: number[] } | null;
  minimumSubtotal: number | null;
  startsAt: Date | null;
  endsAt: Date | null;
  firstOrderOnly: boolean;
  /** A customer segment it is limited to (checked by the caller, who knows the customer). */
  segment: string | null;
  combinable: boolean;
  automatic: boolean;
}

/** A cart line as discounts see it. */
export interface DiscountLine {
  sku: string;
  productId: number;
  categoryIds: number[];
  unitPrice: number;
  quantity: number;
}

/** What a discount does to a basket: per line (same order as the lines) and whether shipping is free. */
export interface DiscountEffect {
  lineAmounts: number[];
  freeShipping: boolean;
  /** The line part of it (shipping's part is known once a method is chosen). */
  amount: number;
}

/**
 * Splits `total` over `weights` in proportion, in whole units that add up to exactly `total`: each part
 * rounded down, then the units left over go to the largest remainders (earlier lines win ties).
 */
export function allocate(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0 || total <= 0) return weights.map(() => 0);
  // Exact integer arithmetic: total × weight can pass 2^53 for large baskets.
  const t = BigInt(total);
  const s = BigInt(sum);
  const parts = weights.map((w) => Number((t * BigInt(w)) / s));
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = weights
    .map((w, i) => ({ i, rest: (t * BigInt(w)) % s }))
    .sort((a, b) => (a.rest === b.rest ? a.i - b.i : a.rest > b.rest ? -1 : 1));
  for (const { i } of order) {
    if (left <= 0) break;
    parts[i] = (parts[i] ?? 0) + 1;
    left--;
  }
  return parts;
}

/** Whether a line is in a discount's scope. */
export function inScope(rule: Pick<DiscountRule, "scope">, line: DiscountLine): boolean {
  if (!rule.scope) return true;
  const products = rule.scope.productIds ?? [];
  const categories = rule.scope.categoryIds ?? [];
  if (!products.length && !categories.length) return true;
  return products.includes(line.productId) || line.categoryIds.some((c) => categories.includes(c));
}

/** Why a discount cannot apply now to this basket and shopper, if it cannot. */
export function refusal(
  rule: DiscountRule,
  lines: DiscountLine[],
  ctx: { now: Date; hasOrdered: boolean; segment: string | null },
): DiscountRefusal | undefined {
  if (rule.startsAt && ctx.now < rule.startsAt) return "not_started";
  if (rule.endsAt && ctx.now >= rule.endsAt) return "expired";
  const subtotal = lines.reduce((n, l) => n + l.unitPrice * l.quantity, 0);
  if (rule.minimumSubtotal !== null && subtotal < rule.minimumSubtotal) return "minimum_not_met";
  if (rule.firstOrderOnly && ctx.hasOrdered) return "not_applicable";
  if (rule.segment && rule.segment !== ctx.segment) return "not_applicable";
  if (!lines.some((l) => inScope(rule, l))) return "not_applicable";
  if (rule.kind === "buy_x_get_y") {
    const units = lines.filter((l) => inScope(rule, l)).reduce((n, l) => n + l.quantity, 0);
    if (units < (rule.buyQuantity ?? 1) + (rule.getQuantity ?? 1)) return "not_applicable";
  }
  return undefined;
}

/**
 * What a discount takes off lines whose amounts are `remaining` (after discounts applied before it):
 * percentage and fixed amounts are split over the lines in scope (largest remainder, so the parts add
 * up exactly); buy X get Y is worth `value` percent of the cheapest Y of every X + Y units in scope,
 * split the same way.
 */
export function effectOf(rule: DiscountRule, lines: DiscountLine[], remaining: number[]): DiscountEffect {
  const weights = lines.map((l, i) => (inScope(rule, l) ? (remaining[i] ?? 0) : 0));
  const base = weights.reduce((a, b) => a + b, 0);
  let lineAmounts = lines.map(() => 0);
  if (rule.kind === "percentage") lineAmounts = allocate(divideHalfUp(base * Math.min(100, rule.value), 100), weights);
  if (rule.kind === "fixed") lineAmounts = allocate(Math.min(base, rule.value), weights);
  if (rule.kind === "buy_x_get_y") {
    // What the free (or cheaper) units are worth, spread over the lines in scope like any other
    // discount: refunding the bought units alone then gives back only what was paid for them.
    const group = (rule.buyQuantity ?? 1) + (rule.getQuantity ?? 1);
    const units = lines
      .flatMap((l, i) => (inScope(rule, l) ? Array.from({ length: l.quantity }, () => ({ i, price: l.unitPrice })) : []))
      .sort((a, b) => b.price - a.price || a.i - b.i);
    const worth = units.reduce(
      (sum, u, k) => (k % group >= group - (rule.getQuantity ?? 1) ? sum + divideHalfUp(u.price * Math.min(100, rule.value), 100) : sum),
      0,
    );
    lineAmounts = allocate(Math.min(worth, base), weights);
  }
  return { lineAmounts, freeShipping: rule.kind === "free_shipping", amount: lineAmounts.reduce((a, b) => a + b, 0) };
}

/** One applied discount: which, by which code (none when automatic), and its effect. */
export interface AppliedDiscount {
  rule: DiscountRule;
  code: string | null;
  effect: DiscountEffect;
}

/**
 * Applies discounts in turn, each to what the ones before left: combinable ones all apply; of the
 * others only one, the one worth most (free shipping counts as worth `shippingEstimate`). Lines never
 * go below zero. Returns the applied ones and the ones dropped for not combining.
 */
export function applyDiscounts(
  candidates: { rule: DiscountRule; code: string | null }[],
  lines: DiscountLine[],
  shippingEstimate: number,
): { applied: AppliedDiscount[]; notCombined: { rule: DiscountRule; code: string | null }[] } {
  const full = lines.map((l) => l.unitPrice * l.quantity);
  const worth = (c: { rule: DiscountRule }) => {
    const e = effectOf(c.rule, lines, full);
    return e.amount + (e.freeShipping ? shippingEstimate : 0);
  };
  const exclusive = candidates
    .filter((c) => !c.rule.combinable)
    .sort((a, b) => worth(b) - worth(a) || Number(a.rule.automatic) - Number(b.rule.automatic));
  const chosen = [...exclusive.slice(0, 1), ...candidates.filter((c) => c.rule.combinable)];
  // Fixed amounts before percentages keep the result independent of the order codes were entered in.
  const rank: Record<DiscountKind, number> = { buy_x_get_y: 0, fixed: 1, percentage: 2, free_shipping: 3 };
  chosen.sort((a, b) => rank[a.rule.kind] - rank[b.rule.kind] || a.rule.id.localeCompare(b.rule.id));
  const remaining = [...full];
  const applied: AppliedDiscount[] = [];
  for (const c of chosen) {
    const effect = effectOf(c.rule, lines, remaining);
    effect.lineAmounts.forEach((a, i) => {
      remaining[i] = (remaining[i] ?? 0) - a;
    });
    applied.push({ ...c, effect });
  }
  return { applied, notCombined: exclusive.slice(1) };
}

/** A discount code as stored and compared: trimmed, upper-case. */
export const normaliseCode = (code: string) => code.trim().toUpperCase();

/** Characters of generated codes: no 0/O, 1/I/L or 5/S look-alikes. */
export const CODE_ALPHABET = "ABCDEFGHJKMNPQRTUVWXYZ2346789";

/** A random code of `length` characters from the alphabet (unbiased), after an optional prefix. */
export function generateCode(prefix: string, length = 10): string {
  const out: string[] = [];
  const max = 256 - (256 % CODE_ALPHABET.length);
  while (out.length < length) {
    for (const b of crypto.getRandomValues(new Uint8Array(length * 2))) {
      if (b < max && out.length < length) out.push(CODE_ALPHABET[b % CODE_ALPHABET.length] as string);
    }
  }
  return `${normaliseCode(prefix)}${out.join("")}`;
}
