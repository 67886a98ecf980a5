import { Hono } from "hono";
import { csrf } from "hono/csrf";
import { z } from "zod";
import { configOf } from "../config";
import type { AppEnv } from "../env";
import { notFound } from "../errors";
import { requestDb } from "../request-db";
import { testPayment } from "../services/orders";
import { shopOf } from "../services/shop";
import { paymentReturnUrls } from "../services/signed-links";
import { acceptStripeEvent } from "../services/webhook-intake";
import { validate } from "../validation";
import { renderDocument } from "../views/document";
import { PayTestPage } from "../views/pages/pay-test";
import { stripeSignatureHeader } from "../webhooks/signatures";
import { formOf, NO_STORE, text } from "./shopper-session";

const paymentParam = z.object({ paymentId: z.string().regex(/^test_cs_[A-Za-z0-9]{24}$/, "Not a test payment id.") });

/**
 * The local test provider's hosted page (only while Stripe is not configured). Paying sends a signed
 * `checkout.session.completed` event through the same webhook intake and queue as Stripe's; declining
 * returns the shopper to the cart, as leaving Stripe's page does.
 */
export const payTest = new Hono<AppEnv>()
  .use("/*", csrf())
  .get("/:paymentId", validate("param", paymentParam), async (c) => {
    const payment = await testPayment(c.env, requestDb(c), c.req.valid("param").paymentId);
    if (!payment) throw notFound("Payment", c.req.valid("param").paymentId);
    const body = await renderDocument(<PayTestPage shop={shopOf(c.env)} {...payment} />);
    return c.html(body, 200, NO_STORE);
  })
  .post("/:paymentId", validate("param", paymentParam), async (c) => {
    const { paymentId } = c.req.valid("param");
    const payment = await testPayment(c.env, requestDb(c), paymentId);
    if (!payment) throw notFound("Payment", paymentId);
    const outcome = text((await formOf(c)).outcome);
    const back = await paymentReturnUrls(c.env, payment.orderId);
    if (outcome !== "pay") return c.redirect(`${new URL(back.cancelUrl).pathname}${new URL(back.cancelUrl).search}&reason=declined`, 303);
    if (payment.open) {
      const event = {
        id: `evt_test_${crypto.randomUUID().replace(/-/g, "")}`,
        object: "event",
        type: "checkout.session.completed",
        created: Math.floor(Date.now() / 1000),
        data: {
          object: {
            id: paymentId,
            object: "checkout.session",
            status: "complete",
            payment_status: "paid",
            amount_total: payment.total.amount,
            currency: payment.total.currency.toLowerCase(),
            payment_intent: `test_pi_${paymentId.slice(8)}`,
            metadata: { order_id: payment.orderId },
          },
        },
      };
      const raw = JSON.stringify(event);
      const now = Math.floor(Date.now() / 1000);
      await acceptStripeEvent(c.env, raw, await stripeSignatureHeader(configOf(c.env).stripeWebhookSecret, raw, now), now);
    }
    return c.redirect(`${new URL(back.successUrl).pathname}${new URL(back.successUrl).search}`, 303);
  });
