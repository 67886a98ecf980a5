import { sql } from "drizzle-orm";
import { createDb } from "../src/db";
import { inventoryOf } from "../src/services/inventory";
import { DAY_MS } from "./days";
import { batchSize, type Job } from "./job";

/**
 * Safety net behind the inventory alarms: SKUs of orders whose hold has lapsed (found in D1) get
 * their lapsed reservations released. Walks SKUs in order, resuming from its cursor.
 */
export const reservationSweep: Job = {
  name: "reservation-sweep",
  async run(env, _ctx, now, state) {
    const BATCH = batchSize(env, 100);
    const db = createDb(env.DB);
    const after = state.cursor ?? "";
    const rows = await db.all<{ sku: string }>(sql`
      select distinct l.sku from order_lines l join orders o on o.id = l.order_id
      where o.hold_expires_at <= ${now.getTime()} and o.hold_expires_at > ${now.getTime() - 2 * DAY_MS}
        and o.status in ('pending_payment', 'cancelled') and l.sku > ${after}
      order by l.sku limit ${BATCH}`);
    let items = 0;
    let errors = 0;
    let released = 0;
    let last: string | null = null;
    for (const { sku } of rows) {
      if (Date.now() > state.deadline) break;
      try {
        released += await inventoryOf(env, sku).releaseExpired(now.getTime());
        items++;
      } catch (err) {
        errors++;
        console.error(JSON.stringify({ level: "error", msg: "sweep failed for SKU", sku, error: String(err) }));
      }
      last = sku;
    }
    const done = rows.length < BATCH && last === (rows.at(-1)?.sku ?? null);
    return { items, errors, cursor: done ? null : (last ?? state.cursor), detail: { released } };
  },
};
