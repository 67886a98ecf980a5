import { describe, expect, it } from "vitest";
import { planSearch, Vocabulary } from "../../src/domain/search-text";

describe("search plans", () => {
  it("joins a corrected word after another with an explicit AND, as FTS5 needs before a group", () => {
    const plan = planSearch("mug teapoot", new Vocabulary(["mug", "teapot"]));
    expect(plan?.match).toBe('"mug"* AND ("teapoot"* OR "teapot"*)');
    expect(plan?.corrected).toEqual([{ from: "teapoot", to: "teapot" }]);
    expect(planSearch("teapoot mug", new Vocabulary(["mug", "teapot"]))?.match).toBe('("teapoot"* OR "teapot"*) AND "mug"*');
    expect(planSearch("blue mug")?.match).toBe('"blue"* "mug"*');
  });
});
