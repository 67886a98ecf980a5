import { sql } from "drizzle-orm";
import type { Db } from "../db";
import type { OrderStatus } from "../db/schema";

/** The only moves an order may make (DESIGN.md, "Order states"). */
export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending_payment: ["paid", "cancelled"],
  paid: ["fulfilled", "refunded"],
  fulfilled: ["shipped", "refunded"],
  shipped: ["delivered"],
  delivered: [],
  cancelled: [],
  refunded: [],
};

/** Whether `from → to` is a legal move. */
export const canTransition = (from: OrderStatus, to: OrderStatus) => ORDER_TRANSITIONS[from].includes(to);

/** Whether `to` can still be reached from `from` by legal moves (an event that arrived early). */
export function reachable(from: OrderStatus, to: OrderStatus): boolean {
  const seen = new Set<OrderStatus>([from]);
  const queue: OrderStatus[] = [from];
  while (queue.length) {
    for (const next of ORDER_TRANSITIONS[queue.shift() as OrderStatus]) {
      if (next === to) return true;
      if (!seen.has(next)) seen.add(next) && queue.push(next);
    }
  }
  return false;
}

export interface TransitionMeta {
  reason?: string;
  actor: string;
  now: Date;
  /** Statements committed in the same D1 batch as the move (e.g. the provider event that caused it). */
  alsoRecord?: D1PreparedStatement[];
}

export type TransitionOutcome =
  | { ok: true; from: OrderStatus; to: OrderStatus }
  | { ok: false; code: "order_not_found" }
  | { ok: false; code: "illegal_transition"; from: OrderStatus; to: OrderStatus };

/**
 * Moves an order to `to` if the state machine allows it from its current status. The status change
 * and its event row are one atomic batch guarded by the status read, so concurrent moves cannot both
 * apply. Rejected moves are recorded (applied = false) and logged, never applied.
 */
export async function transitionOrder(db: Db, orderId: string, to: OrderStatus, meta: TransitionMeta): Promise<TransitionOutcome> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const row = await db.get<{ status: OrderStatus } | undefined>(sql`select status from orders where id = ${orderId}`);
    if (!row) return { ok: false, code: "order_not_found" };
    const from = row.status;
    const at = meta.now.getTime();
    if (!canTransition(from, to)) {
      await db.$client
        .prepare("insert into order_events (order_id, from_status, to_status, applied, reason, actor, at) values (?, ?, ?, 0, ?, ?, ?)")
        .bind(orderId, from, to, meta.reason ?? null, meta.actor, at)
        .run();
      console.warn(JSON.stringify({ level: "warn", msg: "illegal order transition rejected", orderId, from, to, actor: meta.actor }));
      return { ok: false, code: "illegal_transition", from, to };
    }
    try {
      await db.$client.batch([
        db.$client
          .prepare(
            `update orders set status = ?, updated_at = ?,
               cancel_reason = case when ? = 'cancelled' then ? else cancel_reason end
             where id = ? and status = ?`,
          )
          .bind(to, at, to, meta.reason ?? null, orderId, from),
        // Aborts the whole batch (json() rejects 'stale') if the status changed since it was read, so
        // neither the event row nor `alsoRecord` can commit without the move they describe.
        db.$client.prepare("select json(case when changes() = 1 then '1' else 'stale' end)"),
        db.$client
          .prepare("insert into order_events (order_id, from_status, to_status, applied, reason, actor, at) values (?, ?, ?, 1, ?, ?, ?)")
          .bind(orderId, from, to, meta.reason ?? null, meta.actor, at),
        ...(meta.alsoRecord ?? []),
      ]);
      return { ok: true, from, to };
    } catch (err) {
      if (!/malformed JSON/i.test(String(err))) throw err;
    }
    // Someone else moved the order between the read and the write: decide again on its new status.
  }
  throw new Error(`order ${orderId}: status kept changing under a transition to ${to}`);
}
