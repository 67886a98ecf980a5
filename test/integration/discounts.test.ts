import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { addLine, checkout, checkoutBody, makeCart, makeCategory, makeStockedProduct, setStock, unique } from "../helpers/factories";
import { inMinutes, runNamed } from "../helpers/jobs";
import { payOrder } from "../helpers/queues";
import { ADMIN, call, callJson, VIEWER } from "../helpers/worker";

afterEach(() => vi.restoreAllMocks());

const US_OREGON = { ...checkoutBody().shippingAddress, country: "US", region: "OR", postalCode: "97201" };

async function discount(body: Record<string, unknown>) {
  const res = await callJson("/admin/api/discounts", "POST", body);
  expect(res.status, await res.clone().text()).toBe(201);
  return res.json<{ id: string; codes: string[] }>();
}

async function cartWith(lines: [string, number][]) {
  const cart = await makeCart();
  for (const [sku, qty] of lines) await addLine(cart, sku, qty);
  return cart;
}

const apply = (cart: string, code: string) => callJson(`/api/carts/${cart}/discounts`, "POST", { code }, {});
const order = async (id: string) =>
  (await call(`/admin/api/orders/${id}`, { headers: ADMIN })).json<
    Record<string, unknown> & {
      lines: { sku: string; discount: { amount: number }; tax: { amount: number }; lineTotal: { amount: number } }[];
    }
  >();

describe("discount codes in the cart", () => {
  it("applies a code in any case, lists it with its amount, and takes tax after the discount", async () => {
    const { sku } = await makeStockedProduct(10, {
      variants: [{ sku: unique("PCT").toUpperCase(), price: { amount: 2000, currency: "USD" } }],
    });
    const code = unique("save")
      .toUpperCase()
      .replace(/[^A-Z0-9]/g, "");
    const created = await discount({ kind: "percentage", value: 25, code });
    expect(created.codes).toEqual([code]);
    const cart = await cartWith([[sku, 2]]);
    const applied = await apply(cart, code.toLowerCase());
    expect(applied.status, await applied.clone().text()).toBe(200);
    expect(await applied.json()).toMatchObject({
      codes: [code],
      discount: { amount: 1000 },
      discounts: [{ code, amount: { amount: 1000, currency: "USD" } }],
    });
    // Germany: prices include 19 % VAT, charged on what is paid after the discount.
    const q = await (await call(`/api/carts/${cart}/quote?country=DE`)).json<
      { [k in "discount" | "tax" | "total" | "shipping"]: { amount: number } } & { discounts: unknown[] }
    >();
    expect(q.discount.amount).toBe(1000);
    expect(q.discounts).toEqual([{ code, title: expect.any(String), amount: { amount: 1000, currency: "USD" } }]);
    expect(q.tax.amount).toBe(Math.round((3000 * 19) / 119) + Math.round((q.shipping.amount * 19) / 119));
    expect(q.total.amount).toBe(3000 + q.shipping.amount);
    const removed = await callJson(`/api/carts/${cart}/discounts`, "DELETE", { code }, {});
    expect(await removed.json()).toMatchObject({ codes: [], discounts: [] });
  });

  it("says why a code does not apply, and changes nothing", async () => {
    const { product, sku } = await makeStockedProduct(10, {
      variants: [{ sku: unique("WHY").toUpperCase(), price: { amount: 1000, currency: "USD" } }],
    });
    const cart = await cartWith([[sku, 1]]);
    const day = 86_400_000;
    const cases: [Record<string, unknown>, number, string][] = [
      [{ endsAt: new Date(Date.now() - day).toISOString(), startsAt: new Date(Date.now() - 2 * day).toISOString() }, 422, "expired"],
      [{ startsAt: new Date(Date.now() + day).toISOString() }, 422, "not_started"],
      [{ minimumSubtotal: 5000 }, 422, "minimum_not_met"],
      [{ productIds: [product.id + 100_000] }, 422, "not_applicable"],
    ];
    for (const [extra, status, reason] of cases) {
      const code = unique("c").replace(/[^a-z0-9]/g, "");
      await discount({ kind: "percentage", value: 10, code, ...extra });
      const res = await apply(cart, code);
      expect(res.status, reason).toBe(status);
      expect(await res.json()).toMatchObject({ code: reason });
    }
    const unknown = await apply(cart, "NO-SUCH-CODE");
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: "unknown_code" });
    const shipOnly = unique("shipscope").replace(/[^a-z0-9]/g, "");
    await discount({ kind: "free_shipping", code: shipOnly, productIds: [product.id + 100_000] });
    expect(await (await apply(cart, shipOnly)).json()).toMatchObject({ code: "not_applicable" });
    const bad = await apply(cart, "");
    expect(bad.status).toBe(400);
    expect(await (await call(`/api/carts/${cart}`)).json()).toMatchObject({ codes: [], discounts: [] });
  });

  it("splits 10% of 1001 over three lines exactly, in the order and in a partial refund", async () => {
    const skus = [];
    for (const price of [333, 334, 334])
      skus.push(
        (await makeStockedProduct(5, { variants: [{ sku: unique("ALC").toUpperCase(), price: { amount: price, currency: "USD" } }] })).sku,
      );
    const code = unique("ten").replace(/[^a-z0-9]/g, "");
    await discount({ kind: "percentage", value: 10, code });
    const cart = await cartWith(skus.map((s) => [s, 1] as [string, number]));
    await apply(cart, code);
    const res = await checkout(cart, crypto.randomUUID(), checkoutBody({ shippingAddress: US_OREGON }));
    expect(res.status, await res.clone().text()).toBe(201);
    const placed = await res.json<{ orderId: string; payment: { id: string }; discount: { amount: number } }>();
    expect(placed.discount.amount).toBe(100);
    const o = await order(placed.orderId);
    expect(o.lines.map((l) => l.discount.amount)).toEqual([33, 34, 33]);
    expect(o).toMatchObject({ discounts: [{ code: code.toUpperCase(), amount: { amount: 100 } }] });
    await payOrder(placed.orderId, placed.payment.id);
    // Refunding the 334 line gives back what was paid for it: 334 − 34.
    const refund = await callJson(`/admin/api/orders/${placed.orderId}/refund`, "POST", {
      lines: [{ sku: skus[1], quantity: 1 }],
      reason: "broken",
    });
    expect(refund.status, await refund.clone().text()).toBe(201);
    expect(await refund.json()).toMatchObject({ refund: { amount: { amount: 300 } } });
  });

  it("takes shipping off with a free-shipping code, and only shipping", async () => {
    const { sku } = await makeStockedProduct(5, {
      variants: [{ sku: unique("SHP").toUpperCase(), price: { amount: 4000, currency: "USD" } }],
    });
    const code = unique("ship").replace(/[^a-z0-9]/g, "");
    await discount({ kind: "free_shipping", value: 0, code, combinable: true });
    const cart = await cartWith([[sku, 1]]);
    await apply(cart, code);
    const q = await (await call(`/api/carts/${cart}/quote?country=US&region=OR`)).json<
      { [k in "discount" | "total" | "shipping"]: { amount: number } } & {
        discounts: { amount: { amount: number } }[];
        lines: { discount: { amount: number } }[];
      }
    >();
    expect(q.shipping.amount).toBeGreaterThan(0);
    expect(q.discount.amount).toBe(q.shipping.amount);
    expect(q.discounts[0]!.amount.amount).toBe(q.shipping.amount);
    expect(q.lines[0]!.discount.amount).toBe(0);
    expect(q.total.amount).toBe(4000);
  });

  it("combines an automatic discount with codes: one non-combinable at most, the better one", async () => {
    const category = await makeCategory();
    const { sku } = await makeStockedProduct(10, {
      categoryIds: [category.id],
      variants: [{ sku: unique("CMB").toUpperCase(), price: { amount: 10_000, currency: "USD" } }],
    });
    await discount({ kind: "percentage", value: 5, automatic: true, categoryIds: [category.id], title: "Category sale" });
    const cart = await cartWith([[sku, 1]]);
    expect(await (await call(`/api/carts/${cart}`)).json()).toMatchObject({
      discounts: [{ code: null, title: "Category sale", amount: { amount: 500 } }],
    });
    const worse = unique("worse").replace(/[^a-z0-9]/g, "");
    await discount({ kind: "fixed", value: 100, code: worse });
    const refused = await apply(cart, worse);
    expect(refused.status).toBe(422);
    expect(await refused.json()).toMatchObject({ code: "not_applicable" });
    const better = unique("better").replace(/[^a-z0-9]/g, "");
    await discount({ kind: "percentage", value: 20, code: better });
    const stacked = unique("stack").replace(/[^a-z0-9]/g, "");
    await discount({ kind: "fixed", value: 1000, code: stacked, combinable: true });
    expect((await apply(cart, better)).status).toBe(200);
    const both = await apply(cart, stacked);
    // The combinable 10.00 first, then 20 % of the 90.00 left; the automatic 5 % gives way.
    expect(await both.json()).toMatchObject({
      discount: { amount: 1000 + 1800 },
      discounts: [
        { code: stacked.toUpperCase(), amount: { amount: 1000 } },
        { code: better.toUpperCase(), amount: { amount: 1800 } },
      ],
    });
  });
});

describe("discount limits", () => {
  it("lets exactly 100 of 1,000 concurrent checkouts use a code limited to 100", async () => {
    const { sku } = await makeStockedProduct(2000, {
      variants: [{ sku: unique("RUSH").toUpperCase(), price: { amount: 1500, currency: "USD" } }],
    });
    const code = unique("rush").replace(/[^a-z0-9]/g, "");
    const { id } = await discount({ kind: "percentage", value: 10, code, usageLimit: 100 });
    const carts: string[] = [];
    for (let i = 0; i < 1000; i += 100) {
      const batch = await Promise.all(Array.from({ length: 100 }, () => makeCart()));
      await Promise.all(
        batch.map(async (cart) => {
          await addLine(cart, sku, 1);
          const res = await apply(cart, code);
          expect(res.status).toBe(200);
        }),
      );
      carts.push(...batch);
    }
    const responses = await Promise.all(
      carts.map((cart, i) => checkout(cart, crypto.randomUUID(), checkoutBody({ email: `rush-${i}@example.com` }))),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(100);
    expect(statuses.filter((s) => s === 409)).toHaveLength(900);
    for (const r of responses.filter((x) => x.status === 409).slice(0, 20))
      expect(await r.json()).toMatchObject({ code: "usage_limit_reached" });
    const carried = await env.DB.prepare("select count(*) as n from order_discounts where discount_id = ?").bind(id).first<{ n: number }>();
    expect(carried!.n).toBe(100);
    expect(await (await call(`/admin/api/discounts/${id}`, { headers: ADMIN })).json()).toMatchObject({
      used: 100,
      orders: 100,
      usageLimit: 100,
    });
  }, 300_000);

  it("holds a per-customer limit under concurrency, by normalised email", async () => {
    const { sku } = await makeStockedProduct(50, {
      variants: [{ sku: unique("PER").toUpperCase(), price: { amount: 1500, currency: "USD" } }],
    });
    const code = unique("once").replace(/[^a-z0-9]/g, "");
    await discount({ kind: "fixed", value: 200, code, perCustomerLimit: 1 });
    const carts = await Promise.all(Array.from({ length: 10 }, () => makeCart()));
    for (const cart of carts) {
      await addLine(cart, sku, 1);
      await apply(cart, code);
    }
    const emails = ["Same.Person@Example.com", "same.person@example.com", " SAME.PERSON@example.com"];
    const responses = await Promise.all(
      carts.map((cart, i) => checkout(cart, crypto.randomUUID(), checkoutBody({ email: emails[i % 3]!.trim() }))),
    );
    expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
    expect(responses.filter((r) => r.status === 409)).toHaveLength(9);
  });

  it("gives a use back when its order is cancelled or expires unpaid", async () => {
    const { sku } = await makeStockedProduct(10, {
      variants: [{ sku: unique("BACK").toUpperCase(), price: { amount: 1500, currency: "USD" } }],
    });
    const code = unique("back").replace(/[^a-z0-9]/g, "");
    const { id } = await discount({ kind: "percentage", value: 10, code, usageLimit: 1 });
    const place = async () => {
      const cart = await cartWith([[sku, 1]]);
      const applied = await apply(cart, code);
      return applied.status === 200 ? checkout(cart) : applied;
    };
    const first = await place();
    expect(first.status).toBe(201);
    const { orderId } = await first.json<{ orderId: string }>();
    const usedUp = await place();
    expect(usedUp.status).toBe(409);
    expect(await usedUp.json()).toMatchObject({ code: "usage_limit_reached" });
    const cancelled = await callJson(`/admin/api/orders/${orderId}/cancel`, "POST", { reason: "changed mind" });
    expect(cancelled.status).toBe(200);
    expect(await (await call(`/admin/api/discounts/${id}`, { headers: ADMIN })).json()).toMatchObject({ used: 0 });
    const second = await place();
    expect(second.status).toBe(201);
    const secondId = (await second.json<{ orderId: string }>()).orderId;
    // The sweep works in bounded batches (other tests' unpaid orders are due too): run it until this one is reached.
    for (let run = 0; run < 30 && (await order(secondId)).status !== "cancelled"; run++)
      await runNamed("expire-unpaid-orders", inMinutes(120));
    expect((await order(secondId)).status).toBe("cancelled");
    expect(await (await call(`/admin/api/discounts/${id}`, { headers: ADMIN })).json()).toMatchObject({ used: 0 });
    expect((await place()).status).toBe(201);
    await setStock(sku, 10);
  });
});

describe("discount uses that must not leak or block", () => {
  it("drops a used-up automatic discount instead of refusing the checkout", async () => {
    const category = await makeCategory();
    const { sku } = await makeStockedProduct(10, {
      categoryIds: [category.id],
      variants: [{ sku: unique("AUTO").toUpperCase(), price: { amount: 2000, currency: "USD" } }],
    });
    const { id } = await discount({
      kind: "percentage",
      value: 10,
      automatic: true,
      categoryIds: [category.id],
      usageLimit: 1,
      title: "First come",
    });
    const first = await checkout(await cartWith([[sku, 1]]));
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({ discount: { amount: 200 } });
    const cart = await cartWith([[sku, 1]]);
    expect(await (await call(`/api/carts/${cart}`)).json()).toMatchObject({ discounts: [] });
    const second = await checkout(cart);
    expect(second.status).toBe(201);
    expect(await second.json()).toMatchObject({ discount: { amount: 0 } });
    expect(await (await call(`/admin/api/discounts/${id}`, { headers: ADMIN })).json()).toMatchObject({ used: 1 });
  });

  it("does not count a checkout's own use against it when it checks again, and lets unconfirmed uses lapse", async () => {
    const { sku } = await makeStockedProduct(10, {
      variants: [{ sku: unique("OWN").toUpperCase(), price: { amount: 2000, currency: "USD" } }],
    });
    const code = unique("own").replace(/[^a-z0-9]/g, "");
    const { id } = await discount({ kind: "fixed", value: 300, code, perCustomerLimit: 1 });
    const { discountsFor } = await import("../../src/services/discounts");
    const { createDb } = await import("../../src/db");
    const lines = [{ sku, productId: 0, unitPrice: 2000, quantity: 1 }];
    const stub = env.DISCOUNTS.getByName(id);
    expect(await stub.take("ord_resumed", "own@example.com", { total: null, perCustomer: 1 })).toMatchObject({ ok: true });
    const again = await discountsFor(
      env,
      createDb(env.DB),
      { lines, codes: [code.toUpperCase()] },
      { email: "own@example.com", now: new Date(), orderId: "ord_resumed" },
    );
    expect(again.refusals).toEqual([]);
    const other = await discountsFor(
      env,
      createDb(env.DB),
      { lines, codes: [code.toUpperCase()] },
      { email: "own@example.com", now: new Date() },
    );
    expect(other.refusals).toEqual([{ code: code.toUpperCase(), reason: "usage_limit_reached" }]);
    // A use taken 20 minutes ago whose order was never written no longer counts.
    expect(await stub.take("ord_died", "gone@example.com", { total: null, perCustomer: 1 }, Date.now() - 20 * 60_000)).toMatchObject({
      ok: true,
    });
    expect((await stub.usage("gone@example.com")).byCustomer).toBe(0);
  });
});

describe("discount administration", () => {
  it("generates 10,000 unique unguessable codes in one request and downloads them as CSV", async () => {
    const { id } = await discount({ kind: "percentage", value: 15 });
    const res = await callJson(`/admin/api/discounts/${id}/codes`, "POST", { count: 10_000, prefix: "vip-" });
    expect(res.status, await res.clone().text()).toBe(201);
    const { batch, codes } = await res.json<{ batch: string; codes: string[] }>();
    expect(codes).toHaveLength(10_000);
    expect(new Set(codes).size).toBe(10_000);
    expect(codes.every((c) => /^VIP-[ABCDEFGHJKMNPQRTUVWXYZ2346789]{10}$/.test(c))).toBe(true);
    const csv = await (await call(`/admin/api/discounts/${id}/codes.csv?batch=${batch}`, { headers: ADMIN })).text();
    const rows = csv.trim().split("\r\n");
    expect(rows[0]).toBe("code,batch,created_at");
    expect(rows).toHaveLength(10_001);
    const { sku } = await makeStockedProduct(5);
    const cart = await cartWith([[sku, 1]]);
    expect((await apply(cart, codes[1234]!.toLowerCase())).status).toBe(200);
  }, 120_000);

  it("refuses malformed discounts, a code already taken, and staff without marketing rights", async () => {
    const bad = await callJson("/admin/api/discounts", "POST", { kind: "percentage", value: 150, code: "x", endsAt: "soon", colour: 1 });
    expect(bad.status).toBe(400);
    const fields = (await bad.json<{ errors: { field: string }[] }>()).errors.map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(["value", "code", "endsAt"]));
    const code = unique("dup").replace(/[^a-z0-9]/g, "");
    await discount({ kind: "fixed", value: 100, code });
    const again = await callJson("/admin/api/discounts", "POST", { kind: "fixed", value: 100, code: code.toUpperCase() });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ code: "code_taken" });
    expect((await callJson("/admin/api/discounts", "POST", { kind: "fixed", value: 100 }, VIEWER)).status).toBe(403);
    const { id } = await discount({ kind: "fixed", value: 100, code: unique("csv").replace(/[^a-z0-9]/g, "") });
    expect((await call(`/admin/api/discounts/${id}/codes.csv`, { headers: VIEWER })).status).toBe(403);
    expect((await call("/admin/api/discounts")).status).toBe(401);
  });
});

describe("discounts on the pages", () => {
  it("applies and removes a code on the cart page, saying why one does not apply", async () => {
    const { Browser, csrfOf } = await import("../helpers/browser");
    const { product, sku } = await makeStockedProduct(5, {
      variants: [{ sku: unique("PG").toUpperCase(), price: { amount: 3000, currency: "USD" } }],
    });
    const code = unique("page").replace(/[^a-z0-9]/g, "");
    await discount({ kind: "fixed", value: 500, code, title: "Five off" });
    const tooBig = unique("big").replace(/[^a-z0-9]/g, "");
    await discount({ kind: "fixed", value: 500, code: tooBig, minimumSubtotal: 100_000 });
    const browser = new Browser();
    const productPage = await browser.page(`/p/${product.slug}`);
    await browser.post("/cart/lines", { sku, quantity: "1", _csrf: csrfOf(productPage) });
    const cart = await browser.page("/cart");
    const refused = await browser.post("/cart/discounts", { _csrf: csrfOf(cart), code: tooBig });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain("doesn&#39;t reach that code&#39;s minimum");
    const applied = await browser.post("/cart/discounts", { _csrf: csrfOf(cart), code: ` ${code} ` });
    expect(applied.status).toBe(303);
    const page = await browser.page("/cart");
    expect(page).toContain("Five off");
    expect(page).toContain("−$5.00");
    await browser.post("/cart/discounts/remove", { _csrf: csrfOf(page), code: code.toUpperCase() });
    expect(await browser.page("/cart")).not.toContain("Five off");
    const forged = await browser.post("/cart/discounts", { _csrf: "forged", code });
    expect(forged.status).toBe(403);
  });

  it("lets staff create a discount, generate codes and switch it off from the admin", async () => {
    const { flashOf, signedIn } = await import("../helpers/admin-session");
    const staff = await signedIn("staff");
    const created = await staff.post("/admin/discounts", {
      kind: "percentage",
      value: "15",
      code: unique("adm").replace(/[^a-z0-9]/g, ""),
      usageLimit: "50",
    });
    expect(created.status).toBe(303);
    const location = created.headers.get("Location")!;
    expect(location).toMatch(/^\/admin\/discounts\/dsc_[0-9a-f]{20}$/);
    const generated = await staff.post(`${location}/codes`, { count: "25", prefix: "SPRING" });
    expect(flashOf(generated)?.text).toBe("25 codes generated.");
    const page = await (await staff.get(generated.headers.get("Location")!)).text();
    expect(page).toContain("26 codes.");
    expect(page).toContain("Download the 25 just made");
    const off = await staff.post(`${location}/disable`, {});
    expect(flashOf(off)?.text).toBe("Discount switched off.");
    const bad = await staff.post("/admin/discounts", { kind: "percentage", value: "250" });
    expect(flashOf(bad)).toMatchObject({ kind: "error" });
    const viewer = await signedIn("viewer");
    expect((await viewer.post("/admin/discounts", { kind: "fixed", value: "5" })).status).toBe(403);
  });
});
