import { describe, expect, it } from "vitest";
import { currencyExponent, formatMoney, toDecimalString } from "../../src/domain/money";

describe("money", () => {
  it("renders minor units as exact decimals per currency exponent", () => {
    expect(toDecimalString({ amount: 1999, currency: "USD" })).toBe("19.99");
    expect(toDecimalString({ amount: 5, currency: "USD" })).toBe("0.05");
    expect(toDecimalString({ amount: 1999, currency: "JPY" })).toBe("1999");
    expect(toDecimalString({ amount: 12345, currency: "BHD" })).toBe("12.345");
    expect(toDecimalString({ amount: -250, currency: "EUR" })).toBe("-2.50");
    expect(toDecimalString({ amount: 900719925474099, currency: "USD" })).toBe("9007199254740.99");
  });

  it("formats for display in the shop locale", () => {
    expect(formatMoney({ amount: 123456, currency: "USD" }, "en-US")).toBe("$1,234.56");
    expect(formatMoney({ amount: 500, currency: "JPY" }, "en-US")).toBe("¥500");
  });

  it("knows currency exponents", () => {
    expect(currencyExponent("USD")).toBe(2);
    expect(currencyExponent("JPY")).toBe(0);
  });
});
