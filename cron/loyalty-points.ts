import { createDb } from "../src/db";
import { customersWithPointsDue, settleCustomerPoints } from "../src/services/loyalty";
import { batchSize, eachUntilDeadline, type Job } from "./job";

/**
 * Makes earned points spendable once their return window has closed and expires spendable points
 * past their date, for the customers whose copy says something is due, until the run's time is up
 * (each customer's object decides, so running it again changes nothing; the rest wait for the next run).
 */
export const loyaltyPoints: Job = {
  name: "loyalty-points",
  async run({ env, now, state }) {
    const db = createDb(env.DB);
    const limit = batchSize(env, 500);
    const due = await customersWithPointsDue(db, now, limit);
    let confirmed = 0;
    let expired = 0;
    const { items, errors } = await eachUntilDeadline(
      state,
      due,
      async (customerId) => {
        const done = await settleCustomerPoints(env, db, customerId, now);
        confirmed += done.confirmed;
        expired += done.expired;
      },
      { event: "loyalty.settle_failed", fields: (customerId) => ({ customerId }) },
    );
    return { items, errors, detail: { confirmed, expired, more: due.length === limit } };
  },
};
