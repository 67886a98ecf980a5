import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createDb } from "../../src/db";
import { markOrderPaid } from "../../src/services/orders";
import { addLine, checkout, makeCategory, makeStockedProduct, unique } from "../helpers/factories";
import { runNamed } from "../helpers/jobs";
import { call, d1Queries } from "../helpers/worker";

async function paidOrder(skus: string[]) {
  const cart = (
    await (await call("/api/carts", { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" })).json<{ id: string }>()
  ).id;
  for (const sku of skus) await addLine(cart, sku);
  const res = await checkout(cart);
  expect(res.status, await res.clone().text()).toBe(201);
  const { orderId } = await res.json<{ orderId: string }>();
  await markOrderPaid(env, createDb(env.DB), orderId, { actor: "test", now: new Date() });
}

async function shelf() {
  const category = await makeCategory({ name: unique("Kitchen") });
  const make = async (name: string) =>
    (await makeStockedProduct(20, { title: `${name} ${unique("r")}`, categoryIds: [category.id] })).product;
  const [kettle, teapot, cups, tray] = [await make("Kettle"), await make("Teapot"), await make("Cups"), await make("Tray")];
  return { kettle, teapot, cups, tray };
}

const sku = (p: { variants: { sku: string }[] }) => p.variants[0]!.sku;
const section = (html: string, heading: string) => {
  const start = html.indexOf(`>${heading}</h2>`);
  return start < 0 ? "" : html.slice(start, html.indexOf("</section>", start));
};
const pairs = async (productId: number) =>
  (
    await env.DB.prepare("select related_id, orders from product_pairs where product_id = ? order by related_id").bind(productId).all<{
      related_id: number;
      orders: number;
    }>()
  ).results;

describe("recommendations", () => {
  it("counts co-purchases once per paid order, however often and in whatever batches the job runs", async () => {
    const { kettle, teapot, cups } = await shelf();
    await paidOrder([sku(kettle), sku(teapot)]);
    await paidOrder([sku(kettle), sku(teapot), sku(cups)]);
    await paidOrder([sku(kettle), sku(cups)]);
    await runNamed("recommendations", new Date(), { JOB_BATCH_SIZE: "1" });
    await runNamed("recommendations", new Date());
    expect(await pairs(kettle.id)).toEqual(
      [
        { related_id: teapot.id, orders: 2 },
        { related_id: cups.id, orders: 2 },
      ].sort((a, b) => a.related_id - b.related_id),
    );
    expect(await pairs(teapot.id)).toEqual(
      [
        { related_id: kettle.id, orders: 2 },
        { related_id: cups.id, orders: 1 },
      ].sort((a, b) => a.related_id - b.related_id),
    );
  });

  it("shows bought-together products by shared orders, and falls back to the category's products without history", async () => {
    const { kettle, teapot, cups, tray } = await shelf();
    await paidOrder([sku(teapot), sku(kettle)]);
    await paidOrder([sku(teapot), sku(kettle)]);
    await paidOrder([sku(teapot), sku(cups)]);
    await runNamed("recommendations", new Date());

    const teapotPage = await (await call(`/p/${teapot.slug}`)).text();
    const together = section(teapotPage, "Frequently bought together");
    expect(together.indexOf(kettle.title)).toBeGreaterThan(0);
    expect(together.indexOf(kettle.title)).toBeLessThan(together.indexOf(cups.title));
    expect(together).not.toContain(tray.title);
    expect(section(teapotPage, "You may also like")).toContain(tray.title);

    const trayPage = await (await call(`/p/${tray.slug}`)).text();
    expect(section(trayPage, "Frequently bought together")).toBe("");
    const also = section(trayPage, "You may also like");
    for (const p of [kettle, teapot, cups]) expect(also).toContain(p.title);
  });

  it("reads nothing extra when the product page is served from the cache", async () => {
    const { kettle, teapot } = await shelf();
    await paidOrder([sku(kettle), sku(teapot)]);
    await runNamed("recommendations", new Date());
    await call(`/p/${kettle.slug}`);
    const again = await call(`/p/${kettle.slug}`);
    expect(again.headers.get("X-Cache")).toBe("hit");
    expect(d1Queries(again)).toBe(0);
    expect(section(await again.text(), "Frequently bought together")).toContain(teapot.title);
  });
});
