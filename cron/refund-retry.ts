import { createDb } from "../src/db";
import { cancelOrder } from "../src/services/orders";
import { retryPendingRefunds } from "../src/services/refunds";
import { batchSize, type Job } from "./job";

/**
 * Refunds left pending by a crash or a provider timeout: asks the provider again with each refund's
 * own idempotency key, then finishes the cancellations that were waiting on their refund.
 */
export const refundRetry: Job = {
  name: "refund-retry",
  async run({ env, now }) {
    const db = createDb(env.DB);
    const { settled, failed, cancelled } = await retryPendingRefunds(env, db, now, batchSize(env, 25));
    for (const { orderId, reason } of cancelled) {
      await cancelOrder(env, db, orderId, { actor: "job:refund-retry", reason, now });
    }
    return { items: settled, errors: failed, detail: { settled, failed, cancelled: cancelled.length } };
  },
};
