import { createDb } from "../src/db";
import { setPaymentIntent, unpaidOrdersDue } from "../src/db/order-store";
import { GIFT_CARD_TENDER, providerOf } from "../src/payments/provider";
import { giftCardsStillPay } from "../src/services/gift-cards";
import { queueEmail } from "../src/services/notifications";
import { cancelUnpaidOrder, markOrderPaid } from "../src/services/orders";
import { batchSize, eachUntilDeadline, type Job } from "./job";

/**
 * Unpaid orders past their hold: asks the provider first (a payment whose webhook never came is
 * marked paid), otherwise cancels the order and releases its stock.
 */
export const expireUnpaidOrders: Job = {
  name: "expire-unpaid-orders",
  async run({ env, now, state }) {
    const limit = batchSize(env, 50);
    const db = createDb(env.DB);
    const due = await unpaidOrdersDue(db, now, limit);
    const meta = { actor: "job:expire-unpaid-orders", now };
    let paid = 0;
    let cancelled = 0;
    const { items, errors } = await eachUntilDeadline(
      state,
      due,
      async (order) => {
        const provider = providerOf(env, order.paymentProvider);
        let payment = order.paymentId ? await provider.retrievePayment(order.paymentId) : null;
        // Paid with gift cards only: settled only if the cards still hold what the order took.
        if (order.paymentProvider === GIFT_CARD_TENDER && !(await giftCardsStillPay(env, db, order.id))) payment = null;
        if (payment?.paymentIntentId) await setPaymentIntent(db, order.id, payment.paymentIntentId);
        if (payment?.status === "succeeded") {
          const outcome = await markOrderPaid(env, db, order.id, { ...meta, reason: "payment succeeded; its webhook never arrived" });
          // An order whose stock went to someone else meanwhile was cancelled and refunded instead.
          if (outcome.ok && !outcome.stockLost) {
            await queueEmail(env, db, {
              id: `order.confirmation:${order.id}`,
              type: "order.confirmation",
              to: order.email,
              data: { orderId: order.id },
            });
            paid++;
          } else if (outcome.ok) {
            cancelled++;
          }
        } else if (payment?.status !== "processing") {
          await cancelUnpaidOrder(env, db, order.id, { ...meta, reason: "payment window expired" });
          if (order.paymentId) await provider.cancelPayment(order.paymentId).catch(() => {});
          cancelled++;
        }
      },
      { event: "job.expire_order_failed", fields: (order) => ({ orderId: order.id }) },
    );
    return { items, errors, detail: { paid, cancelled, more: due.length === limit } };
  },
};
