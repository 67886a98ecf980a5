import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { makeProduct, makeStockedProduct } from "../helpers/factories";
import { ADMIN, call, callJson, VIEWER } from "../helpers/worker";

describe("admin inventory", () => {
  it("sets and adjusts stock through the SKU's object, with a ledger", async () => {
    const product = await makeProduct();
    const sku = product.variants[0]!.sku;
    const set = await callJson(`/admin/api/inventory/${sku}`, "POST", { set: 20, reason: "cycle count" });
    expect(set.status).toBe(200);
    expect(await set.json()).toMatchObject({ sku, onHand: 20, available: 20 });
    const adjusted = await callJson(`/admin/api/inventory/${sku}`, "POST", { adjust: -3, reason: "damaged in transit" });
    expect(await adjusted.json()).toMatchObject({ onHand: 17 });
    const view = await (await call(`/admin/api/inventory/${sku}`, { headers: ADMIN })).json<{
      onHand: number;
      ledger: { kind: string; reason: string }[];
    }>();
    expect(view.onHand).toBe(17);
    expect(view.ledger[0]).toMatchObject({ kind: "adjust", reason: "damaged in transit (token:admin)" });
  });

  it("shows the new stock state on the next product page request", async () => {
    const { product, sku } = await makeStockedProduct(50);
    expect(await (await call(`/p/${product.slug}`)).text()).toContain("In stock");
    await callJson(`/admin/api/inventory/${sku}`, "POST", { set: 2 });
    expect(await (await call(`/p/${product.slug}`)).text()).toContain("Only 2 left");
    await callJson(`/admin/api/inventory/${sku}`, "POST", { set: 0 });
    const page = await (await call(`/p/${product.slug}`)).text();
    expect(page).toContain("Sold out");
    expect(page).toContain("https://schema.org/OutOfStock");
  });

  it("refuses to go below reserved stock (409) and bad bodies (400), changing nothing", async () => {
    const { sku } = await makeStockedProduct(5);
    await env.INVENTORY.getByName(sku).reserve("held-by-test", 4, 60_000);
    const below = await callJson(`/admin/api/inventory/${sku}`, "POST", { set: 3 });
    expect(below.status).toBe(409);
    expect(await below.json()).toMatchObject({ code: "below_reserved" });
    for (const body of [{}, { set: -1 }, { adjust: 2 }, { adjust: 0, reason: "x" }, { set: 1, adjust: 1, reason: "x" }, { set: 1.5 }]) {
      expect((await callJson(`/admin/api/inventory/${sku}`, "POST", body)).status, JSON.stringify(body)).toBe(400);
    }
    expect((await env.INVENTORY.getByName(sku).snapshot()).onHand).toBe(5);
  });

  it("answers 404 for unknown SKUs and 403 to the read-only token's writes", async () => {
    expect((await call("/admin/api/inventory/NO-SUCH-SKU", { headers: ADMIN })).status).toBe(404);
    const { sku } = await makeStockedProduct(5);
    expect((await call(`/admin/api/inventory/${sku}`, { headers: VIEWER })).status).toBe(200);
    expect((await callJson(`/admin/api/inventory/${sku}`, "POST", { set: 9 }, VIEWER)).status).toBe(403);
  });
});
