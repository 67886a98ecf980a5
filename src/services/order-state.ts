import type { Db } from "../db";
import { type Also, orderStatus, recordRejectedTransition, StaleWrite, writeTransition } from "../db/order-store";
import { canTransition, type OrderStatus } from "../domain/order";
import { log } from "../log";

export interface TransitionMeta {
  reason?: string;
  actor: string;
  now: Date;
  /** Statements committed in the same D1 batch as the move (e.g. the provider event that caused it). */
  alsoRecord?: Also;
  /** Apply the move only from these statuses (a payment failure may cancel an unpaid order, never a paid one). */
  from?: readonly OrderStatus[];
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
    const from = await orderStatus(db, orderId);
    if (!from) return { ok: false, code: "order_not_found" };
    const write = { id: orderId, from, to, reason: meta.reason, actor: meta.actor, now: meta.now };
    if (!canTransition(from, to) || (meta.from && !meta.from.includes(from))) {
      await recordRejectedTransition(db, write);
      log.warn("order.transition_rejected", { orderId, from, to, actor: meta.actor });
      return { ok: false, code: "illegal_transition", from, to };
    }
    try {
      await writeTransition(db, { ...write, also: meta.alsoRecord });
      return { ok: true, from, to };
    } catch (err) {
      if (!(err instanceof StaleWrite)) throw err;
    }
    // Someone else moved the order between the read and the write: decide again on its new status.
  }
  throw new Error(`order ${orderId}: status kept changing under a transition to ${to}`);
}
