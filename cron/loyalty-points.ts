import { createDb } from "../src/db";
import { settleDuePoints } from "../src/services/loyalty";
import { batchSize, type Job } from "./job";

/**
 * Makes earned points spendable once their return window has closed and expires spendable points
 * past their date, for the customers whose copy says something is due (each customer's object
 * decides; running it again changes nothing).
 */
export const loyaltyPoints: Job = {
  name: "loyalty-points",
  async run({ env, now }) {
    const db = createDb(env.DB);
    const done = await settleDuePoints(env, db, now, batchSize(env, 500));
    return { items: done.customers, errors: 0, detail: done };
  },
};
