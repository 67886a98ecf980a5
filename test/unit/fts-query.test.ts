import { describe, expect, it } from "vitest";
import { ftsQuery } from "../../src/services/catalog-query";
import { slugify } from "../../src/slug";

describe("ftsQuery", () => {
  it("turns words into quoted prefix terms that must all match", () => {
    expect(ftsQuery("Merino hood")).toBe('"merino"* "hood"*');
  });

  it("drops FTS operators and punctuation", () => {
    expect(ftsQuery('"a" OR b* NEAR(c)')).toBe('"a"* "or"* "b"* "near"* "c"*');
    expect(ftsQuery("-- ** ()")).toBeUndefined();
  });

  it("keeps letters of any script and caps the number of words", () => {
    expect(ftsQuery("Crème brûlée")).toBe('"crème"* "brûlée"*');
    expect(ftsQuery("a b c d e f g h i j k")?.split(" ")).toHaveLength(8);
  });
});

describe("slugify", () => {
  it("makes ASCII slugs from titles", () => {
    expect(slugify("Crème Brûlée Mug")).toBe("creme-brulee-mug");
    expect(slugify("  --Hello, World!--  ")).toBe("hello-world");
    expect(slugify("日本")).toBe("item");
  });
});
