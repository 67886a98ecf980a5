import { describe, expect, it } from "vitest";
import { encodePng } from "../../scripts/png";
import { flashOf, signedIn } from "../helpers/admin-session";
import { makeCategory, makeProduct, unique } from "../helpers/factories";
import { ADMIN, call } from "../helpers/worker";

interface ProductJson {
  id: number;
  slug: string;
  title: string;
  status: string;
  seoTitle: string | null;
  categories: { id: number }[];
  variants: {
    sku: string;
    options: Record<string, string>;
    price: { amount: number };
    compareAtPrice: { amount: number } | null;
    weightGrams: number;
  }[];
  media: { key: string; alt: string }[];
}

const productJson = async (id: number) => (await call(`/admin/api/products/${id}`, { headers: ADMIN })).json<ProductJson>();

/** The form fields of a new product with variant rows. */
function productForm(
  title: string,
  rows: { sku: string; size: string; price: string; compare?: string }[],
  extra: Record<string, string | string[]> = {},
) {
  return {
    title,
    description: "Soft and warm.",
    status: "published",
    option1: "Size",
    option2: "",
    option3: "",
    v_sku: rows.map((r) => r.sku),
    v_existing: rows.map(() => ""),
    v_opt1: rows.map((r) => r.size),
    v_opt2: rows.map(() => ""),
    v_opt3: rows.map(() => ""),
    v_price: rows.map((r) => r.price),
    v_compare: rows.map((r) => r.compare ?? ""),
    v_weight: rows.map(() => "250"),
    ...extra,
  };
}

describe("products in the admin", () => {
  it("creates a product with two variants from decimal prices, and the store shows it at once", async () => {
    const browser = await signedIn("staff");
    const category = await makeCategory();
    const sku = unique("TEE").toUpperCase();
    const res = await browser.post(
      "/admin/products/new",
      productForm(
        "Merino Tee",
        [
          { sku: `${sku}-S`, size: "S", price: "24.50", compare: "30" },
          { sku: `${sku}-M`, size: "M", price: "24,50" },
          { sku: "", size: "", price: "" },
        ],
        { categoryIds: String(category.id), seoTitle: "Merino tee for every day" },
      ),
    );
    expect(res.status).toBe(303);
    const id = Number(/\/admin\/products\/(\d+)$/.exec(res.headers.get("Location") ?? "")?.[1]);
    expect(flashOf(res)?.text).toMatch(/created/i);
    const product = await productJson(id);
    expect(product.variants.map((v) => [v.sku, v.options, v.price.amount, v.compareAtPrice?.amount ?? null, v.weightGrams])).toEqual([
      [`${sku}-S`, { Size: "S" }, 2450, 3000, 250],
      [`${sku}-M`, { Size: "M" }, 2450, null, 250],
    ]);
    expect(product.categories.map((c) => c.id)).toEqual([category.id]);
    const page = await call(`/p/${product.slug}`, { headers: { Accept: "text/html" } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Merino Tee");
    expect(html).toContain("<title>Merino tee for every day");
  });

  it("shows the form again with the typed values and field errors when a price is wrong, creating nothing", async () => {
    const browser = await signedIn("staff");
    const title = unique("Broken price");
    const res = await browser.post(
      "/admin/products/new",
      productForm(title, [{ sku: unique("BAD").toUpperCase(), size: "S", price: "12.345" }]),
    );
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain("Type the price like 19.99.");
    expect(html).toContain(`value="${title}"`);
    const list = await (await call(`/admin/api/products?q=${encodeURIComponent(title)}`, { headers: ADMIN })).json<{ total: number }>();
    expect(list.total).toBe(0);
  });

  it("edits prices, adds and removes variants in one save", async () => {
    const browser = await signedIn("staff");
    const product = await makeProduct();
    const old = product.variants[0]!.sku;
    const added = unique("ADD").toUpperCase();
    const res = await browser.post(`/admin/products/${product.id}`, {
      ...productForm("Renamed", [
        { sku: old, size: "M", price: "31.00" },
        { sku: added, size: "L", price: "33" },
      ]),
      v_existing: ["1", ""],
    });
    expect(res.status, await res.clone().text()).toBe(303);
    let after = await productJson(product.id);
    expect(after.title).toBe("Renamed");
    expect(after.variants.map((v) => [v.sku, v.price.amount])).toEqual([
      [old, 3100],
      [added, 3300],
    ]);
    const removal = await browser.post(`/admin/products/${product.id}`, {
      ...productForm("Renamed", [
        { sku: old, size: "M", price: "31.00" },
        { sku: added, size: "L", price: "33" },
      ]),
      v_existing: ["1", "1"],
      v_remove: old,
    });
    expect(removal.status).toBe(303);
    after = await productJson(product.id);
    expect(after.variants.map((v) => v.sku)).toEqual([added]);
  });

  it("never touches another product's variant from this product's form", async () => {
    const browser = await signedIn("staff");
    const mine = await makeProduct();
    const theirs = await makeProduct();
    const own = mine.variants[0]!.sku;
    const foreign = theirs.variants[0]!.sku;
    const res = await browser.post(`/admin/products/${mine.id}`, {
      ...productForm(mine.title, [
        { sku: own, size: "M", price: "25" },
        { sku: foreign, size: "M", price: "1" },
      ]),
      v_existing: ["1", "1"],
      v_remove: foreign,
    });
    expect(res.status).toBe(400);
    expect((await productJson(theirs.id)).variants.map((v) => [v.sku, v.price.amount])).toEqual([[foreign, 2500]]);
  });

  it("saves nothing of an edit that is refused (a SKU another product uses)", async () => {
    const browser = await signedIn("staff");
    const mine = await makeProduct({ title: "Kept title" });
    const theirs = await makeProduct();
    const res = await browser.post(`/admin/products/${mine.id}`, {
      ...productForm("Changed title", [
        { sku: mine.variants[0]!.sku, size: "M", price: "99" },
        { sku: theirs.variants[0]!.sku, size: "L", price: "30" },
      ]),
      v_existing: ["1", ""],
    });
    expect(res.status).toBe(409);
    const after = await productJson(mine.id);
    expect(after.title).toBe("Kept title");
    expect(after.variants.map((v) => v.price.amount)).toEqual([2500]);
  });

  it("clears a variant's weight when the field is emptied", async () => {
    const browser = await signedIn("staff");
    const product = await makeProduct({
      variants: [{ sku: unique("W").toUpperCase(), price: { amount: 900, currency: "USD" }, weightGrams: 500 }],
    });
    const form = productForm(product.title, [{ sku: product.variants[0]!.sku, size: "", price: "9" }]);
    expect((await browser.post(`/admin/products/${product.id}`, { ...form, v_existing: "1", v_weight: "" })).status).toBe(303);
    expect((await productJson(product.id)).variants[0]?.weightGrams).toBe(0);
  });

  it("empties a variant's stock when the form removes it, so the SKU made again starts from nothing", async () => {
    const browser = await signedIn("staff");
    const product = await makeProduct();
    const keep = product.variants[0]!.sku;
    const gone = unique("GONE").toUpperCase();
    await browser.post(`/admin/products/${product.id}`, {
      ...productForm(product.title, [
        { sku: keep, size: "M", price: "25" },
        { sku: gone, size: "L", price: "26" },
      ]),
      v_existing: ["1", ""],
    });
    await browser.post(`/admin/inventory/${gone}`, { set: "7", reason: "count" });
    const removed = await browser.post(`/admin/products/${product.id}`, {
      ...productForm(product.title, [
        { sku: keep, size: "M", price: "25" },
        { sku: gone, size: "L", price: "26" },
      ]),
      v_existing: ["1", "1"],
      v_remove: gone,
    });
    expect(removed.status).toBe(303);
    await browser.post(`/admin/products/${product.id}`, {
      ...productForm(product.title, [
        { sku: keep, size: "M", price: "25" },
        { sku: gone, size: "L", price: "26" },
      ]),
      v_existing: ["1", ""],
    });
    const stock = await (await call(`/admin/api/inventory/${gone}`, { headers: ADMIN })).json<{ onHand: number }>();
    expect(stock.onHand).toBe(0);
  });

  it("refuses to remove the last variant and says so", async () => {
    const browser = await signedIn("staff");
    const product = await makeProduct();
    const sku = product.variants[0]!.sku;
    const res = await browser.post(`/admin/products/${product.id}`, {
      ...productForm(product.title, [{ sku, size: "M", price: "25" }]),
      v_existing: "1",
      v_remove: sku,
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("at least one variant");
    expect((await productJson(product.id)).variants).toHaveLength(1);
  });

  it("uploads an image with alt text, reorders, and removes images", async () => {
    const browser = await signedIn("staff");
    const product = await makeProduct();
    for (const [i, alt] of ["Front", "Back"].entries()) {
      const form = new FormData();
      form.set("file", new File([await encodePng(64 + i, 64, (x, y) => [x, y, i * 90])], "p.png", { type: "image/png" }));
      form.set("alt", alt);
      const res = await browser.upload(`/admin/products/${product.id}/images/upload`, form);
      expect(res.status).toBe(303);
      expect(flashOf(res)?.kind).toBe("ok");
    }
    let media = (await productJson(product.id)).media;
    expect(media.map((m) => m.alt)).toEqual(["Front", "Back"]);
    const [front, back] = media;
    const reorder = await browser.post(`/admin/products/${product.id}/images`, {
      key: [front!.key, back!.key],
      alt: ["Front side", "Back side"],
      position: ["2", "1"],
    });
    expect(reorder.status).toBe(303);
    media = (await productJson(product.id)).media;
    expect(media.map((m) => m.alt)).toEqual(["Back side", "Front side"]);
    await browser.post(`/admin/products/${product.id}/images`, {
      key: [back!.key, front!.key],
      alt: ["Back side", "Front side"],
      position: ["1", "2"],
      remove: back!.key,
    });
    expect((await productJson(product.id)).media.map((m) => m.key)).toEqual([front!.key]);
    const store = await (await call(`/p/${product.slug}`, { headers: { Accept: "text/html" } })).text();
    expect(store).toContain(front!.key);
  });

  it("refuses a file that is not an image, adding nothing", async () => {
    const browser = await signedIn("staff");
    const product = await makeProduct();
    const form = new FormData();
    form.set("file", new File([new TextEncoder().encode("not an image")], "notes.txt", { type: "text/plain" }));
    const res = await browser.upload(`/admin/products/${product.id}/images/upload`, form);
    expect(res.status).toBe(303);
    expect(flashOf(res)?.kind).toBe("error");
    expect((await productJson(product.id)).media).toEqual([]);
  });

  it("archives a product so it leaves the store", async () => {
    const browser = await signedIn("staff");
    const product = await makeProduct();
    expect((await browser.post(`/admin/products/${product.id}/archive`, {})).status).toBe(303);
    expect((await productJson(product.id)).status).toBe("archived");
    expect((await call(`/p/${product.slug}`, { headers: { Accept: "text/html" } })).status).toBe(404);
  });

  it("lists products filtered by search, status and category", async () => {
    const browser = await signedIn("viewer");
    const category = await makeCategory();
    const word = unique("zebra").replace(/-/g, "");
    const inCat = await makeProduct({ title: `Striped ${word} scarf`, categoryIds: [category.id] });
    await makeProduct({ title: `Striped ${word} hat`, status: "draft" });
    const all = await (await browser.get(`/admin/products?q=${word}`)).text();
    expect(all).toContain(`Striped ${word} scarf`);
    expect(all).toContain(`Striped ${word} hat`);
    const drafts = await (await browser.get(`/admin/products?q=${word}&status=draft`)).text();
    expect(drafts).not.toContain(`Striped ${word} scarf`);
    const byCategory = await (await browser.get(`/admin/products?categoryId=${category.id}`)).text();
    expect(byCategory).toContain(`/admin/products/${inCat.id}`);
    expect(byCategory).not.toContain(`Striped ${word} hat`);
  });
});

describe("categories in the admin", () => {
  it("creates, renames, moves and deletes, keeping the conflict rules", async () => {
    const browser = await signedIn("staff");
    const name = unique("Knitwear");
    expect((await browser.post("/admin/categories", { name, parentId: "" })).status).toBe(303);
    const list = await (await call("/admin/api/categories", { headers: ADMIN })).json<{
      items: { id: number; name: string; parentId: number | null }[];
    }>();
    const created = list.items.find((c) => c.name === name)!;
    const parent = await makeCategory();
    expect((await browser.post(`/admin/categories/${created.id}`, { name: `${name} & more`, parentId: String(parent.id) })).status).toBe(
      303,
    );
    const moved = await (await call(`/admin/api/categories/${created.id}`, { headers: ADMIN })).json<{ name: string; parentId: number }>();
    expect(moved).toMatchObject({ name: `${name} & more`, parentId: parent.id });
    const blocked = await browser.post(`/admin/categories/${parent.id}/delete`, {});
    expect(flashOf(blocked)).toMatchObject({ kind: "error", text: expect.stringContaining("sub-categories") });
    const cycle = await browser.post(`/admin/categories/${parent.id}`, { name: parent.name, parentId: String(created.id) });
    expect(flashOf(cycle)?.kind).toBe("error");
    expect((await browser.post(`/admin/categories/${created.id}/delete`, {})).status).toBe(303);
    expect((await call(`/admin/api/categories/${created.id}`, { headers: ADMIN })).status).toBe(404);
  });
});

describe("inventory in the admin", () => {
  const onHand = async (sku: string) =>
    (await (await call(`/admin/api/inventory/${sku}`, { headers: ADMIN })).json<{ onHand: number }>()).onHand;

  it("sets and adjusts stock with a reason that lands in the ledger", async () => {
    const browser = await signedIn("staff");
    const sku = (await makeProduct()).variants[0]!.sku;
    expect((await browser.post(`/admin/inventory/${sku}`, { set: "12", reason: "count" })).status).toBe(303);
    expect(await onHand(sku)).toBe(12);
    expect((await browser.post(`/admin/inventory/${sku}`, { adjust: "-2", reason: "broken in the stockroom" })).status).toBe(303);
    expect(await onHand(sku)).toBe(10);
    const refused = await browser.post(`/admin/inventory/${sku}`, { adjust: "-3" });
    expect(flashOf(refused)?.kind).toBe("error");
    expect(await onHand(sku)).toBe(10);
    const page = await (await browser.get(`/admin/inventory/${sku}`)).text();
    expect(page).toContain("broken in the stockroom");
    expect(page).toContain(`staff:${browser.email}`);
  });

  async function uploadCsv(browser: Awaited<ReturnType<typeof signedIn>>, csv: string, applyValid = false) {
    const form = new FormData();
    form.set("file", new File([csv], "stock.csv", { type: "text/csv" }));
    if (applyValid) form.set("applyValid", "1");
    return browser.upload("/admin/inventory/import", form);
  }

  it("applies nothing from a CSV with a bad row, and lists the bad rows by line", async () => {
    const browser = await signedIn("staff");
    const a = (await makeProduct()).variants[0]!.sku;
    const b = (await makeProduct()).variants[0]!.sku;
    const res = await uploadCsv(browser, `sku,on_hand\n${a},7\n${b},lots\nNO-SUCH-SKU,3\n`);
    expect(res.status).toBe(409);
    const html = await res.text();
    expect(html).toContain("Nothing was applied");
    expect(html).toMatch(/<td>3<\/td>\s*<td class="wrap">[^<]+<\/td>\s*<td>on_hand must be a whole number/);
    expect(html).toContain("No variant has this SKU.");
    expect(await onHand(a)).toBe(0);
  });

  it("applies every row of a good CSV (set and adjust), or the valid rows when asked", async () => {
    const browser = await signedIn("staff");
    const a = (await makeProduct()).variants[0]!.sku;
    const b = (await makeProduct()).variants[0]!.sku;
    const ok = await uploadCsv(browser, `sku,on_hand\n${a},7\n"${b}",4\n`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain("Applied 2 row(s); 0 refused.");
    expect([await onHand(a), await onHand(b)]).toEqual([7, 4]);
    const mixed = await uploadCsv(browser, `sku,adjust,reason\n${a},5,delivery\n${b},-9,shrinkage\n`, true);
    expect(await mixed.text()).toContain("Applied 1 row(s); 1 refused.");
    expect([await onHand(a), await onHand(b)]).toEqual([12, 4]);
  });

  it("does not apply the same file twice by accident, but will when asked", async () => {
    const browser = await signedIn("staff");
    const a = (await makeProduct()).variants[0]!.sku;
    const csv = `sep=;\nsku;adjust;reason\n${a};3;"delivery;\nsecond pallet"\n`;
    expect((await uploadCsv(browser, csv)).status).toBe(200);
    expect(await onHand(a)).toBe(3);
    const again = await uploadCsv(browser, csv);
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("this same file was applied");
    expect(await onHand(a)).toBe(3);
    const form = new FormData();
    form.set("file", new File([csv], "stock.csv", { type: "text/csv" }));
    form.set("again", "1");
    expect((await browser.upload("/admin/inventory/import", form)).status).toBe(200);
    expect(await onHand(a)).toBe(6);
    const ledger = await (await browser.get(`/admin/inventory/${a}`)).text();
    expect(ledger).toContain("delivery;\nsecond pallet");
  });
});
