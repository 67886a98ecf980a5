import type { Bindings } from "../env";

/** Order totals in integer minor units. */
export interface Totals {
  subtotal: number;
  shipping: number;
  tax: number;
  total: number;
}

type RateTable = Record<string, number>;

function rates(json: string | undefined, name: string): RateTable {
  if (!json) return {};
  const parsed: unknown = JSON.parse(json);
  if (typeof parsed !== "object" || parsed === null) throw new Error(`${name} must be a JSON object`);
  for (const [k, v] of Object.entries(parsed)) {
    if (!Number.isInteger(v) || (v as number) < 0) throw new Error(`${name}.${k} must be a non-negative integer`);
  }
  return parsed as RateTable;
}

/** `amount × basisPoints / 10 000`, rounded half up, in integers only. */
export function applyBasisPoints(amount: number, basisPoints: number): number {
  const product = amount * basisPoints;
  const quotient = Math.floor(product / 10_000);
  const remainder = product - quotient * 10_000;
  return remainder * 2 >= 10_000 ? quotient + 1 : quotient;
}

/** Shipping (flat per country, `*` as fallback) and tax (basis points per country) for a subtotal. */
export function computeTotals(subtotal: number, country: string, env: Pick<Bindings, "SHIPPING_RATES" | "TAX_RATES">): Totals {
  const shippingTable = rates(env.SHIPPING_RATES, "SHIPPING_RATES");
  const taxTable = rates(env.TAX_RATES, "TAX_RATES");
  const shipping = subtotal === 0 ? 0 : (shippingTable[country] ?? shippingTable["*"] ?? 0);
  const tax = applyBasisPoints(subtotal + shipping, taxTable[country] ?? taxTable["*"] ?? 0);
  return { subtotal, shipping, tax, total: subtotal + shipping + tax };
}
