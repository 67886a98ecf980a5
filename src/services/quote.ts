import { REGIONS, regionCode } from "../countries";
import type { Db } from "../db";
import { variantFacts } from "../db/catalog-store";
import { taxRowsFor, zonesWithMethods } from "../db/shipping-store";
import type { Money } from "../domain/money";
import { computeQuote, type Quote, type TaxRule } from "../domain/pricing";
import { zoneMatch } from "../domain/shipping";
import { invalid } from "../errors";

/** Where an order goes; region is a state or province code (`CA`). */
export interface Destination {
  country: string;
  region?: string;
  postalCode?: string;
}

/** Priced lines to quote (from the cart, re-priced from the catalog). */
export interface QuoteLines {
  currency: string;
  lines: { sku: string; quantity: number; unitPrice: number }[];
}

export interface QuoteOptions {
  /** The method the shopper chose; the cheapest when absent. An unavailable one is refused, naming it. */
  methodId?: string;
  lineDiscounts?: number[];
  shippingDiscount?: number;
  freeShipping?: boolean;
  /** How the caller names the inputs, for per-field errors (a query string or a checkout body). */
  fields?: { in: "query" | "json" | "form"; country: string; region: string; method: string };
}

const BODY_FIELDS = { in: "json" as const, country: "shippingAddress.country", region: "shippingAddress.region", method: "shippingMethod" };

/** The zone that covers a destination most specifically (region over country over the rest of the world). */
async function methodsFor(db: Db, destination: Destination) {
  const zones = await zonesWithMethods(db);
  let best: { match: number; zone: (typeof zones)[number] } | undefined;
  for (const zone of zones) {
    const match = zoneMatch(zone.areas, destination.country, destination.region);
    if (match !== undefined && (!best || match > best.match)) best = { match, zone };
  }
  return (best?.zone.methods ?? [])
    .filter((m) => m.active)
    .map((m) => ({ id: m.id, name: m.name, rate: m.rate, minDays: m.minDays, maxDays: m.maxDays }));
}

async function taxFor(db: Db, destination: Destination, fields: NonNullable<QuoteOptions["fields"]>): Promise<TaxRule | undefined> {
  const rows = await taxRowsFor(db, destination.country);
  if (!destination.region && rows.some((r) => r.region !== "*")) {
    throw invalid("region_required", `Tax in ${destination.country} depends on the state or region; give its code.`, [
      { field: fields.region, in: fields.in, message: "Choose a state or region." },
    ]);
  }
  const row = rows.find((r) => r.region === destination.region) ?? rows.find((r) => r.region === "*");
  return row && { name: row.name, rateBps: row.rateBps, inclusive: row.inclusive, taxShipping: row.taxShipping };
}

/** Subtotal, shipping per available method, discount, tax and total for lines sent to a destination. */
export async function quote(db: Db, basket: QuoteLines, to: Destination, options: QuoteOptions = {}): Promise<Quote> {
  const fields = options.fields ?? BODY_FIELDS;
  const destination = { ...to, region: regionCode(to.country, to.region) };
  if (destination.region && REGIONS[destination.country] && !Object.hasOwn(REGIONS[destination.country] ?? {}, destination.region)) {
    throw invalid("region_invalid", `'${to.region}' is not a state or province of ${destination.country}.`, [
      { field: fields.region, in: fields.in, message: "Choose a state or province from the list." },
    ]);
  }
  const [facts, methods, tax] = await Promise.all([
    variantFacts(
      db,
      basket.lines.map((l) => l.sku),
    ),
    methodsFor(db, destination),
    taxFor(db, destination, fields),
  ]);
  const result = computeQuote({
    currency: basket.currency,
    lines: basket.lines.map((l) => ({
      ...l,
      weightGrams: facts.get(l.sku)?.weightGrams ?? 0,
      giftCard: facts.get(l.sku)?.giftCard ?? false,
    })),
    methods,
    tax,
    methodId: options.methodId,
    lineDiscounts: options.lineDiscounts,
    shippingDiscount: options.shippingDiscount,
    freeShipping: options.freeShipping,
  });
  if (basket.lines.length && !result.shippingMethods.length) {
    throw invalid("shipping_unavailable", `We do not ship to ${destination.country} yet.`, [
      { field: fields.country, in: fields.in, message: "No shipping to this country." },
    ]);
  }
  if (options.methodId !== undefined && !result.shippingMethod) {
    throw invalid(
      "shipping_method_unavailable",
      `Shipping method '${options.methodId}' is not available for this address; choose one of ${result.shippingMethods.map((m) => m.id).join(", ")}.`,
      [{ field: fields.method, in: fields.in, message: `'${options.methodId}' is not available here.` }],
      { available: result.shippingMethods.map((m) => m.id) },
    );
  }
  return result;
}

/** A discount as a quote, cart or order lists it: the code (null when automatic), its name and what it took off. */
export interface DiscountLineView {
  code: string | null;
  title: string;
  amount: number;
}

/** A quote as clients see it: every amount a money object. */
export function quoteView(q: Quote, discounts: DiscountLineView[] = []) {
  const money = (amount: number): Money => ({ amount, currency: q.currency });
  return {
    subtotal: money(q.subtotal),
    discount: money(q.discount),
    discounts: discounts.map((d) => ({ code: d.code, title: d.title, amount: money(d.amount) })),
    shipping: money(q.shipping),
    tax: money(q.tax),
    total: money(q.total),
    taxIncluded: q.taxIncluded,
    taxName: q.taxName,
    shippingMethod: q.shippingMethod?.id ?? null,
    shippingMethods: q.shippingMethods.map((m) => ({
      id: m.id,
      name: m.name,
      amount: money(m.amount),
      minDays: m.minDays,
      maxDays: m.maxDays,
    })),
    lines: q.lines.map((l) => ({
      sku: l.sku,
      quantity: l.quantity,
      lineTotal: money(l.lineTotal),
      discount: money(l.discount),
      tax: money(l.tax),
    })),
  };
}
