import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createDb } from "../../src/db";
import type { EmailType } from "../../src/domain/notification";
import { renderNotification } from "../../src/queues/emails-consumer";
import { issueGiftCard } from "../../src/services/gift-cards";
import { withoutSecrets } from "../../src/services/notifications";
import { flashOf, signedIn } from "../helpers/admin-session";
import { addLine, checkout, checkoutBody, makeCart, makeStockedProduct, unique } from "../helpers/factories";
import { intercept } from "../helpers/intercept";
import { inMinutes, runNamed } from "../helpers/jobs";
import { payOrder } from "../helpers/queues";
import { ADMIN, call, callJson, VIEWER } from "../helpers/worker";

afterEach(() => vi.restoreAllMocks());

type Money = { amount: number; currency: string };
interface Issued {
  id: string;
  code: string;
  last4: string;
  balance: Money;
}
interface Card {
  id: string;
  balance: Money;
  disabled: boolean;
  ledger: { kind: string; amount: Money; balance: Money; orderId: string | null }[];
}
interface Placed {
  orderId: string;
  status: string;
  total: Money;
  amountDue: Money;
  giftCards: { last4: string; amount: Money }[];
  payment: { id: string; provider: string; status: string; redirectUrl: string };
}
interface Order {
  status: string;
  total: Money;
  amountDue: Money;
  refunded: Money;
  paidAt: string | null;
  giftCards: { last4: string; amount: Money }[];
  refunds: { amount: Money; toGiftCards: Money; status: string }[];
}

async function issue(amount: number, extra: Record<string, unknown> = {}): Promise<Issued> {
  const res = await callJson("/admin/api/gift-cards", "POST", { amount, ...extra });
  expect(res.status, await res.clone().text()).toBe(201);
  return res.json<Issued>();
}

const card = async (id: string) => {
  const res = await call(`/admin/api/gift-cards/${id}`, { headers: ADMIN });
  expect(res.status).toBe(200);
  return res.json<Card>();
};

const order = async (id: string) => (await call(`/admin/api/orders/${id}`, { headers: ADMIN })).json<Order>();

/** A cart holding `quantity` of a new product at `price` (stock to spare). */
async function cartOf(price: number, quantity = 1, stock = 50) {
  const { sku } = await makeStockedProduct(stock, {
    variants: [{ sku: unique("GC").toUpperCase(), price: { amount: price, currency: "USD" } }],
  });
  const cart = await makeCart();
  await addLine(cart, sku, quantity);
  return { cart, sku };
}

const payWith = (cart: string, giftCards: string[]) => checkout(cart, crypto.randomUUID(), checkoutBody({ giftCards }));

/** Checks a cart out with gift cards while Stripe is the provider (its API intercepted); answers the order and what Stripe was sent. */
async function stripeCheckout(cart: string, codes: string[]) {
  const calls = intercept("https://api.stripe.com/", () =>
    Response.json({ id: "cs_test_gc", url: "https://checkout.stripe.com/c/pay/cs_test_gc", status: "open", payment_status: "unpaid" }),
  );
  const res = await callJson(
    `/api/carts/${cart}/checkout`,
    "POST",
    checkoutBody({ giftCards: codes }),
    { "Idempotency-Key": crypto.randomUUID() },
    { STRIPE_SECRET_KEY: "sk_test_key" },
  );
  expect(res.status, await res.clone().text()).toBe(201);
  return { placed: await res.json<Placed>(), form: Object.fromEntries(new URLSearchParams(calls[0]?.body ?? "")) };
}

async function available(sku: string) {
  return (await env.INVENTORY.getByName(sku).snapshot()).available;
}

describe("issuing gift cards", () => {
  it("shows the code once, stores only its hash, and reads back the balance and ledger", async () => {
    const issued = await issue(5000, { note: "Apology for the late parcel" });
    expect(issued.code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    expect(issued.code).not.toMatch(/[01OIL5S]/);
    expect(issued.balance).toEqual({ amount: 5000, currency: "USD" });
    expect(issued.last4).toBe(issued.code.slice(-4));
    const read = await (await call(`/admin/api/gift-cards/${issued.id}`, { headers: ADMIN })).text();
    expect(read).not.toContain(issued.code);
    expect(JSON.parse(read)).toMatchObject({ balance: { amount: 5000 }, ledger: [{ kind: "issue", amount: { amount: 5000 } }] });
    const row = await env.DB.prepare("select * from gift_cards where id = ?").bind(issued.id).first<Record<string, unknown>>();
    expect(JSON.stringify(row)).not.toContain(issued.code.replace(/-/g, ""));
    expect(JSON.stringify(row)).not.toContain(issued.code);
    const listed = await (await call(`/admin/api/gift-cards?last4=${issued.last4.toLowerCase()}`, { headers: ADMIN })).json<{
      items: { id: string }[];
    }>();
    expect(listed.items.map((i) => i.id)).toContain(issued.id);
  });

  it("refuses bad amounts and read-only staff, and issues nothing", async () => {
    const before = (await env.DB.prepare("select count(*) as n from gift_cards").first<{ n: number }>())?.n;
    for (const body of [{ amount: 0 }, { amount: -5 }, { amount: 12.5 }, { amount: "50" }, { amount: 100, extra: 1 }, {}]) {
      const res = await callJson("/admin/api/gift-cards", "POST", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.headers.get("Content-Type")).toContain("application/problem+json");
    }
    expect((await callJson("/admin/api/gift-cards", "POST", { amount: 100 }, VIEWER)).status).toBe(403);
    expect((await env.DB.prepare("select count(*) as n from gift_cards").first<{ n: number }>())?.n).toBe(before);
  });

  it("emails the code to a recipient, and the log keeps only its last four characters", async () => {
    const to = `${unique("friend")}@example.com`;
    const issued = await issue(2500, { recipientEmail: to, note: "Happy birthday!" });
    const row = await env.DB.prepare("select type, data from notifications where recipient = ? and type = 'gift_card.issued'")
      .bind(to)
      .first<{ type: string; data: string }>();
    expect(row?.data).not.toContain(issued.code);
    const email = await renderNotification(env, createDb(env.DB), row!.type as EmailType, JSON.parse(row!.data));
    expect(email.text).toContain(issued.code);
    expect(email.text).toContain("Happy birthday!");
    expect(email.subject).toContain("$25.00");
    expect(withoutSecrets(email.text)).not.toContain(issued.code);
    expect(withoutSecrets(email.text)).toContain(`XXXX-XXXX-XXXX-${issued.last4}`);
  });
});

describe("paying with gift cards", () => {
  it("takes part of the total from a card and asks the payment page only for the rest", async () => {
    const gift = await issue(1000);
    const { cart } = await cartOf(4000);
    const res = await payWith(cart, [gift.code.toLowerCase().replace(/-/g, " ")]);
    expect(res.status, await res.clone().text()).toBe(201);
    const placed = await res.json<Placed>();
    expect(placed.status).toBe("pending_payment");
    expect(placed.giftCards).toEqual([{ last4: gift.last4, amount: { amount: 1000, currency: "USD" } }]);
    expect(placed.amountDue.amount).toBe(placed.total.amount - 1000);
    // The test provider's hosted page shows what is left to pay.
    const page = await (await call(new URL(placed.payment.redirectUrl).pathname)).text();
    expect(page).toContain(`$${(placed.amountDue.amount / 100).toFixed(2)}`);
    expect((await card(gift.id)).balance.amount).toBe(0);
    await payOrder(placed.orderId, placed.payment.id);
    const paid = await order(placed.orderId);
    expect(paid).toMatchObject({ status: "paid", giftCards: [{ last4: gift.last4, amount: { amount: 1000 } }] });
  });

  it("pays an order the cards cover in full at once, with no payment page, and confirms it", async () => {
    const a = await issue(1500);
    const b = await issue(100_000);
    const { cart, sku } = await cartOf(3000, 2);
    const before = await available(sku);
    const res = await payWith(cart, [a.code, b.code]);
    expect(res.status, await res.clone().text()).toBe(201);
    const placed = await res.json<Placed>();
    expect(placed.status).toBe("paid");
    expect(placed.amountDue.amount).toBe(0);
    expect(placed.payment).toMatchObject({ provider: "gift_card", status: "succeeded" });
    expect(new URL(placed.payment.redirectUrl).pathname).toBe("/checkout/return");
    expect(placed.giftCards).toEqual([
      { last4: a.last4, amount: { amount: 1500, currency: "USD" } },
      { last4: b.last4, amount: { amount: placed.total.amount - 1500, currency: "USD" } },
    ]);
    const stored = await order(placed.orderId);
    expect(stored.status).toBe("paid");
    expect(stored.paidAt).not.toBeNull();
    expect(await available(sku)).toBe(before - 2);
    expect((await card(b.id)).balance.amount).toBe(100_000 - (placed.total.amount - 1500));
    const confirmation = await env.DB.prepare("select status from notifications where id = ?")
      .bind(`order.confirmation:${placed.orderId}`)
      .first();
    expect(confirmation).toBeTruthy();
    // The same Idempotency-Key replays the same paid order and takes nothing more.
    const key = crypto.randomUUID();
    const { cart: cart2 } = await cartOf(100);
    const first = await (await checkout(cart2, key, checkoutBody({ giftCards: [b.code] }))).json<Placed>();
    const again = await checkout(cart2, key, checkoutBody({ giftCards: [b.code] }));
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
    expect((await again.json<Placed>()).orderId).toBe(first.orderId);
    expect((await card(b.id)).ledger.filter((e) => e.orderId === first.orderId)).toHaveLength(1);
  });

  it("never overdraws a card that several checkouts spend at once", async () => {
    const gift = await issue(5000);
    const carts = await Promise.all(Array.from({ length: 8 }, () => cartOf(3000)));
    const answers = await Promise.all(carts.map(({ cart }) => payWith(cart, [gift.code])));
    const placed: Placed[] = [];
    for (const res of answers) {
      if (res.status === 201) placed.push(await res.json<Placed>());
      else {
        expect(res.status, await res.clone().text()).toBe(409);
        expect(await res.json()).toMatchObject({ code: "gift_card_empty", last4: gift.last4 });
      }
    }
    const taken = placed.reduce((n, p) => n + (p.giftCards[0]?.amount.amount ?? 0), 0);
    expect(taken).toBe(5000);
    const after = await card(gift.id);
    expect(after.balance.amount).toBe(0);
    expect(after.ledger.every((e) => e.balance.amount >= 0)).toBe(true);
    expect(after.ledger.filter((e) => e.kind === "debit").reduce((n, e) => n - e.amount.amount, 0)).toBe(5000);
    // The refused checkouts left no order holding stock or card money.
    for (const p of placed) expect(p.giftCards).toHaveLength(1);
  });

  it("refuses unknown, disabled, expired and spent cards with a reason, and takes nothing", async () => {
    const { cart } = await cartOf(2000);
    const unknown = await payWith(cart, ["ABCD-EFGH-JKMN-PQRT"]);
    expect(unknown.status).toBe(422);
    expect(await unknown.json()).toMatchObject({ code: "unknown_gift_card", last4: "PQRT" });
    const typo = await payWith(cart, ["not a code"]);
    expect(typo.status).toBe(422);
    expect(await typo.json()).toMatchObject({ code: "unknown_gift_card" });

    const good = await issue(500);
    const off = await issue(500);
    expect((await callJson(`/admin/api/gift-cards/${off.id}/disable`, "POST", {})).status).toBe(200);
    const disabled = await payWith(cart, [good.code, off.code]);
    expect(disabled.status).toBe(422);
    expect(await disabled.json()).toMatchObject({ code: "gift_card_disabled", last4: off.last4 });
    // The first card's part was given back when the second refused.
    expect((await card(good.id)).balance.amount).toBe(500);

    const { code: expiredCode } = await issueGiftCard(env, createDb(env.DB), {
      amount: 500,
      currency: "USD",
      expiresAt: new Date(Date.now() - 60_000),
      actor: "test",
    });
    const expired = await payWith(cart, [expiredCode]);
    expect(expired.status).toBe(422);
    expect(await expired.json()).toMatchObject({ code: "gift_card_expired" });

    // The cart is still open and checks out without cards.
    const plain = await checkout(cart);
    expect(plain.status, await plain.clone().text()).toBe(201);
  });

  it("gives an unpaid order's card money back when its payment window expires", async () => {
    const gift = await issue(700);
    const { cart } = await cartOf(2000);
    const placed = await (await payWith(cart, [gift.code])).json<Placed>();
    expect((await card(gift.id)).balance.amount).toBe(0);
    await runNamed("expire-unpaid-orders", inMinutes(120));
    expect((await order(placed.orderId)).status).toBe("cancelled");
    const after = await card(gift.id);
    expect(after.balance.amount).toBe(700);
    expect(after.ledger[0]).toMatchObject({ kind: "reverse", amount: { amount: 700 }, orderId: placed.orderId });
  });

  it("asks Stripe for the total less the gift cards, as one line", async () => {
    const gift = await issue(1234);
    const { cart } = await cartOf(5000);
    const { placed, form } = await stripeCheckout(cart, [gift.code]);
    expect(form["line_items[0][price_data][unit_amount]"]).toBe(String(placed.total.amount - 1234));
    expect(form["line_items[0][quantity]"]).toBe("1");
    expect(form["line_items[1][price_data][unit_amount]"]).toBeUndefined();
    expect(form["shipping_options[0][shipping_rate_data][fixed_amount][amount]"]).toBeUndefined();
  });
});

describe("refunds of orders paid with gift cards", () => {
  it("gives the payment back first, then puts the rest back onto the card", async () => {
    const gift = await issue(1000);
    const { cart } = await cartOf(4000);
    const placed = await (await payWith(cart, [gift.code])).json<Placed>();
    await payOrder(placed.orderId, placed.payment.id);
    const cash = placed.amountDue.amount;
    const first = await callJson(`/admin/api/orders/${placed.orderId}/refund`, "POST", { amount: cash - 100, reason: "damaged box" });
    expect(first.status, await first.clone().text()).toBe(201);
    expect((await first.json<{ refund: { toGiftCards: Money } }>()).refund.toGiftCards.amount).toBe(0);
    expect((await card(gift.id)).balance.amount).toBe(0);
    // The next refund takes the provider's last 100 and 400 from the card.
    const second = await callJson(`/admin/api/orders/${placed.orderId}/refund`, "POST", { amount: 500, reason: "goodwill" });
    expect((await second.json<{ refund: { toGiftCards: Money } }>()).refund.toGiftCards.amount).toBe(400);
    expect((await card(gift.id)).balance.amount).toBe(400);
    // The remainder goes back onto the card and closes the order; nothing more can be refunded.
    const rest = await callJson(`/admin/api/orders/${placed.orderId}/refund`, "POST", { reason: "returned" });
    expect((await rest.json<{ refund: { amount: Money; toGiftCards: Money } }>()).refund).toMatchObject({
      amount: { amount: 600 },
      toGiftCards: { amount: 600 },
    });
    const after = await card(gift.id);
    expect(after.balance.amount).toBe(1000);
    expect(after.ledger.filter((e) => e.kind === "credit").map((e) => e.amount.amount)).toEqual([600, 400]);
    const final = await order(placed.orderId);
    expect(final).toMatchObject({ status: "refunded", refunded: { amount: placed.total.amount } });
    const more = await callJson(`/admin/api/orders/${placed.orderId}/refund`, "POST", { amount: 1, reason: "again" });
    expect(more.status).toBe(409);
    expect((await card(gift.id)).balance.amount).toBe(1000);
  });

  it("cancelling an order the cards paid in full puts it all back onto them, once", async () => {
    const gift = await issue(50_000);
    const { cart, sku } = await cartOf(2500, 2);
    const before = await available(sku);
    const placed = await (await payWith(cart, [gift.code])).json<Placed>();
    expect(placed.status).toBe("paid");
    const cancels = await Promise.all(
      [1, 2].map(() => callJson(`/admin/api/orders/${placed.orderId}/cancel`, "POST", { reason: "changed mind" })),
    );
    expect(cancels.some((r) => r.status === 200)).toBe(true);
    const after = await card(gift.id);
    expect(after.balance.amount).toBe(50_000);
    expect(after.ledger.filter((e) => e.kind === "credit")).toHaveLength(1);
    expect((await order(placed.orderId)).status).toBe("cancelled");
    expect(await available(sku)).toBe(before);
  });
});

describe("gift cards bought as products", () => {
  it("issues one card per unit when the order is paid, emails the buyer its code, and the code pays", async () => {
    const sku = unique("GIFTCARD").toUpperCase();
    await makeStockedProduct(100, { variants: [{ sku, price: { amount: 2500, currency: "USD" }, giftCard: true }] });
    const buyer = `${unique("buyer")}@example.com`;
    const cart = await makeCart();
    await addLine(cart, sku, 2);
    const placed = await (await checkout(cart, crypto.randomUUID(), checkoutBody({ email: buyer }))).json<Placed>();
    const none = await env.DB.prepare("select count(*) as n from gift_cards where order_id = ?")
      .bind(placed.orderId)
      .first<{ n: number }>();
    expect(none?.n).toBe(0);
    await payOrder(placed.orderId, placed.payment.id);
    // A second delivery of the payment issues nothing more.
    await payOrder(placed.orderId, placed.payment.id);
    const cards = await env.DB.prepare("select id, initial_amount, source from gift_cards where order_id = ?")
      .bind(placed.orderId)
      .all<{ id: string; initial_amount: number; source: string }>();
    expect(cards.results).toHaveLength(2);
    expect(cards.results.every((c) => c.initial_amount === 2500 && c.source === "order")).toBe(true);
    const emails = await env.DB.prepare("select type, data from notifications where recipient = ? and type = 'gift_card.issued'")
      .bind(buyer)
      .all<{ type: string; data: string }>();
    expect(emails.results).toHaveLength(2);
    const email = await renderNotification(env, createDb(env.DB), "gift_card.issued", JSON.parse(emails.results[0]!.data));
    const code = /[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}/.exec(email.text)?.[0];
    expect(code, email.text).toBeTruthy();
    const { cart: next } = await cartOf(1000);
    const spent = await (await payWith(next, [code!])).json<Placed>();
    expect(spent.giftCards[0]?.amount.amount).toBe(Math.min(2500, spent.total.amount));
  });

  it("refunding a bought card takes it back, and refuses once the card has been spent from", async () => {
    const sku = unique("GIFTBACK").toUpperCase();
    await makeStockedProduct(100, { variants: [{ sku, price: { amount: 4000, currency: "USD" }, giftCard: true }] });
    const cart = await makeCart();
    await addLine(cart, sku, 2);
    const placed = await (await checkout(cart)).json<Placed>();
    await payOrder(placed.orderId, placed.payment.id);
    const cards = (
      await env.DB.prepare("select id from gift_cards where order_id = ? order by id").bind(placed.orderId).all<{ id: string }>()
    ).results.map((r) => r.id);
    expect(cards).toHaveLength(2);
    // Spend from one card (as staff could read it from its object: pay an order with it through checkout).
    const spentId = cards[0]!;
    const spender = await env.GIFT_CARDS.getByName(spentId).debit(`ord_test_${Date.now()}`, 100, "USD");
    expect(spender.ok).toBe(true);
    // One unit back: the untouched card is taken back (emptied and switched off).
    const one = await callJson(`/admin/api/orders/${placed.orderId}/refund`, "POST", { lines: [{ sku, quantity: 1 }], reason: "unwanted" });
    expect(one.status, await one.clone().text()).toBe(201);
    const other = cards[1]!;
    expect(await card(other)).toMatchObject({ balance: { amount: 0 }, disabled: true });
    // The other unit's card was spent from: its money cannot come back too.
    const two = await callJson(`/admin/api/orders/${placed.orderId}/refund`, "POST", { lines: [{ sku, quantity: 1 }], reason: "unwanted" });
    expect(two.status).toBe(409);
    expect(await two.json()).toMatchObject({ code: "gift_card_used" });
    expect((await card(spentId)).balance.amount).toBe(3900);
  });
});

describe("gift card issuing and providers", () => {
  it("staff top a card up, take from it (never below zero) and change its expiry, each recorded in the ledger", async () => {
    const gift = await issue(1000);
    const adjust = (body: Record<string, unknown>, key = crypto.randomUUID()) =>
      call(`/admin/api/gift-cards/${gift.id}/adjust`, {
        method: "POST",
        headers: { ...ADMIN, "Content-Type": "application/json", "Idempotency-Key": key },
        body: JSON.stringify(body),
      });
    const key = crypto.randomUUID();
    expect((await adjust({ amount: 500, reason: "late parcel" }, key)).status).toBe(200);
    // The same request again changes nothing more.
    expect((await (await adjust({ amount: 500, reason: "late parcel" }, key)).json<Card>()).balance.amount).toBe(1500);
    expect((await (await adjust({ amount: -99_999, reason: "fraud" })).json<Card>()).balance.amount).toBe(0);
    const later = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const dated = await (await adjust({ amount: 250, expiresAt: later, reason: "goodwill, 30 days" })).json<Card & { expiresAt: string }>();
    expect(dated).toMatchObject({ balance: { amount: 250 }, expiresAt: later });
    expect(dated.ledger.slice(0, 3).map((e) => [e.kind, e.amount.amount])).toEqual([
      ["adjust", 250],
      ["adjust", -1500],
      ["adjust", 500],
    ]);
    for (const bad of [{ reason: "nothing" }, { amount: 1.5, reason: "x" }, { amount: 5 }, { amount: 5, reason: "x", extra: 1 }]) {
      const res = await adjust(bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
    }
    expect((await callJson(`/admin/api/gift-cards/${gift.id}/adjust`, "POST", { amount: 5, reason: "x" }, VIEWER)).status).toBe(403);
    expect((await card(gift.id)).balance.amount).toBe(250);
  });

  it("the same Idempotency-Key issues one card with one code", async () => {
    const key = crypto.randomUUID();
    const send = () =>
      call("/admin/api/gift-cards", {
        method: "POST",
        headers: { ...ADMIN, "Content-Type": "application/json", "Idempotency-Key": key },
        body: JSON.stringify({ amount: 1500 }),
      });
    const a = await (await send()).json<Issued>();
    const b = await (await send()).json<Issued>();
    expect(b.id).toBe(a.id);
    expect(b.code).toBe(a.code);
    expect((await card(a.id)).ledger.filter((e) => e.kind === "issue")).toHaveLength(1);
  });

  it("leaves Stripe at least its minimum charge rather than a few cents it would refuse", async () => {
    const { cart } = await cartOf(3000);
    const quote = await (await call(`/api/carts/${cart}/quote?country=PT`)).json<{ total: Money }>();
    const gift = await issue(quote.total.amount - 20);
    const { placed, form } = await stripeCheckout(cart, [gift.code]);
    expect(placed.amountDue.amount).toBe(50);
    expect(placed.giftCards[0]?.amount.amount).toBe(quote.total.amount - 50);
    expect((await card(gift.id)).balance.amount).toBe(30);
    expect(form["line_items[0][price_data][unit_amount]"]).toBe("50");
  });
});

describe("gift cards and points in the admin pages", () => {
  it("issues a card from the form, shows its code on that page only, and a resubmitted form issues no second card", async () => {
    const staff = await signedIn("staff");
    const page = await (await staff.get("/admin/gift-cards")).text();
    const issueKey = /name="issueKey" value="([^"]+)"/.exec(page)?.[1];
    expect(issueKey).toBeTruthy();
    const form = { amount: "25.00", recipientEmail: "", note: "Sorry for the wait", expiresAt: "", issueKey: issueKey! };
    const first = await staff.post("/admin/gift-cards", form);
    expect(first.status).toBe(200);
    const html = await first.text();
    const code = /<code class="gift-code">([A-Z0-9-]{19})<\/code>/.exec(html)?.[1];
    expect(code, html).toBeTruthy();
    expect(html).toContain("$25.00");
    const again = await (await staff.post("/admin/gift-cards", form)).text();
    expect(again).toContain(code!);
    const id = /href="\/admin\/gift-cards\/(gc_[0-9a-f]{20})\/?"|action="\/admin\/gift-cards\/(gc_[0-9a-f]{20})\//.exec(html);
    const cardId = id?.[1] ?? id?.[2];
    expect(cardId).toBeTruthy();
    const detail = await (await staff.get(`/admin/gift-cards/${cardId}`)).text();
    expect(detail).not.toContain(code!);
    expect(detail).toContain("Sorry for the wait");
    // Taking 5.00 off from the card's page, with a reason, shows in its ledger.
    const adjustKey = /name="adjustKey" value="([^"]+)"/.exec(detail)?.[1] ?? "";
    const adjusted = await staff.post(`/admin/gift-cards/${cardId}/adjust`, {
      amount: "-5.00",
      expiresAt: "",
      reason: "typo in amount",
      adjustKey,
    });
    expect(adjusted.status).toBe(303);
    expect(flashOf(adjusted)).toMatchObject({ kind: "ok" });
    expect((await card(cardId!)).balance.amount).toBe(2000);
    expect(await (await staff.get(`/admin/gift-cards/${cardId}`)).text()).toContain("Adjusted");
    const rows = await env.DB.prepare("select count(*) as n from gift_cards where note = 'Sorry for the wait' and created_by like ?")
      .bind(`%${staff.email}%`)
      .first<{ n: number }>();
    expect(rows?.n).toBe(1);
    // A viewer sees cards but no form to issue them.
    const viewer = await signedIn("viewer");
    expect(await (await viewer.get("/admin/gift-cards")).text()).not.toContain('name="issueKey"');
    expect((await viewer.post("/admin/gift-cards", form)).status).toBe(403);
  });

  it("saves the points rules from the loyalty page, refusing nonsense", async () => {
    const owner = await signedIn("owner");
    const saved = await owner.post("/admin/loyalty", {
      enabled: "yes",
      earnPerUnit: "3",
      redeemStep: "200",
      stepValue: "2.50",
      pendingDays: "21",
      expiryDays: "0",
    });
    expect(saved.status).toBe(303);
    expect(await (await call("/admin/api/loyalty", { headers: ADMIN })).json()).toEqual({
      enabled: true,
      earnPerUnit: 3,
      redeemStep: 200,
      stepValue: 250,
      pendingDays: 21,
      expiryDays: 0,
    });
    const refused = await owner.post("/admin/loyalty", {
      enabled: "yes",
      earnPerUnit: "-1",
      redeemStep: "0",
      stepValue: "x",
      pendingDays: "1",
      expiryDays: "1",
    });
    expect(refused.status).toBe(303);
    expect(flashOf(refused)?.kind).toBe("error");
    expect((await (await call("/admin/api/loyalty", { headers: ADMIN })).json<{ redeemStep: number }>()).redeemStep).toBe(200);
    const page = await (await owner.get("/admin/loyalty")).text();
    expect(page).toContain('value="2.50"');
    await callJson("/admin/api/loyalty", "PUT", {
      enabled: false,
      earnPerUnit: 1,
      redeemStep: 100,
      stepValue: 100,
      pendingDays: 30,
      expiryDays: 365,
    });
  });
});
