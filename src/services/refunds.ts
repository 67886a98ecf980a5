import { configOf } from "../config";
import { randomToken } from "../crypto";
import type { Db } from "../db";
import {
  findOrder,
  insertRefund,
  knownProviderRefunds,
  type OrderLineRow,
  type OrderRow,
  orderLinesOf,
  type RefundWrite,
  restockedUnits,
  StaleWrite,
  settleRefund,
} from "../db/order-store";
import { lateReservationId, reservationId } from "../domain/inventory";
import type { OrderStatus } from "../domain/order";
import type { Bindings } from "../env";
import { conflict, invalid, notFound, unavailable } from "../errors";
import { log } from "../log";
import { PaymentProviderError, paymentProvider } from "../payments/provider";
import { inventoryOf } from "./inventory";
import { queueEmail } from "./notifications";
import { transitionOrder } from "./order-state";

/** Statuses from which money can go back (an order cancelled after payment keeps what was not yet refunded). */
const REFUNDABLE: readonly OrderStatus[] = ["paid", "fulfilled", "shipped", "delivered", "cancelled", "refunded"];

/** What a line's charge is: its total less its discount, plus its tax when tax was added on top. */
const lineCharge = (order: OrderRow, line: OrderLineRow) => line.lineTotal - line.discount + (order.taxIncluded ? 0 : line.tax);

/**
 * The money for `quantity` more units of a line: a proportional share, rounded down, except that the
 * last units take whatever of the line's charge is left, so the parts always add up to the whole.
 */
export function lineRefundAmount(order: OrderRow, line: OrderLineRow, quantity: number): number {
  const charge = lineCharge(order, line);
  if (line.refundedQuantity + quantity >= line.quantity) return charge - line.refundedAmount;
  return Math.floor((charge * quantity) / line.quantity);
}

export interface RefundRequest {
  /** Minor units in the order's currency; the whole remainder when neither this nor `lines` is given. */
  amount?: number;
  lines?: { sku: string; quantity: number }[];
  reason: string;
  restock: boolean;
  source: RefundWrite["source"];
  actor: string;
  returnId?: string;
  /** Notify the shopper (default true). */
  notify?: boolean;
}

/** A refund as clients see it. */
export interface RefundView {
  id: string;
  amount: { amount: number; currency: string };
  reason: string;
  status: string;
  lines: { sku: string; quantity: number }[] | null;
}

function planLines(order: OrderRow, lines: OrderLineRow[], wanted: { sku: string; quantity: number }[]) {
  const bySku = new Map(lines.map((l) => [l.sku, l]));
  const merged = new Map<string, number>();
  for (const w of wanted) merged.set(w.sku, (merged.get(w.sku) ?? 0) + w.quantity);
  return [...merged].map(([sku, quantity], i) => {
    const line = bySku.get(sku);
    if (!line)
      throw invalid("unknown_line", `This order has no line '${sku}'.`, [
        { field: `lines.${i}.sku`, in: "json", message: "Not in this order." },
      ]);
    const left = line.quantity - line.refundedQuantity;
    if (quantity > left) {
      throw conflict("refund_exceeds_remaining", `Only ${left} unit(s) of ${sku} are left to refund.`, { sku, remaining: left });
    }
    return { line, sku, quantity, amount: lineRefundAmount(order, line, quantity) };
  });
}

/** Gives back units the order sold (committed holds) once per refund; holds never committed are released instead. */
async function restockLines(env: Bindings, orderId: string, refundId: string, lines: { sku: string; quantity: number }[]) {
  for (const { sku, quantity } of lines) {
    const stock = inventoryOf(env, sku);
    const holds = await Promise.all([reservationId(orderId, sku), lateReservationId(orderId, sku)].map((id) => stock.reservation(id)));
    const sold = holds.filter((h) => h?.state === "committed").reduce((n, h) => n + (h?.quantity ?? 0), 0);
    const units = Math.min(quantity, sold);
    if (units > 0) await stock.restock(`refund:${orderId}:${refundId}:${sku}`, units, `refund ${refundId} of ${orderId}`);
  }
}

/** Releases holds of an order that were never turned into sales (an order refunded or cancelled before its commits ran). */
export async function releaseLiveHolds(env: Bindings, orderId: string, skus: string[], reason: string) {
  for (const sku of skus) {
    const stock = inventoryOf(env, sku);
    for (const id of [reservationId(orderId, sku), lateReservationId(orderId, sku)]) {
      if ((await stock.reservation(id))?.state === "active") await stock.release(id, reason);
    }
  }
}

/** Moves a fully refunded order to `refunded` (a cancelled one stays cancelled). */
async function closeIfFullyRefunded(db: Db, orderId: string, actor: string, now: Date) {
  const order = await findOrder(db, orderId);
  if (!order || order.refunded < order.total) return;
  if (order.status === "paid" || order.status === "fulfilled" || order.status === "shipped" || order.status === "delivered") {
    await transitionOrder(db, orderId, "refunded", { actor, reason: "refunded in full", now });
  }
}

/**
 * Refunds money through the payment provider and records it: by lines (their share of the charge,
 * tax included) or by amount, never more than remains. Restocks only what was asked and only units
 * that were sold; moves the order to `refunded` once the whole amount is back; emails the shopper once.
 */
export async function refundOrderMoney(env: Bindings, db: Db, orderId: string, req: RefundRequest, now = new Date()): Promise<RefundView> {
  const order = await findOrder(db, orderId);
  if (!order) throw notFound("Order", orderId);
  if (!order.paidAt || !REFUNDABLE.includes(order.status)) {
    throw conflict("not_refundable", `An order that is ${order.status} has no payment to refund.`);
  }
  const remaining = order.total - order.refunded;
  const planned = req.lines?.length ? planLines(order, await orderLinesOf(db, orderId), req.lines) : null;
  const amount = planned ? planned.reduce((n, l) => n + l.amount, 0) : (req.amount ?? remaining);
  if (amount <= 0) throw conflict("refund_exceeds_remaining", "Nothing is left to refund on this order.", { remaining });
  if (amount > remaining) {
    throw conflict("refund_exceeds_remaining", `Only ${remaining} (minor units) is left to refund.`, {
      remaining: { amount: remaining, currency: order.currency },
    });
  }
  const refund: RefundWrite = {
    id: `ref_${randomToken(12).replace(/[-_]/g, "x")}`,
    orderId,
    amount,
    reason: req.reason,
    lines: planned?.map(({ sku, quantity, amount: a }) => ({ sku, quantity, amount: a })) ?? null,
    restock: req.restock,
    source: req.source,
    status: "pending",
    returnId: req.returnId ?? null,
    actor: req.actor,
  };
  try {
    await insertRefund(db, refund, now);
  } catch (err) {
    if (err instanceof StaleWrite) throw conflict("refund_exceeds_remaining", "Another refund took the remaining amount first.");
    throw err;
  }
  try {
    const done = await paymentProvider(env).refund(
      { paymentId: order.paymentId ?? "", paymentIntentId: order.paymentIntentId },
      amount,
      refund.id,
    );
    await settleRefund(db, refund, { ok: true, providerRefundId: done.id }, new Date());
  } catch (err) {
    await settleRefund(db, refund, { ok: false, error: String(err) }, new Date());
    log.error("refund.provider_failed", { orderId, refundId: refund.id, error: err });
    if (err instanceof PaymentProviderError && !err.retryable)
      throw conflict("refund_refused", `The payment provider refused the refund: ${err.message}`);
    throw unavailable("payment_provider_unavailable", "The payment provider did not answer; nothing was refunded. Try again shortly.");
  }
  if (req.restock && refund.lines) await restockLines(env, orderId, refund.id, refund.lines);
  await closeIfFullyRefunded(db, orderId, req.actor, now);
  if (req.notify !== false) {
    await queueEmail(env, db, {
      id: `order.refunded:${refund.id}`,
      type: "order.refunded",
      to: order.email,
      data: { orderId, refundId: refund.id, amount },
    });
  }
  return {
    id: refund.id,
    amount: { amount, currency: order.currency },
    reason: refund.reason,
    status: "succeeded",
    lines: refund.lines?.map(({ sku, quantity }) => ({ sku, quantity })) ?? null,
  };
}

/** A charge as the provider reports it after refunds (cumulative amount, and the refunds when it lists them). */
export interface ProviderCharge {
  id: string;
  amount?: number;
  amountRefunded?: number;
  fullyRefunded?: boolean;
  refunds?: { id: string; amount: number; status?: string; ourRefundId?: string }[];
}

/**
 * Records refunds made at the provider (its dashboard) that the shop did not start, exactly once:
 * by refund id when the charge lists them, else by the cumulative amount. Refunds the shop started
 * itself are recognised and never counted twice. A full refund closes the order and, per
 * REFUND_RESTOCK, puts sold units back.
 */
export async function reconcileProviderRefunds(
  env: Bindings,
  db: Db,
  orderId: string,
  charge: ProviderCharge,
  now = new Date(),
): Promise<number> {
  const order = await findOrder(db, orderId);
  if (!order) throw notFound("Order", orderId);
  const known = await knownProviderRefunds(db, orderId);
  const found: { providerRefundId: string; amount: number }[] = [];
  if (charge.refunds?.length) {
    for (const r of charge.refunds) {
      if (r.status === "failed" || r.status === "canceled" || known.has(r.id) || r.ourRefundId) continue;
      found.push({ providerRefundId: r.id, amount: r.amount });
    }
  } else {
    const total = charge.fullyRefunded ? order.total : Math.min(charge.amountRefunded ?? 0, order.total);
    if (total > order.refunded) found.push({ providerRefundId: `${charge.id}:${total}`, amount: total - order.refunded });
  }
  let recorded = 0;
  for (const f of found) {
    const current = (await findOrder(db, orderId)) as OrderRow;
    const amount = Math.min(f.amount, current.total - current.refunded);
    if (amount <= 0) continue;
    const refund: RefundWrite = {
      id: `ref_${randomToken(12).replace(/[-_]/g, "x")}`,
      orderId,
      amount,
      reason: "refunded at the payment provider",
      lines: null,
      restock: false,
      source: "provider",
      status: "succeeded",
      providerRefundId: f.providerRefundId,
      actor: "webhook",
    };
    try {
      await insertRefund(db, refund, now);
    } catch (err) {
      if (err instanceof StaleWrite) continue; // recorded by a concurrent delivery
      throw err;
    }
    recorded++;
    await queueEmail(env, db, {
      id: `order.refunded:${refund.id}`,
      type: "order.refunded",
      to: order.email,
      data: { orderId, refundId: refund.id, amount },
    });
  }
  const after = (await findOrder(db, orderId)) as OrderRow;
  if (after.refunded >= after.total) await completeFullRefund(env, db, orderId, "webhook", now);
  return recorded;
}

/**
 * Closes a fully refunded order and re-drives its stock effects (idempotent): holds never committed
 * are released; sold units go back on hand when REFUND_RESTOCK is `always`.
 */
export async function completeFullRefund(env: Bindings, db: Db, orderId: string, actor: string, now: Date) {
  await closeIfFullyRefunded(db, orderId, actor, now);
  const lines = await orderLinesOf(db, orderId);
  await releaseLiveHolds(
    env,
    orderId,
    lines.map((l) => l.sku),
    "order refunded",
  );
  if (configOf(env).refundRestock === "always") {
    // Units an earlier refund already put back are not put back again.
    const restocked = await restockedUnits(db, orderId);
    const rest = lines.map((l) => ({ sku: l.sku, quantity: l.quantity - (restocked.get(l.sku) ?? 0) })).filter((l) => l.quantity > 0);
    await restockLines(env, orderId, "full", rest);
  }
}
