import { createDb } from "../src/db";
import { skusWithLapsedHolds } from "../src/db/order-store";
import { inventoryOf } from "../src/services/inventory";
import { batchSize, eachUntilDeadline, type Job } from "./job";

/**
 * Safety net behind the inventory alarms: SKUs of orders whose hold has lapsed (found in D1) get
 * their lapsed reservations released. Walks SKUs in order, resuming from its cursor.
 */
export const reservationSweep: Job = {
  name: "reservation-sweep",
  async run({ env, now, state }) {
    const limit = batchSize(env, 100);
    const skus = await skusWithLapsedHolds(createDb(env.DB), now, state.cursor ?? "", limit);
    let released = 0;
    const { items, errors, last } = await eachUntilDeadline(
      state,
      skus,
      async (sku) => {
        released += await inventoryOf(env, sku).releaseExpired(now.getTime());
      },
      { event: "job.sweep_failed", fields: (sku) => ({ sku }) },
    );
    const done = skus.length < limit && last === skus.at(-1);
    return { items, errors, cursor: done ? null : (last ?? state.cursor), detail: { released } };
  },
};
