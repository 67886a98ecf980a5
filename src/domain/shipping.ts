/** How a shipping method is priced, in minor units of the shop currency. */
export type ShippingRate =
  | { type: "flat"; amount: number }
  | { type: "weight"; bands: { upToGrams: number; amount: number }[] }
  | { type: "free_over"; amount: number; threshold: number };

/** A shipping method as offered for a cart. */
export interface ShippingOption {
  id: string;
  name: string;
  amount: number;
  minDays: number | null;
  maxDays: number | null;
}

/** The price of a method for a parcel, or undefined if the method cannot carry it (over the last weight band). */
export function rateFor(rate: ShippingRate, subtotal: number, weightGrams: number): number | undefined {
  if (rate.type === "flat") return rate.amount;
  if (rate.type === "free_over") return subtotal >= rate.threshold ? 0 : rate.amount;
  const bands = [...rate.bands].sort((a, b) => a.upToGrams - b.upToGrams);
  return bands.find((b) => weightGrams <= b.upToGrams)?.amount;
}

/** Whether a zone's areas cover a destination; how specific the match is (region 2, country 1, rest of world 0). */
export function zoneMatch(areas: readonly string[], country: string, region: string | undefined): number | undefined {
  if (region && areas.includes(`${country}-${region}`)) return 2;
  if (areas.includes(country)) return 1;
  if (areas.includes("*")) return 0;
  return undefined;
}
