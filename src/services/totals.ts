/** Order totals in integer minor units. */
export interface Totals {
  subtotal: number;
  shipping: number;
  tax: number;
  total: number;
}

/** Amounts per country code, `*` for the rest. */
export type RateTable = Record<string, number>;

/** `amount × basisPoints / 10 000`, rounded half up, in integers only. */
export function applyBasisPoints(amount: number, basisPoints: number): number {
  const product = amount * basisPoints;
  const quotient = Math.floor(product / 10_000);
  const remainder = product - quotient * 10_000;
  return remainder * 2 >= 10_000 ? quotient + 1 : quotient;
}

/** Shipping (flat per country, `*` as fallback) and tax (basis points per country) for a subtotal. */
export function computeTotals(subtotal: number, country: string, rates: { shipping: RateTable; tax: RateTable }): Totals {
  const shipping = subtotal === 0 ? 0 : (rates.shipping[country] ?? rates.shipping["*"] ?? 0);
  const tax = applyBasisPoints(subtotal + shipping, rates.tax[country] ?? rates.tax["*"] ?? 0);
  return { subtotal, shipping, tax, total: subtotal + shipping + tax };
}
