import { describe, expect, it } from "vitest";
import { SKU_PATTERN } from "../../src/domain/ids";
import { parseDecimal } from "../../src/domain/money";
import { permissionFor } from "../../src/domain/staff";
import { parseStockCsv } from "../../src/domain/stock-csv";

describe("typed prices", () => {
  it("reads decimals in the currency's minor units without floating point", () => {
    expect(parseDecimal("19.99", "USD")).toBe(1999);
    expect(parseDecimal("19,9", "EUR")).toBe(1990);
    expect(parseDecimal(" 20 ", "USD")).toBe(2000);
    expect(parseDecimal("0.1", "USD")).toBe(10);
    expect(parseDecimal("1200", "JPY")).toBe(1200);
    expect(parseDecimal("1.234", "BHD")).toBe(1234);
    expect(parseDecimal("4.35", "USD")).toBe(435);
  });

  it("refuses what is not a plain amount in that currency", () => {
    for (const bad of ["", "-1", "1.999", "12.5.1", "abc", "1e3", "$5", "10.5"]) {
      expect(parseDecimal(bad, bad === "10.5" ? "JPY" : "USD"), bad).toBeUndefined();
    }
  });
});

describe("stock CSV", () => {
  it("reads counted figures and adjustments, quoted cells and a byte-order mark", () => {
    const { rows, problems } = parseStockCsv(
      '\uFEFFSKU,On Hand,Adjust,Reason\r\nA-1,7,,\r\n"B-2",,-3,"breakage, shelf 4"\r\n\r\n',
      SKU_PATTERN,
    );
    expect(problems).toEqual([]);
    expect(rows).toEqual([
      { line: 2, sku: "A-1", set: 7 },
      { line: 3, sku: "B-2", adjust: -3, reason: "breakage, shelf 4" },
    ]);
  });

  it("reports every bad row by line, and a missing header", () => {
    const { rows, problems } = parseStockCsv(
      "sku,on_hand,adjust,reason\nA-1,x,,\nbad sku!,1,,\nA-1,2,,\nC-3,,4,\nD-4,1,1,r\nE-5,,,\n",
      SKU_PATTERN,
    );
    expect(rows).toEqual([]);
    expect(problems.map((p) => [p.line, p.problem.slice(0, 20)])).toEqual([
      [2, "on_hand must be a wh"],
      [3, "Not a SKU."],
      [4, "This SKU is listed t"],
      [5, "An adjustment needs "],
      [6, "Give on_hand or adju"],
      [7, "Give on_hand or adju"],
    ]);
    expect(parseStockCsv("code,qty\nA,1\n", SKU_PATTERN).problems[0]?.line).toBe(1);
  });

  it("refuses a SKU listed twice", () => {
    const { rows, problems } = parseStockCsv("sku,on_hand\nA-1,1\nA-1,2\n", SKU_PATTERN);
    expect(rows).toHaveLength(1);
    expect(problems[0]).toMatchObject({ line: 3, problem: "This SKU is listed twice." });
  });
});

describe("admin permissions", () => {
  it("maps pages and API routes to one area each, with creation forms needing write", () => {
    expect(permissionFor("GET", "/admin")).toBe("orders:read");
    expect(permissionFor("GET", "/admin/products")).toBe("catalog:read");
    expect(permissionFor("GET", "/admin/products/new")).toBe("catalog:write");
    expect(permissionFor("POST", "/admin/api/orders/ord_1/refund")).toBe("orders:write");
    expect(permissionFor("GET", "/admin/api/tokens")).toBe("staff:read");
    expect(permissionFor("GET", "/admin/api/unknown-thing")).toBeUndefined();
  });
});
