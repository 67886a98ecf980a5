import { describe, expect, it } from "vitest";
import {
  allocate,
  applyDiscounts,
  CODE_ALPHABET,
  type DiscountLine,
  type DiscountRule,
  generateCode,
  refusal,
} from "../../src/domain/discounts";

const rule = (over: Partial<DiscountRule>): DiscountRule => ({
  id: "dsc_x",
  kind: "percentage",
  value: 10,
  buyQuantity: null,
  getQuantity: null,
  scope: null,
  minimumSubtotal: null,
  startsAt: null,
  endsAt: null,
  firstOrderOnly: false,
  segment: null,
  combinable: false,
  automatic: false,
  ...over,
});

const line = (sku: string, unitPrice: number, quantity = 1, productId = 1, categoryIds: number[] = []): DiscountLine => ({
  sku,
  productId,
  categoryIds,
  unitPrice,
  quantity,
});

describe("discount allocation", () => {
  it("splits 10% of 1001 over three lines so the parts add up exactly", () => {
    const lines = [line("A", 333), line("B", 334), line("C", 334)];
    const { applied } = applyDiscounts([{ rule: rule({}), code: "TEN" }], lines, 0);
    const parts = applied[0]!.effect.lineAmounts;
    expect(parts.reduce((a, b) => a + b, 0)).toBe(100);
    expect(parts).toEqual([33, 34, 33]);
  });

  it("gives leftover units to the largest remainders and never loses one", () => {
    for (const [total, weights] of [
      [7, [1, 1, 1]],
      [100, [3, 3, 3]],
      [1, [5, 5]],
      [999_999_999, [999_999_937, 999_999_929, 7]],
    ] as [number, number[]][]) {
      const parts = allocate(total, weights);
      expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
      expect(parts.every((p) => p >= 0)).toBe(true);
    }
    expect(allocate(7, [1, 1, 1])).toEqual([3, 2, 2]);
  });

  it("limits a discount to its products and categories", () => {
    const lines = [line("A", 1000, 1, 1, [10]), line("B", 1000, 1, 2, [20]), line("C", 1000, 1, 3, [])];
    const { applied } = applyDiscounts(
      [{ rule: rule({ kind: "fixed", value: 300, scope: { categoryIds: [20], productIds: [3] } }), code: null }],
      lines,
      0,
    );
    expect(applied[0]!.effect.lineAmounts).toEqual([0, 150, 150]);
  });

  it("takes buy-2-get-1 at 50% off the cheapest unit of every three", () => {
    const lines = [line("A", 1000, 2), line("B", 400, 2)];
    const { applied } = applyDiscounts(
      [{ rule: rule({ kind: "buy_x_get_y", value: 50, buyQuantity: 2, getQuantity: 1 }), code: "B2G1" }],
      lines,
      0,
    );
    // Units by price: 1000, 1000, 400 | 400 → half of one 400 unit (200) in the first group of three,
    // spread over both lines in proportion (2000 : 800), so each line's refund gives back its share.
    expect(applied[0]!.effect.lineAmounts).toEqual([143, 57]);
    expect(applied[0]!.effect.amount).toBe(200);
  });

  it("keeps only the best non-combinable discount, and every combinable one", () => {
    const lines = [line("A", 5000)];
    const auto = { rule: rule({ id: "dsc_auto", automatic: true, value: 5 }), code: null };
    const code = { rule: rule({ id: "dsc_code", value: 20 }), code: "TWENTY" };
    const ship = { rule: rule({ id: "dsc_ship", kind: "free_shipping", combinable: true }), code: "SHIP" };
    const result = applyDiscounts([auto, code, ship], lines, 500);
    expect(result.applied.map((a) => a.rule.id)).toEqual(["dsc_code", "dsc_ship"]);
    expect(result.notCombined.map((n) => n.rule.id)).toEqual(["dsc_auto"]);
    expect(result.applied[0]!.effect.amount).toBe(1000);
    expect(result.applied[1]!.effect.freeShipping).toBe(true);
  });

  it("stacks combinable discounts on what the ones before left, never below zero", () => {
    const lines = [line("A", 1000)];
    const fixed = { rule: rule({ id: "dsc_a", kind: "fixed", value: 900, combinable: true }), code: "A" };
    const pct = { rule: rule({ id: "dsc_b", value: 50, combinable: true }), code: "B" };
    const { applied } = applyDiscounts([pct, fixed], lines, 0);
    expect(applied.map((a) => a.effect.amount)).toEqual([900, 50]);
    const big = { rule: rule({ id: "dsc_c", kind: "fixed", value: 5000, combinable: true }), code: "C" };
    expect(applyDiscounts([big], lines, 0).applied[0]!.effect.amount).toBe(1000);
  });
});

describe("discount conditions", () => {
  const ctx = { now: new Date("2026-06-01T00:00:00Z"), hasOrdered: false, segment: null };
  it("names why a discount does not apply", () => {
    const lines = [line("A", 1000)];
    expect(refusal(rule({ startsAt: new Date("2026-07-01") }), lines, ctx)).toBe("not_started");
    expect(refusal(rule({ endsAt: new Date("2026-05-01") }), lines, ctx)).toBe("expired");
    expect(refusal(rule({ minimumSubtotal: 1001 }), lines, ctx)).toBe("minimum_not_met");
    expect(refusal(rule({ minimumSubtotal: 1000 }), lines, ctx)).toBeUndefined();
    expect(refusal(rule({ firstOrderOnly: true }), lines, { ...ctx, hasOrdered: true })).toBe("not_applicable");
    expect(refusal(rule({ scope: { productIds: [99] } }), lines, ctx)).toBe("not_applicable");
    expect(refusal(rule({ segment: "champions" }), lines, ctx)).toBe("not_applicable");
    expect(refusal(rule({ segment: "champions" }), lines, { ...ctx, segment: "champions" })).toBeUndefined();
  });
});

describe("generated codes", () => {
  it("uses only unambiguous characters after the prefix, and does not repeat in 10,000", () => {
    const codes = Array.from({ length: 10_000 }, () => generateCode("spring-"));
    expect(new Set(codes).size).toBe(10_000);
    for (const c of codes.slice(0, 200)) {
      expect(c.startsWith("SPRING-")).toBe(true);
      expect([...c.slice(7)].every((ch) => CODE_ALPHABET.includes(ch))).toBe(true);
      expect(c.slice(7)).toHaveLength(10);
    }
    expect(CODE_ALPHABET).not.toMatch(/[01OILS5]/);
  });
});
