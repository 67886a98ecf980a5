import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminApi, connect, expectAccessible, expectNoHorizontalScroll, newContext, shopUrl } from "./shop";

const contexts: BrowserContext[] = [];
afterAll(async () => {
  for (const c of contexts) await c.close();
});

async function open(kind: "desktop" | "phone" | "narrow" = "desktop"): Promise<Page> {
  const context =
    kind === "narrow"
      ? await (await connect()).newContext({ baseURL: shopUrl(), viewport: { width: 320, height: 640 }, isMobile: true, hasTouch: true })
      : await newContext(kind);
  contexts.push(context);
  return context.newPage();
}

const usd = (amount: number) => ({ amount, currency: "USD" });

beforeAll(async () => {
  const lamps = await adminApi<{ id: number }>("/admin/api/categories", {
    method: "POST",
    body: JSON.stringify({ name: "Lamps", slug: "lamps" }),
  });
  const lamp = (title: string, slug: string, variants: { sku: string; finish: string; price: number }[]) =>
    adminApi("/admin/api/products", {
      method: "POST",
      body: JSON.stringify({
        title,
        slug,
        description: `${title}: warm light for long evenings.`,
        status: "published",
        categoryIds: [lamps.id],
        variants: variants.map((v) => ({ sku: v.sku, options: { finish: v.finish }, price: usd(v.price) })),
      }),
    });
  await lamp("Harbour Desk Lamp", "harbour-desk-lamp", [
    { sku: "LAMP-DESK-BRASS", finish: "Brass", price: 4500 },
    { sku: "LAMP-DESK-BLACK", finish: "Black", price: 3900 },
  ]);
  await lamp("Lighthouse Floor Lamp", "lighthouse-floor-lamp", [{ sku: "LAMP-FLOOR-BRASS", finish: "Brass", price: 14_000 }]);
  await lamp("Beacon Clip Lamp", "beacon-clip-lamp", [{ sku: "LAMP-CLIP-WHITE", finish: "White", price: 1900 }]);
  for (const [sku, units] of [
    ["LAMP-DESK-BRASS", 12],
    ["LAMP-DESK-BLACK", 3],
    ["LAMP-FLOOR-BRASS", 12],
    ["LAMP-CLIP-WHITE", 12],
  ] as const) {
    await adminApi(`/admin/api/inventory/${sku}`, { method: "POST", body: JSON.stringify({ set: units, reason: "e2e stock" }) });
  }
});

const gridTitles = (page: Page) => page.locator("ul.grid h2").allTextContents();

describe("a shopper finds and picks products", () => {
  it("filters a category by an option and a price band, each click applying at once", async () => {
    const page = await open();
    await page.goto("/c/lamps");
    expect((await gridTitles(page)).sort()).toEqual(["Beacon Clip Lamp", "Harbour Desk Lamp", "Lighthouse Floor Lamp"]);
    await page.getByText("Filters").click();
    await page.getByRole("checkbox", { name: /Brass \(2\)/ }).check();
    await expect.poll(() => page.url()).toContain("opt=finish%3ABrass");
    expect((await gridTitles(page)).sort()).toEqual(["Harbour Desk Lamp", "Lighthouse Floor Lamp"]);
    await page.getByRole("checkbox", { name: /\$25 – \$50 \(1\)/ }).check();
    await expect.poll(() => page.url()).toContain("price=25-50");
    expect(await gridTitles(page)).toEqual(["Harbour Desk Lamp"]);
    await expectAccessible(page);
    await page.getByRole("link", { name: "Remove filter Finish: Brass" }).click();
    await expect.poll(() => page.url()).not.toContain("opt=");
    expect(await gridTitles(page)).toEqual(["Harbour Desk Lamp"]);
  });

  it("chooses a variant and sees its price and stock, with a URL that keeps the choice", async () => {
    const page = await open("phone");
    await page.goto("/p/harbour-desk-lamp");
    expect(await page.locator(".price").first().textContent()).toBe("$45.00");
    await page.getByRole("link", { name: "Black", exact: true }).click();
    await expect.poll(() => page.url()).toMatch(/\?variant=LAMP-DESK-BLACK#buy$/);
    expect(await page.locator(".price").first().textContent()).toBe("$39.00");
    expect(await page.getByText("Only 3 left").first().isVisible()).toBe(true);
    expect(await page.getByRole("link", { name: "Black", exact: true }).getAttribute("aria-current")).toBe("true");
    await page.reload();
    expect(await page.locator(".price").first().textContent()).toBe("$39.00");
    await expectAccessible(page);
    await expectNoHorizontalScroll(page);
  });

  it("uses search suggestions with the keyboard", async () => {
    const page = await open();
    await page.goto("/");
    const box = page.getByRole("combobox", { name: "Search products" });
    await box.pressSequentially("lighthuose", { delay: 30 });
    const option = page.getByRole("option", { name: /Lighthouse Floor Lamp/ });
    await option.waitFor();
    await expectAccessible(page);
    await box.press("ArrowDown");
    expect(await box.getAttribute("aria-activedescendant")).toBe(await page.getByRole("option").first().getAttribute("id"));
    while ((await option.getAttribute("aria-selected")) !== "true") await box.press("ArrowDown");
    await box.press("Enter");
    await expect.poll(() => page.url()).toMatch(/\/p\/lighthouse-floor-lamp$/);
  });

  it("adds to cart in place and shows the count in the header on every page", async () => {
    const page = await open("phone");
    await page.goto("/p/harbour-desk-lamp");
    await page.getByLabel("Quantity").fill("2");
    await page.getByRole("button", { name: "Add to cart" }).click();
    await expect.poll(() => page.locator("#added").textContent()).toContain("Cart: 2 items, $");
    expect(page.url()).toMatch(/\/p\/harbour-desk-lamp$/);
    expect(await page.locator("[data-cart-count]").textContent()).toBe("2");
    await page.goto("/c/lamps");
    expect(await page.getByRole("link", { name: "Cart, 2 items" }).isVisible()).toBe(true);
    await expectAccessible(page);
  });

  it("fits every page type in 320 and 412 px windows", async () => {
    const paths = [
      "/",
      "/c/lamps?opt=finish:Brass",
      "/p/harbour-desk-lamp",
      "/search?q=lamp",
      "/search?q=nothing-like-this",
      "/cart",
      "/checkout",
      "/no-such-page",
    ];
    for (const kind of ["narrow", "phone"] as const) {
      const page = await open(kind);
      for (const slug of ["beacon-clip-lamp", "lighthouse-floor-lamp"]) {
        await page.goto(`/p/${slug}`);
        await page.getByRole("button", { name: "Add to cart" }).click();
        await expect.poll(() => page.locator("#added").textContent()).toContain("Cart:");
      }
      for (const path of paths) {
        await page.goto(path);
        await expectNoHorizontalScroll(page);
      }
    }
  });
});
