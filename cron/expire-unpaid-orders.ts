import { and, asc, eq, lte } from "drizzle-orm";
import { createDb } from "../src/db";
import { orders } from "../src/db/schema";
import { paymentProvider } from "../src/payments/provider";
import { queueEmail } from "../src/services/notifications";
import { cancelOrder, markOrderPaid } from "../src/services/orders";
import { batchSize, type Job } from "./job";

/**
 * Unpaid orders past their hold: asks the provider first (a payment whose webhook never came is
 * marked paid), otherwise cancels the order and releases its stock.
 */
export const expireUnpaidOrders: Job = {
  name: "expire-unpaid-orders",
  async run(env, _ctx, now, state) {
    const BATCH = batchSize(env, 50);
    const db = createDb(env.DB);
    const provider = paymentProvider(env);
    const due = await db
      .select({ id: orders.id, email: orders.email, paymentId: orders.paymentId })
      .from(orders)
      .where(and(eq(orders.status, "pending_payment"), lte(orders.holdExpiresAt, now)))
      .orderBy(asc(orders.holdExpiresAt), asc(orders.id))
      .limit(BATCH);
    const meta = { actor: "job:expire-unpaid-orders", now };
    let items = 0;
    let errors = 0;
    let paid = 0;
    let cancelled = 0;
    for (const order of due) {
      if (Date.now() > state.deadline) break;
      try {
        const payment = order.paymentId ? await provider.retrievePayment(order.paymentId) : null;
        if (payment?.status === "succeeded") {
          await markOrderPaid(env, db, order.id, { ...meta, reason: "payment succeeded; its webhook never arrived" });
          await queueEmail(env, db, {
            id: `order.confirmation:${order.id}`,
            type: "order.confirmation",
            to: order.email,
            data: { orderId: order.id },
          });
          paid++;
        } else if (payment?.status !== "processing") {
          await cancelOrder(env, db, order.id, { ...meta, reason: "payment window expired" });
          if (order.paymentId) await provider.cancelPayment(order.paymentId).catch(() => {});
          cancelled++;
        }
        items++;
      } catch (err) {
        errors++;
        console.error(JSON.stringify({ level: "error", msg: "could not expire order", orderId: order.id, error: String(err) }));
      }
    }
    return { items, errors, detail: { paid, cancelled, more: due.length === BATCH } };
  },
};
