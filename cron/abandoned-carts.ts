import { configOf } from "../src/config";
import { createDb } from "../src/db";
import { claimReminderAddress, abandonedCarts as findAbandoned, markCartReminded } from "../src/db/cart-index-store";
import { queueEmail } from "../src/services/notifications";
import { restoreLink, unsubscribeLink } from "../src/services/signed-links";
import { batchSize, eachUntilDeadline, type Job } from "./job";

/**
 * One recovery email per cart that has an email, items, and has been idle for ABANDONED_CART_HOURS
 * (default 24), only to an address that asked for it on the cart or has paid for an order before,
 * at most one a day per address, never to an address that unsubscribed. Found in the D1 cart index,
 * without waking carts.
 */
export const abandonedCarts: Job = {
  name: "abandoned-carts",
  async run({ env, now, state }) {
    const limit = batchSize(env, 100);
    const db = createDb(env.DB);
    const idleSince = new Date(now.getTime() - configOf(env).abandonedCartHours * 3_600_000);
    const carts = await findAbandoned(db, idleSince, now, limit);
    const { items, errors } = await eachUntilDeadline(
      state,
      carts,
      async (cart) => {
        // Another cart of the same address may have taken today's reminder (in this run or a concurrent one).
        if (!(await claimReminderAddress(db, cart.email, now))) return;
        await queueEmail(env, db, {
          id: `cart.abandoned:${cart.cartId}`,
          type: "cart.abandoned",
          to: cart.email,
          data: {
            cartId: cart.cartId,
            restoreUrl: await restoreLink(env, cart.cartId),
            unsubscribeUrl: await unsubscribeLink(env, cart.email),
          },
        });
        await markCartReminded(db, cart.cartId, now);
      },
      { event: "job.abandoned_cart_failed", fields: (cart) => ({ cartId: cart.cartId }) },
    );
    return { items, errors, detail: { more: carts.length === limit } };
  },
};
