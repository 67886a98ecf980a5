import { rateFor, type ShippingOption, type ShippingRate } from "./shipping";

/** `numerator / denominator` rounded half up, for non-negative integers, without floating point. */
export function divideHalfUp(numerator: number, denominator: number): number {
  const quotient = Math.floor(numerator / denominator);
  const remainder = numerator - quotient * denominator;
  return remainder * 2 >= denominator ? quotient + 1 : quotient;
}

/** `amount × basisPoints / 10 000`, rounded half up: tax added on top of a price. */
export const applyBasisPoints = (amount: number, basisPoints: number) => divideHalfUp(amount * basisPoints, 10_000);

/** The tax contained in a price that includes it at `basisPoints`, rounded half up. */
export const includedTax = (gross: number, basisPoints: number) => divideHalfUp(gross * basisPoints, 10_000 + basisPoints);

/** A tax rate as it applies to one destination. */
export interface TaxRule {
  name: string;
  rateBps: number;
  inclusive: boolean;
  taxShipping: boolean;
}

/** A shipping method of the destination's zone. */
export interface MethodRule {
  id: string;
  name: string;
  rate: ShippingRate;
  minDays: number | null;
  maxDays: number | null;
}

/** What a quote is computed from: priced lines, the destination's methods and tax, and any discounts. */
export interface QuoteInput {
  currency: string;
  lines: { sku: string; quantity: number; unitPrice: number; weightGrams: number; giftCard?: boolean }[];
  methods: MethodRule[];
  tax: TaxRule | undefined;
  /** Discount on each line (same order as `lines`) and on shipping, already allocated; minor units. */
  lineDiscounts?: number[];
  shippingDiscount?: number;
  /** A free-shipping discount applies: the chosen method's whole amount is taken off. */
  freeShipping?: boolean;
  /** The method asked for; the cheapest when absent. */
  methodId?: string;
}

export interface QuoteLine {
  sku: string;
  quantity: number;
  unitPrice: number;
  lineTotal: number;
  discount: number;
  tax: number;
  weightGrams: number;
  /** A gift card line (its units issue cards once paid). */
  giftCard?: boolean;
}

/** Totals in integer minor units; `tax` is included in `total` already when `taxIncluded`. */
export interface Quote {
  currency: string;
  lines: QuoteLine[];
  subtotal: number;
  discount: number;
  shipping: number;
  shippingDiscount: number;
  shippingTax: number;
  tax: number;
  total: number;
  taxIncluded: boolean;
  taxName: string | null;
  shippingMethods: ShippingOption[];
  shippingMethod: ShippingOption | null;
}

/**
 * Prices a basket for a destination: each line's discount and tax (rounded half up per line), the
 * methods that can carry the parcel, the chosen (or cheapest) method's shipping and its tax, and
 * totals that add up exactly: total = subtotal − discount + shipping (+ tax when it is added).
 */
export function computeQuote(input: QuoteInput): Quote {
  const rate = input.tax?.rateBps ?? 0;
  const inclusive = input.tax?.inclusive ?? false;
  const taxOf = (net: number) => (inclusive ? includedTax(net, rate) : applyBasisPoints(net, rate));
  const lines: QuoteLine[] = input.lines.map((l, i) => {
    const lineTotal = l.unitPrice * l.quantity;
    const discount = Math.min(lineTotal, input.lineDiscounts?.[i] ?? 0);
    return { ...l, lineTotal, discount, tax: taxOf(lineTotal - discount) };
  });
  const subtotal = lines.reduce((n, l) => n + l.lineTotal, 0);
  const lineDiscount = lines.reduce((n, l) => n + l.discount, 0);
  const weight = lines.reduce((n, l) => n + l.weightGrams * l.quantity, 0);
  const shippingMethods: ShippingOption[] = lines.length
    ? input.methods.flatMap((m) => {
        const amount = rateFor(m.rate, subtotal - lineDiscount, weight);
        return amount === undefined ? [] : [{ id: m.id, name: m.name, amount, minDays: m.minDays, maxDays: m.maxDays }];
      })
    : [];
  const cheapest = [...shippingMethods].sort((a, b) => a.amount - b.amount)[0] ?? null;
  const chosen = input.methodId === undefined ? cheapest : (shippingMethods.find((m) => m.id === input.methodId) ?? null);
  const shipping = chosen?.amount ?? 0;
  const shippingDiscount = input.freeShipping ? shipping : Math.min(shipping, input.shippingDiscount ?? 0);
  const shippingTax = input.tax?.taxShipping ? taxOf(shipping - shippingDiscount) : 0;
  const tax = lines.reduce((n, l) => n + l.tax, 0) + shippingTax;
  const discount = lineDiscount + shippingDiscount;
  const total = subtotal - discount + shipping + (inclusive ? 0 : tax);
  return {
    currency: input.currency,
    lines,
    subtotal,
    discount,
    shipping,
    shippingDiscount,
    shippingTax,
    tax,
    total,
    taxIncluded: inclusive,
    taxName: input.tax?.name ?? null,
    shippingMethods,
    shippingMethod: chosen,
  };
}
