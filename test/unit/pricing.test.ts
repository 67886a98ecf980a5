import { describe, expect, it } from "vitest";
import { applyBasisPoints, computeQuote, divideHalfUp, includedTax, type MethodRule } from "../../src/domain/pricing";

const methods: MethodRule[] = [
  { id: "std", name: "Standard", rate: { type: "free_over", amount: 500, threshold: 7500 }, minDays: 3, maxDays: 5 },
  {
    id: "exp",
    name: "Express",
    rate: {
      type: "weight",
      bands: [
        { upToGrams: 1000, amount: 1200 },
        { upToGrams: 5000, amount: 1800 },
      ],
    },
    minDays: 1,
    maxDays: 2,
  },
];

describe("pricing", () => {
  it("rounds half up in integers only", () => {
    expect(divideHalfUp(5, 2)).toBe(3);
    expect(divideHalfUp(4, 3)).toBe(1);
    expect(applyBasisPoints(1999, 725)).toBe(145); // 144.93 → 145
    expect(applyBasisPoints(2000, 725)).toBe(145); // 145.0
    expect(includedTax(5997, 1900)).toBe(958); // 957.50… → 958
    expect(includedTax(1500, 1900)).toBe(239); // 239.49… → 239
  });

  it("adds tax per line, rounded per line, and a total that adds up (US style)", () => {
    const q = computeQuote({
      currency: "USD",
      lines: [
        { sku: "A", quantity: 3, unitPrice: 333, weightGrams: 100 },
        { sku: "B", quantity: 1, unitPrice: 1001, weightGrams: 200 },
      ],
      methods,
      tax: { name: "Sales tax", rateBps: 725, inclusive: false, taxShipping: false },
    });
    expect(q.lines.map((l) => l.tax)).toEqual([applyBasisPoints(999, 725), applyBasisPoints(1001, 725)]);
    expect(q.tax).toBe(72 + 73);
    expect(q.shippingMethod?.id).toBe("std");
    expect(q.shipping).toBe(500);
    expect(q.total).toBe(q.subtotal + q.shipping + q.tax);
    expect(q.taxIncluded).toBe(false);
  });

  it("takes the tax out of the prices when they include it (EU style), shipping too", () => {
    const q = computeQuote({
      currency: "EUR",
      lines: [{ sku: "A", quantity: 3, unitPrice: 1999, weightGrams: 0 }],
      methods: [{ id: "eu", name: "Standard", rate: { type: "flat", amount: 1500 }, minDays: null, maxDays: null }],
      tax: { name: "VAT", rateBps: 1900, inclusive: true, taxShipping: true },
    });
    expect(q).toMatchObject({ subtotal: 5997, shipping: 1500, tax: 958 + 239, total: 7497, taxIncluded: true });
  });

  it("offers free shipping over the threshold and prices express by weight band, dropping methods that cannot carry the parcel", () => {
    const light = computeQuote({
      currency: "USD",
      lines: [{ sku: "A", quantity: 8, unitPrice: 1000, weightGrams: 100 }],
      methods,
      tax: undefined,
    });
    expect(light.shippingMethods.map((m) => [m.id, m.amount])).toEqual([
      ["std", 0],
      ["exp", 1200],
    ]);
    const heavy = computeQuote({
      currency: "USD",
      lines: [{ sku: "A", quantity: 2, unitPrice: 1000, weightGrams: 3000 }],
      methods,
      tax: undefined,
    });
    expect(heavy.shippingMethods.map((m) => m.id)).toEqual(["std"]);
    const chosen = computeQuote({
      currency: "USD",
      lines: [{ sku: "A", quantity: 1, unitPrice: 1000, weightGrams: 900 }],
      methods,
      tax: undefined,
      methodId: "exp",
    });
    expect(chosen).toMatchObject({ shipping: 1200, total: 2200 });
    const unknown = computeQuote({
      currency: "USD",
      lines: [{ sku: "A", quantity: 1, unitPrice: 1000, weightGrams: 900 }],
      methods,
      tax: undefined,
      methodId: "nope",
    });
    expect(unknown.shippingMethod).toBeNull();
  });

  it("taxes what is left after discounts, and a shipping discount only touches shipping", () => {
    const q = computeQuote({
      currency: "USD",
      lines: [{ sku: "A", quantity: 1, unitPrice: 10_000, weightGrams: 0 }],
      methods: [{ id: "f", name: "Flat", rate: { type: "flat", amount: 800 }, minDays: null, maxDays: null }],
      tax: { name: "Sales tax", rateBps: 1000, inclusive: false, taxShipping: true },
      lineDiscounts: [1000],
      shippingDiscount: 800,
    });
    expect(q).toMatchObject({
      subtotal: 10_000,
      discount: 1800,
      shipping: 800,
      shippingTax: 0,
      tax: 900,
      total: 10_000 - 1800 + 800 + 900,
    });
  });
});
