import { sql } from "drizzle-orm";
import { createDb } from "../src/db";
import { restoreLink, unsubscribeLink } from "../src/services/cart-links";
import { queueEmail } from "../src/services/notifications";
import { batchSize, type Job } from "./job";

/**
 * One recovery email per cart that has an email, items, and has been idle for ABANDONED_CART_HOURS
 * (default 24), never to an address that unsubscribed. Found in the D1 cart index, without waking carts.
 */
export const abandonedCarts: Job = {
  name: "abandoned-carts",
  async run(env, _ctx, now, state) {
    const BATCH = batchSize(env, 100);
    const db = createDb(env.DB);
    const hours = Number(env.ABANDONED_CART_HOURS ?? 24) || 24;
    const idleSince = now.getTime() - hours * 3_600_000;
    const carts = await db.all<{ cart_id: string; email: string }>(sql`
      select cart_id, email from cart_index
      where status = 'open' and email is not null and item_count > 0 and reminded_at is null
        and updated_at <= ${idleSince} and expires_at > ${now.getTime()}
        and lower(email) not in (select email from email_unsubscribes)
      order by updated_at limit ${BATCH}`);
    let items = 0;
    let errors = 0;
    for (const cart of carts) {
      if (Date.now() > state.deadline) break;
      try {
        await queueEmail(env, db, {
          id: `cart.abandoned:${cart.cart_id}`,
          type: "cart.abandoned",
          to: cart.email,
          data: {
            cartId: cart.cart_id,
            restoreUrl: await restoreLink(env, cart.cart_id),
            unsubscribeUrl: await unsubscribeLink(env, cart.email),
          },
        });
        await db.run(sql`update cart_index set reminded_at = ${now.getTime()} where cart_id = ${cart.cart_id}`);
        items++;
      } catch (err) {
        errors++;
        console.error(JSON.stringify({ level: "error", msg: "abandoned-cart reminder failed", cartId: cart.cart_id, error: String(err) }));
      }
    }
    return { items, errors, detail: { more: carts.length === BATCH } };
  },
};
