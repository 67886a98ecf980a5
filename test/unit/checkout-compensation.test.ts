import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createDb } from "../../src/db";
import { testProvider } from "../../src/payments/provider";
import { CHECKOUT_STEPS, type CheckoutContext, runCheckout } from "../../src/workflows/checkout";
import type { Step } from "../../src/workflows/saga";
import { addLine, checkoutBody, makeCart, makeStockedProduct } from "../helpers/factories";

const boom: Step<CheckoutContext> = {
  id: "injected-failure",
  async run() {
    throw new Error("injected failure");
  },
};

describe("checkout compensation", () => {
  // Fail right after each step in turn; everything done before must be undone.
  for (let completed = 1; completed <= CHECKOUT_STEPS.length; completed++) {
    const last = CHECKOUT_STEPS[completed - 1]!.id;
    it(`undoes every earlier effect when the step after ${last} fails`, async () => {
      const a = await makeStockedProduct(6);
      const b = await makeStockedProduct(4);
      const cartId = await makeCart();
      await addLine(cartId, a.sku, 2);
      await addLine(cartId, b.sku, 1);
      const orderId = `ord_${crypto.randomUUID().replace(/-/g, "").slice(0, 24)}`;
      const steps = [...CHECKOUT_STEPS.slice(0, completed), boom];
      await expect(runCheckout(env, createDb(env.DB), testProvider, cartId, checkoutBody(), orderId, new Date(), steps)).rejects.toThrow(
        "injected failure",
      );

      expect(await env.INVENTORY.getByName(a.sku).snapshot()).toMatchObject({ reserved: 0, available: 6 });
      expect(await env.INVENTORY.getByName(b.sku).snapshot()).toMatchObject({ reserved: 0, available: 4 });
      const cart = await env.CART.getByName(cartId).get();
      expect(cart).toMatchObject({ ok: true, cart: { status: "open" } });
      const order = await env.DB.prepare("select status, cancel_reason from orders where id = ?").bind(orderId).first();
      if (completed >= 2) expect(order).toEqual({ status: "cancelled", cancel_reason: "checkout failed" });
      else expect(order).toBeNull();
    });
  }

  it("keeps going when one compensation fails, undoing the others", async () => {
    const { sku } = await makeStockedProduct(3);
    const cartId = await makeCart();
    await addLine(cartId, sku, 1);
    const orderId = `ord_${crypto.randomUUID().replace(/-/g, "").slice(0, 24)}`;
    const brokenUndo: Step<CheckoutContext> = {
      id: "broken-undo",
      async run() {},
      async compensate() {
        throw new Error("undo failed");
      },
    };
    const steps = [CHECKOUT_STEPS[0]!, CHECKOUT_STEPS[1]!, CHECKOUT_STEPS[2]!, brokenUndo, boom];
    await expect(runCheckout(env, createDb(env.DB), testProvider, cartId, checkoutBody(), orderId, new Date(), steps)).rejects.toThrow(
      "injected failure",
    );
    expect((await env.INVENTORY.getByName(sku).snapshot()).reserved).toBe(0);
  });
});
