import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { freshAddress, signIn } from "../helpers/accounts";
import { Browser } from "../helpers/browser";
import { addLine, checkoutBody, makeCart, makeStockedProduct, unique } from "../helpers/factories";
import { runNamed } from "../helpers/jobs";
import { payOrder } from "../helpers/queues";
import { ADMIN, call, callJson, VIEWER } from "../helpers/worker";

type Money = { amount: number; currency: string };
interface Placed {
  orderId: string;
  status: string;
  subtotal: Money;
  discount: Money;
  total: Money;
  payment: { id: string };
}

const DAY = 86_400_000;
const RULES = { enabled: true, earnPerUnit: 2, redeemStep: 100, stepValue: 150, pendingDays: 14, expiryDays: 60 };

beforeAll(async () => {
  const res = await call("/admin/api/loyalty", {
    method: "PUT",
    headers: { ...ADMIN, "Content-Type": "application/json" },
    body: JSON.stringify(RULES),
  });
  expect(res.status, await res.clone().text()).toBe(200);
});

const shopper = () => new Browser({}, { "CF-Connecting-IP": freshAddress() });

/** A checkout through the store API from a browser (its session goes along). */
async function buy(browser: Browser, email: string, price: number, extra: Record<string, unknown> = {}) {
  const { sku } = await makeStockedProduct(50, {
    variants: [{ sku: unique("PTS").toUpperCase(), price: { amount: price, currency: "USD" } }],
  });
  const cart = await makeCart();
  await addLine(cart, sku, 1);
  return browser.request(`/api/carts/${cart}/checkout`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "Idempotency-Key": crypto.randomUUID(), Accept: "application/json" },
    body: JSON.stringify(checkoutBody({ email, ...extra })),
  });
}

async function customerIdOf(email: string): Promise<string> {
  const row = await env.DB.prepare("select id from customers where email = ?").bind(email).first<{ id: string }>();
  expect(row).toBeTruthy();
  return row!.id;
}

const points = (customerId: string) => env.LOYALTY.getByName(customerId).read();

/** Runs the points job as if it were `at`. */
const settleAt = (at: number) => runNamed("loyalty-points", new Date(at));

describe("loyalty rules", () => {
  it("reads back the rules staff set, and refuses bad ones without changing them", async () => {
    expect(await (await call("/admin/api/loyalty", { headers: ADMIN })).json()).toEqual(RULES);
    for (const body of [{ ...RULES, redeemStep: 0 }, { ...RULES, earnPerUnit: -1 }, { ...RULES, extra: 1 }, { enabled: true }]) {
      const res = await callJson("/admin/api/loyalty", "PUT", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect((await callJson("/admin/api/loyalty", "PUT", RULES, VIEWER)).status).toBe(403);
    expect(await (await call("/admin/api/loyalty", { headers: ADMIN })).json()).toEqual(RULES);
  });
});

describe("earning points", () => {
  it("earns on paid goods, pending until the return window closes, then spendable, then expired", async () => {
    const email = `${unique("earner")}@example.com`;
    const placed = await (await buy(shopper(), email, 4599)).json<Placed>();
    const customerId = await customerIdOf(email);
    expect((await points(customerId)).pending).toBe(0);
    await payOrder(placed.orderId, placed.payment.id);
    // 45.99 of goods: 45 whole units × 2 points, pending.
    expect(await points(customerId)).toMatchObject({ available: 0, pending: 90 });
    // Before the window closes nothing moves; after it, they can be spent.
    await settleAt(Date.now() + 13 * DAY);
    expect(await points(customerId)).toMatchObject({ available: 0, pending: 90 });
    await settleAt(Date.now() + 14 * DAY + 60_000);
    expect(await points(customerId)).toMatchObject({ available: 90, pending: 0 });
    // Sixty days after they became spendable they expire (the nightly job again).
    await settleAt(Date.now() + 75 * DAY);
    const after = await points(customerId);
    expect(after).toMatchObject({ available: 0, pending: 0 });
    expect(after.entries.map((e) => e.kind)).toEqual(["expire", "confirm", "earn"]);
    expect(after.entries[0]?.points).toBe(-90);
  });

  it("earns nothing on gift cards bought (only on what they later pay for)", async () => {
    const email = `${unique("giver")}@example.com`;
    const sku = unique("PTSGC").toUpperCase();
    await makeStockedProduct(50, { variants: [{ sku, price: { amount: 5000, currency: "USD" }, giftCard: true }] });
    const cart = await makeCart();
    await addLine(cart, sku, 1);
    const placed = await (
      await shopper().request(`/api/carts/${cart}/checkout`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "Idempotency-Key": crypto.randomUUID(), Accept: "application/json" },
        body: JSON.stringify(checkoutBody({ email })),
      })
    ).json<Placed>();
    await payOrder(placed.orderId, placed.payment.id);
    expect(await points(await customerIdOf(email))).toMatchObject({ available: 0, pending: 0 });
  });

  it("takes back the share of a refund, and everything when the whole order is refunded", async () => {
    const email = `${unique("refunded")}@example.com`;
    const placed = await (await buy(shopper(), email, 10_000)).json<Placed>();
    await payOrder(placed.orderId, placed.payment.id);
    const customerId = await customerIdOf(email);
    expect((await points(customerId)).pending).toBe(200);
    const half = Math.floor(placed.total.amount / 2);
    expect((await callJson(`/admin/api/orders/${placed.orderId}/refund`, "POST", { amount: half, reason: "half back" })).status).toBe(201);
    const partly = await points(customerId);
    expect(partly.pending).toBeLessThan(200);
    expect(partly.pending).toBeGreaterThan(90);
    expect((await callJson(`/admin/api/orders/${placed.orderId}/refund`, "POST", { reason: "the rest" })).status).toBe(201);
    expect((await points(customerId)).pending).toBe(0);
  });
});

describe("spending points", () => {
  async function memberWith(pointsWanted: number) {
    const email = `${unique("spender")}@example.com`;
    const browser = shopper();
    await signIn(browser, email);
    const customerId = await customerIdOf(email);
    const stub = env.LOYALTY.getByName(customerId);
    await stub.earn(`ord_seed_${customerId}`, pointsWanted, Date.now() - 1000, 60 * DAY, Date.now() - 2000);
    await stub.settle();
    return { email, browser, customerId };
  }

  it("takes whole steps off the goods (tax after), and the account page shows the ledger", async () => {
    const { email, browser, customerId } = await memberWith(350);
    const quote = await (await buy(browser, email, 2000, { loyaltyPoints: 300 })).json<Placed>();
    expect(quote.status).toBe("pending_payment");
    // 300 points = 3 steps × 1.50.
    expect(quote.discount.amount).toBe(450);
    const order = await (await call(`/admin/api/orders/${quote.orderId}`, { headers: ADMIN })).json<{
      discounts: { title: string; amount: Money }[];
      lines: { discount: Money }[];
    }>();
    expect(order.discounts).toEqual([{ code: null, title: "300 points", amount: { amount: 450, currency: "USD" } }]);
    expect(order.lines[0]?.discount.amount).toBe(450);
    expect((await points(customerId)).available).toBe(50);
    const page = await browser.page("/account");
    expect(page).toContain("Points");
    expect(page).toMatch(/<strong>50<\/strong> points to spend/);
    expect(page).toContain("Spent");
  });

  it("refuses points in part steps, beyond the balance, beyond the goods, or without signing in; nothing is spent", async () => {
    const { email, browser, customerId } = await memberWith(200);
    const step = await buy(browser, email, 5000, { loyaltyPoints: 150 });
    expect(step.status).toBe(400);
    expect(await step.json()).toMatchObject({ code: "invalid_points" });
    const tooMany = await buy(browser, email, 5000, { loyaltyPoints: 300 });
    expect(tooMany.status).toBe(409);
    expect(await tooMany.json()).toMatchObject({ code: "insufficient_points", available: 200 });
    const overGoods = await buy(browser, email, 100, { loyaltyPoints: 200 });
    expect(overGoods.status).toBe(422);
    expect(await overGoods.json()).toMatchObject({ code: "points_exceed_total" });
    const guest = await buy(shopper(), email, 5000, { loyaltyPoints: 100 });
    expect(guest.status).toBe(422);
    expect(await guest.json()).toMatchObject({ code: "sign_in_required" });
    expect((await points(customerId)).available).toBe(200);
  });

  it("two checkouts spending the same points at once: one gets them, the other is refused", async () => {
    const { email, browser, customerId } = await memberWith(300);
    const answers = await Promise.all([1, 2, 3].map(() => buy(browser, email, 5000, { loyaltyPoints: 200 })));
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409]);
    expect((await points(customerId)).available).toBe(100);
  });

  it("gives spent points back when the order expires unpaid", async () => {
    const { email, browser, customerId } = await memberWith(100);
    const placed = await (await buy(browser, email, 3000, { loyaltyPoints: 100 })).json<Placed>();
    expect((await points(customerId)).available).toBe(0);
    await runNamed("expire-unpaid-orders", new Date(Date.now() + 2 * 3_600_000));
    expect((await call(`/admin/api/orders/${placed.orderId}`, { headers: ADMIN }).then((r) => r.json<{ status: string }>())).status).toBe(
      "cancelled",
    );
    const after = await points(customerId);
    expect(after.available).toBe(100);
    expect(after.entries[0]).toMatchObject({ kind: "restore", points: 100, orderId: placed.orderId });
  });

  it("points spent from an order's lot that was refunded meanwhile do not come back when the spending order is cancelled", async () => {
    const { email, browser, customerId } = await memberWith(0);
    // Order A earns 100 points (50.00 × 2) and they become spendable.
    const a = await (await buy(browser, email, 5000)).json<Placed>();
    await payOrder(a.orderId, a.payment.id);
    await settleAt(Date.now() + 15 * DAY);
    expect((await points(customerId)).available).toBe(100);
    // They are spent on order B (unpaid), then A is refunded in full.
    const b = await (await buy(browser, email, 3000, { loyaltyPoints: 100 })).json<Placed>();
    expect((await callJson(`/admin/api/orders/${a.orderId}/refund`, "POST", { reason: "all back" })).status).toBe(201);
    // B expires unpaid: its points belonged to a refunded order, so nothing comes back.
    await runNamed("expire-unpaid-orders", new Date(Date.now() + 2 * 3_600_000));
    expect((await call(`/admin/api/orders/${b.orderId}`, { headers: ADMIN }).then((r) => r.json<{ status: string }>())).status).toBe(
      "cancelled",
    );
    expect((await points(customerId)).available).toBe(0);
  });

  it("a refund takes back the share of what the order first earned, even after the rules changed", async () => {
    const email = `${unique("rules")}@example.com`;
    const placed = await (await buy(shopper(), email, 10_000)).json<Placed>();
    await payOrder(placed.orderId, placed.payment.id);
    const customerId = await customerIdOf(email);
    expect((await points(customerId)).pending).toBe(200);
    await callJson("/admin/api/loyalty", "PUT", { ...RULES, earnPerUnit: 1 });
    try {
      expect((await callJson(`/admin/api/orders/${placed.orderId}/refund`, "POST", { amount: 1, reason: "a cent" })).status).toBe(201);
      expect((await points(customerId)).pending).toBe(Math.floor((200 * (placed.total.amount - 1)) / placed.total.amount));
    } finally {
      await callJson("/admin/api/loyalty", "PUT", RULES);
    }
  });

  it("earns on the goods, not on a free-shipping discount, and an order the points pay in full needs no payment page", async () => {
    const code = unique("SHIPFREE")
      .toUpperCase()
      .replace(/[^A-Z0-9]/g, "");
    expect((await callJson("/admin/api/discounts", "POST", { kind: "free_shipping", code, combinable: true })).status).toBe(201);
    const { email, browser, customerId } = await memberWith(2000);
    const { sku } = await makeStockedProduct(50, {
      variants: [{ sku: unique("FREE").toUpperCase(), price: { amount: 3000, currency: "USD" } }],
    });
    const cart = await makeCart();
    await addLine(cart, sku, 1);
    expect((await callJson(`/api/carts/${cart}/discounts`, "POST", { code }, {})).status).toBe(200);
    // 30.00 of goods = 20 steps of 1.50: the points pay it all, shipping is free.
    const res = await browser.request(`/api/carts/${cart}/checkout`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Idempotency-Key": crypto.randomUUID(), Accept: "application/json" },
      body: JSON.stringify(checkoutBody({ email, loyaltyPoints: 2000 })),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const placed = await res.json<Placed & { amountDue: Money }>();
    expect(placed).toMatchObject({ status: "paid", total: { amount: 0 }, amountDue: { amount: 0 } });
    expect((await points(customerId)).available).toBe(0);
    // A paid 30.00 order with a free-shipping code earns on its 30.00 of goods.
    const other = `${unique("shipper")}@example.com`;
    const cart2 = await makeCart();
    await addLine(cart2, sku, 1);
    expect((await callJson(`/api/carts/${cart2}/discounts`, "POST", { code }, {})).status).toBe(200);
    const paid = await (
      await shopper().request(`/api/carts/${cart2}/checkout`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "Idempotency-Key": crypto.randomUUID(), Accept: "application/json" },
        body: JSON.stringify(checkoutBody({ email: other })),
      })
    ).json<Placed>();
    await payOrder(paid.orderId, paid.payment.id);
    expect((await points(await customerIdOf(other))).pending).toBe(60);
  });

  it("the checkout page says why chosen points cannot be spent, beside the field, and shows totals without them", async () => {
    const { browser } = await memberWith(5000);
    const { sku } = await makeStockedProduct(50, {
      variants: [{ sku: unique("PAGE").toUpperCase(), price: { amount: 1000, currency: "USD" } }],
    });
    await browser.post("/cart/lines", { sku, quantity: "1" });
    const form = await browser.page("/checkout");
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form)?.[1] ?? "";
    expect(form).toContain('name="loyaltyPoints"');
    const res = await browser.post("/checkout", {
      _csrf: csrf,
      action: "quote",
      email: "x@example.com",
      name: "Ada",
      line1: "1 Way",
      city: "Lisbon",
      postalCode: "1000-001",
      country: "PT",
      loyaltyPoints: "5000",
    });
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('id="loyaltyPoints-error"');
    expect(page).toMatch(/worth more than the goods/);
  });
});
