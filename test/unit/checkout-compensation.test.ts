import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createDb } from "../../src/db";
import { DEFAULT_LOYALTY } from "../../src/domain/loyalty";
import { type PaymentProvider, testProvider } from "../../src/payments/provider";
import { issueGiftCard } from "../../src/services/gift-cards";
import { saveLoyaltySettings } from "../../src/services/loyalty";
import { CHECKOUT_STEP_IDS, runCheckout } from "../../src/workflows/checkout";
import { addLine, checkoutBody, makeCart, makeStockedProduct } from "../helpers/factories";
import { callJson } from "../helpers/worker";

/** Saga options that fail the checkout right after the step `after`. */
const failAfter = (after: string) => ({
  afterStep: (id: string) => {
    if (id === after) throw new Error("injected failure");
  },
});

const checkoutRun = (
  cartId: string,
  orderId: string,
  saga = {},
  provider: PaymentProvider = testProvider(),
  extra: { giftCards?: string[]; loyaltyPoints?: number; customerId?: string; email?: string } = {},
) =>
  runCheckout({
    env,
    db: createDb(env.DB),
    provider,
    cartId,
    input: {
      ...checkoutBody(extra.email ? { email: extra.email } : {}),
      ...(extra.giftCards ? { giftCards: extra.giftCards } : {}),
      ...(extra.loyaltyPoints ? { loyaltyPoints: extra.loyaltyPoints } : {}),
    },
    customerId: extra.customerId ?? null,
    orderId,
    now: new Date(),
    saga,
  });

/** A signed-in customer (as checkout sees one) with 300 spendable points. */
async function customerWithPoints(): Promise<{ id: string; email: string }> {
  const id = `cus_${crypto.randomUUID().replace(/-/g, "").slice(0, 24)}`;
  const email = `${id}@example.com`;
  const now = Date.now();
  await env.DB.prepare("insert into customers (id, email, name, created_at, updated_at) values (?, ?, 'Ada', ?, ?)")
    .bind(id, email, now, now)
    .run();
  const points = env.LOYALTY.getByName(id);
  await points.earn(`ord_seed_${id}`, 300, now - 1000, null, now - 2000);
  await points.settle(now);
  return { id, email };
}

describe("checkout compensation", () => {
  // Fail right after each step in turn; everything done before must be undone.
  for (let completed = 1; completed <= CHECKOUT_STEP_IDS.length; completed++) {
    const last = CHECKOUT_STEP_IDS[completed - 1]!;
    it(`undoes every earlier effect when the step after ${last} fails`, async () => {
      const a = await makeStockedProduct(6);
      const b = await makeStockedProduct(4);
      const cartId = await makeCart();
      await addLine(cartId, a.sku, 2);
      await addLine(cartId, b.sku, 1);
      // A limited code: its use must be given back too.
      const code = `UNDO${crypto.randomUUID().replace(/-/g, "").slice(0, 10)}`;
      const created = await callJson("/admin/api/discounts", "POST", { kind: "percentage", value: 10, code, usageLimit: 5 });
      const { id: discountId } = await created.json<{ id: string }>();
      expect((await callJson(`/api/carts/${cartId}/discounts`, "POST", { code }, {})).status).toBe(200);
      // A gift card paying part: its money must come back.
      const gift = await issueGiftCard(env, createDb(env.DB), { amount: 500, currency: "USD", actor: "test" });
      // Points spent: they must come back too.
      await saveLoyaltySettings(createDb(env.DB), { ...DEFAULT_LOYALTY, enabled: true }, "test");
      const { id: customerId, email } = await customerWithPoints();
      const orderId = `ord_${crypto.randomUUID().replace(/-/g, "").slice(0, 24)}`;
      await expect(
        checkoutRun(cartId, orderId, failAfter(last), testProvider(), { giftCards: [gift.code], loyaltyPoints: 200, customerId, email }),
      ).rejects.toThrow("injected failure");
      expect((await env.DISCOUNTS.getByName(discountId).usage()).used).toBe(0);
      expect((await env.GIFT_CARDS.getByName(gift.card.id).read(0))?.balance).toBe(500);
      expect((await env.LOYALTY.getByName(customerId).read(0)).available).toBe(300);

      expect(await env.INVENTORY.getByName(a.sku).snapshot()).toMatchObject({ reserved: 0, available: 6 });
      expect(await env.INVENTORY.getByName(b.sku).snapshot()).toMatchObject({ reserved: 0, available: 4 });
      const cart = await env.CART.getByName(cartId).get();
      expect(cart).toMatchObject({ ok: true, cart: { status: "open" } });
      const order = await env.DB.prepare("select status, cancel_reason from orders where id = ?").bind(orderId).first();
      if (completed > CHECKOUT_STEP_IDS.indexOf("create-order"))
        expect(order).toEqual({ status: "cancelled", cancel_reason: "checkout failed" });
      else expect(order).toBeNull();
    });
  }

  it("keeps going when one compensation fails, undoing the others", async () => {
    const { sku } = await makeStockedProduct(3);
    const cartId = await makeCart();
    await addLine(cartId, sku, 1);
    const orderId = `ord_${crypto.randomUUID().replace(/-/g, "").slice(0, 24)}`;
    // The payment's undo fails; the holds and the order are still undone.
    const brokenUndo: PaymentProvider = {
      ...testProvider(),
      async cancelPayment() {
        throw new Error("undo failed");
      },
    };
    await expect(checkoutRun(cartId, orderId, failAfter("create-payment"), brokenUndo)).rejects.toThrow("injected failure");
    expect((await env.INVENTORY.getByName(sku).snapshot()).reserved).toBe(0);
  });
});
