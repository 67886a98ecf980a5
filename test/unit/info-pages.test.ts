import { describe, expect, it } from "vitest";
import { defaultInfoPage, INFO_PAGE_SLUGS, infoBlocks } from "../../src/domain/info-pages";

const settings = { shopName: "Tidepool", currency: "EUR", returnWindowDays: 14 };

describe("info page text", () => {
  it("parts paragraphs at blank lines and turns '- ' lines into list items, keeping line breaks inside a paragraph", () => {
    const body = "First line\r\nsecond line\r\n\r\n- one\n-  two\n\n  \nAfter a blank line with spaces\n- tail item\n-no space\n- ";
    expect(infoBlocks(body)).toEqual([
      { kind: "paragraph", lines: ["First line", "second line"] },
      { kind: "list", items: ["one", "two"] },
      { kind: "paragraph", lines: ["After a blank line with spaces"] },
      { kind: "list", items: ["tail item"] },
      { kind: "paragraph", lines: ["-no space", "-"] },
    ]);
  });

  it("keeps markup as text (the view escapes it)", () => {
    expect(infoBlocks("<b>bold</b>\n\n- <script>x</script>")).toEqual([
      { kind: "paragraph", lines: ["<b>bold</b>"] },
      { kind: "list", items: ["<script>x</script>"] },
    ]);
  });

  it("writes each default from the shop settings", () => {
    for (const slug of INFO_PAGE_SLUGS) {
      const page = defaultInfoPage(slug, settings);
      expect(page.title.length).toBeGreaterThan(0);
      expect(infoBlocks(page.body).length).toBeGreaterThan(1);
    }
    expect(defaultInfoPage("shipping", settings).body).toContain("Prices are in EUR.");
    expect(defaultInfoPage("returns", settings).body).toContain("within 14 days of delivery");
    expect(defaultInfoPage("returns", { ...settings, returnWindowDays: 1 }).body).toContain("within 1 day of delivery");
    expect(defaultInfoPage("returns", { ...settings, returnWindowDays: 0 }).body).toContain("Tidepool does not take returns");
    expect(defaultInfoPage("terms", { ...settings, returnWindowDays: 0 }).body).toContain("We do not take returns");
    expect(defaultInfoPage("contact", settings).body).toContain("The Tidepool team");
  });
});
