import { configOf } from "../config";
import { randomToken, sha256Hex } from "../crypto";
import type { Db } from "../db";
import {
  addRestocked,
  findOrder,
  findRefund,
  insertRefund,
  knownProviderRefunds,
  type OrderLineRow,
  type OrderRow,
  orderLinesOf,
  pendingRefunds,
  type RefundRow,
  type RefundWrite,
  refundsOf,
  reviveRefund,
  StaleWrite,
  setProviderRefundId,
  settleRefund,
} from "../db/order-store";
import { lateReservationId, reservationId } from "../domain/inventory";
import { toDecimalString } from "../domain/money";
import type { OrderStatus } from "../domain/order";
import type { Bindings } from "../env";
import { conflict, DomainError, invalid, notFound, unavailable } from "../errors";
import { log } from "../log";
import { PaymentProviderError, providerOf } from "../payments/provider";
import { cardsToTakeBack, creditOrderGiftCards, takeBackCards } from "./gift-cards";
import { inventoryOf } from "./inventory";
import { settleOrderPoints } from "./loyalty";
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

/** What the payment provider took of an order and has not given back. */
const providerLeft = (order: OrderRow) => order.total - order.giftCardTotal - (order.refunded - order.giftCardRefunded);

/** The part of a refund that goes back onto gift cards: whatever the provider's share cannot cover (cash back first). */
export const giftCardShare = (order: OrderRow, amount: number) => amount - Math.min(amount, Math.max(0, providerLeft(order)));

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
  /** A stable id for this refund (from an Idempotency-Key or a return): the same id twice is one refund. */
  refundId?: string;
  /** Leave the order's status as it is even when everything is refunded (a cancellation sets its own). */
  keepStatus?: boolean;
}

/** A refund as clients see it. */
export interface RefundView {
  id: string;
  amount: { amount: number; currency: string };
  /** Of the amount, what went back onto gift cards. */
  toGiftCards: { amount: number; currency: string };
  reason: string;
  status: string;
  lines: { sku: string; quantity: number }[] | null;
}

const view = (r: RefundRow, currency: string): RefundView => ({
  id: r.id,
  amount: { amount: r.amount, currency },
  toGiftCards: { amount: r.giftCardAmount, currency },
  reason: r.reason,
  status: r.status,
  lines: r.lines?.map(({ sku, quantity }) => ({ sku, quantity })) ?? null,
});

/** The refund id for an Idempotency-Key on an order. */
export const refundIdFor = async (orderId: string, key: string) => `ref_${(await sha256Hex(`${orderId}:${key}`)).slice(0, 20)}`;

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

/** Units of a line that were sold (their holds committed), as the SKU's object says. */
async function soldUnits(env: Bindings, orderId: string, sku: string): Promise<number> {
  const stock = inventoryOf(env, sku);
  const holds = await Promise.all([reservationId(orderId, sku), lateReservationId(orderId, sku)].map((id) => stock.reservation(id)));
  return holds.filter((h) => h?.state === "committed").reduce((n, h) => n + (h?.quantity ?? 0), 0);
}

/**
 * Puts back on hand up to `wanted` (all when undefined) of a line's units that were sold but never
 * shipped and not put back before. Each unit is counted once on the line (guarded) and given back
 * once by the SKU's object (its operation id is the count it brings the line to, so a retry repeats
 * nothing). Shipped units come back only through a received return.
 */
export async function restockUnshipped(env: Bindings, db: Db, orderId: string, sku: string, wanted?: number): Promise<number> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const line = (await orderLinesOf(db, orderId)).find((l) => l.sku === sku);
    if (!line) return 0;
    const sold = await soldUnits(env, orderId, sku);
    const open = Math.min(line.quantity - line.fulfilledQuantity, sold) - line.restockedQuantity;
    const units = Math.min(open, wanted ?? open);
    if (units <= 0) return 0;
    const to = line.restockedQuantity + units;
    await inventoryOf(env, sku).restock(`restock:${orderId}:${sku}:to${to}`, units, `unshipped units of ${orderId}`);
    try {
      await addRestocked(db, orderId, sku, units);
      return units;
    } catch (err) {
      if (!(err instanceof StaleWrite)) throw err;
    }
  }
  return 0;
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
 * Pays out a recorded (pending) refund and settles it: the provider's share through the provider,
 * then the gift cards' share back onto the cards (both keyed by the refund, so a retry repeats
 * nothing); throws what the caller should show.
 */
async function payOut(env: Bindings, db: Db, order: OrderRow, refund: RefundWrite): Promise<void> {
  const toGiftCards = refund.giftCardAmount ?? 0;
  const toProvider = refund.amount - toGiftCards;
  try {
    // A retry whose provider part already went through (its id was kept) only finishes the cards.
    let providerRefundId = refund.providerRefundId ?? null;
    if (toProvider > 0 && !providerRefundId) {
      const done = await providerOf(env, order.paymentProvider).refund(
        { paymentId: order.paymentId ?? "", paymentIntentId: order.paymentIntentId },
        toProvider,
        refund.id,
      );
      providerRefundId = done.id;
      if (toGiftCards > 0) await setProviderRefundId(db, refund.id, done.id);
    }
    if (toGiftCards > 0) await creditOrderGiftCards(env, db, order.id, refund.id, toGiftCards);
    await settleRefund(db, refund, { ok: true, providerRefundId }, new Date());
  } catch (err) {
    log.error("refund.provider_failed", { orderId: order.id, refundId: refund.id, error: err });
    if (err instanceof PaymentProviderError && !err.retryable) {
      await settleRefund(db, refund, { ok: false, error: String(err) }, new Date());
      throw conflict("refund_refused", `The payment provider refused the refund: ${err.message}`);
    }
    // Maybe it went through: the refund stays pending and the sweep asks the provider again with the same key.
    throw unavailable("payment_provider_unavailable", "The payment provider did not answer; the refund will be retried automatically.");
  }
}

/**
 * Refunds money through the payment provider and records it: by lines (their share of the charge,
 * tax included) or by amount, never more than remains. Restocks only what was asked and only units
 * that were sold and never shipped; moves the order to `refunded` once the whole amount is back;
 * emails the shopper once. The same `refundId` twice is one refund (its first answer is returned).
 */
export async function refundOrderMoney(env: Bindings, db: Db, orderId: string, req: RefundRequest, now = new Date()): Promise<RefundView> {
  const order = await findOrder(db, orderId);
  if (!order) throw notFound("Order", orderId);
  if (req.refundId) {
    const earlier = await findRefund(db, req.refundId);
    if (earlier?.status === "succeeded") {
      // A repeat heals what the first run may not have finished (points are safe to settle again).
      await settleOrderPoints(env, db, orderId, now);
      return view(earlier, order.currency);
    }
    if (earlier) throw conflict("refund_in_progress", "This refund is still being processed (or failed: use a new Idempotency-Key).");
  }
  if (!order.paidAt || !REFUNDABLE.includes(order.status)) {
    throw conflict("not_refundable", `An order that is ${order.status} has no payment to refund.`);
  }
  const remaining = order.total - order.refunded;
  const planned = req.lines?.length ? planLines(order, await orderLinesOf(db, orderId), req.lines) : null;
  const amount = planned ? planned.reduce((n, l) => n + l.amount, 0) : (req.amount ?? remaining);
  if (amount <= 0) throw conflict("refund_exceeds_remaining", "Nothing is left to refund on this order.", { remaining });
  if (amount > remaining) {
    throw conflict(
      "refund_exceeds_remaining",
      `Only ${toDecimalString({ amount: remaining, currency: order.currency })} ${order.currency} is left to refund.`,
      {
        remaining: { amount: remaining, currency: order.currency },
      },
    );
  }
  // Gift cards this order bought go back with the money paid for them (unspent ones only).
  const takeBack = await cardsToTakeBack(
    env,
    db,
    orderId,
    planned ? planned.map(({ sku, quantity }) => ({ sku, quantity })) : amount === remaining ? "all" : [],
  );
  const refund: RefundWrite = {
    id: req.refundId ?? `ref_${randomToken(12).replace(/[-_]/g, "x")}`,
    orderId,
    amount,
    giftCardAmount: giftCardShare(order, amount),
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
    await payOut(env, db, order, refund);
  } catch (err) {
    // A refund left pending is paid by the retry job: its cards go back now all the same.
    if (takeBack.length && err instanceof DomainError && err.kind === "unavailable") await takeBackCards(env, db, takeBack, refund.id, now);
    throw err;
  }
  if (takeBack.length) await takeBackCards(env, db, takeBack, refund.id, now);
  if (req.restock && refund.lines) for (const l of refund.lines) await restockUnshipped(env, db, orderId, l.sku, l.quantity);
  if (!req.keepStatus) await closeIfFullyRefunded(db, orderId, req.actor, now);
  await settleOrderPoints(env, db, orderId, now);
  if (req.notify !== false) {
    await queueEmail(env, db, {
      id: `order.refunded:${refund.id}`,
      type: "order.refunded",
      to: order.email,
      data: { orderId, refundId: refund.id, amount },
    });
  }
  return view((await findRefund(db, refund.id)) as RefundRow, order.currency);
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
 * itself are recognised (and one it marked failed after a timeout is counted again). A full refund
 * made at the provider closes the order and, per REFUND_RESTOCK, puts unshipped sold units back.
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
      if (r.status === "failed" || r.status === "canceled" || known.has(r.id)) continue;
      if (r.ourRefundId) {
        const ours = await findRefund(db, r.ourRefundId);
        if (ours?.status === "failed") {
          try {
            // Its gift card share was never credited (the provider part seemed to fail first).
            if (ours.giftCardAmount > 0) await creditOrderGiftCards(env, db, orderId, ours.id, ours.giftCardAmount, now);
            await reviveRefund(db, ours, r.id, now);
          } catch (err) {
            log.error("refund.revive_failed", { refundId: ours.id, error: err });
          }
        }
        continue;
      }
      found.push({ providerRefundId: r.id, amount: r.amount });
    }
  } else {
    // The charge covers what the provider took: the order's total less its gift cards.
    const charged = order.total - order.giftCardTotal;
    const total = charge.fullyRefunded ? charged : Math.min(charge.amountRefunded ?? 0, charged);
    const already = order.refunded - order.giftCardRefunded;
    if (total > already) found.push({ providerRefundId: `${charge.id}:${total}`, amount: total - already });
  }
  let recorded = 0;
  for (const f of found) {
    const current = (await findOrder(db, orderId)) as OrderRow;
    const amount = Math.min(f.amount, providerLeft(current));
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
  await completeFullRefund(env, db, orderId, "webhook", now);
  await settleOrderPoints(env, db, orderId, now);
  return recorded;
}

/**
 * Closes a fully refunded order and re-drives its stock effects (idempotent): holds never committed
 * are released; when the refund that completed it was made at the provider and REFUND_RESTOCK is
 * `always`, sold units that never shipped go back on hand (staff choose for their own refunds).
 */
export async function completeFullRefund(env: Bindings, db: Db, orderId: string, actor: string, now: Date) {
  const order = await findOrder(db, orderId);
  if (!order || order.refunded < order.total) return;
  await closeIfFullyRefunded(db, orderId, actor, now);
  const lines = await orderLinesOf(db, orderId);
  await releaseLiveHolds(
    env,
    orderId,
    lines.map((l) => l.sku),
    "order refunded",
  );
  const last = (await refundsOf(db, orderId)).filter((r) => r.status === "succeeded").at(-1);
  if (last?.source === "provider" && configOf(env).refundRestock === "always") {
    for (const l of lines) await restockUnshipped(env, db, orderId, l.sku);
  }
}

/** Asks the provider again about refunds left pending (a crash or a timeout), with their own idempotency keys. */
export async function retryPendingRefunds(
  env: Bindings,
  db: Db,
  now: Date,
  limit: number,
): Promise<{ settled: number; failed: number; cancelled: { orderId: string; reason: string }[] }> {
  let settled = 0;
  let failed = 0;
  const cancelled: { orderId: string; reason: string }[] = [];
  for (const refund of await pendingRefunds(db, new Date(now.getTime() - 2 * 60_000), limit)) {
    const order = await findOrder(db, refund.orderId);
    if (!order) continue;
    const write: RefundWrite = { ...refund, lines: refund.lines?.map((l) => ({ ...l, amount: l.amount ?? 0 })) ?? null };
    try {
      await payOut(env, db, order, write);
      settled++;
      // A cancellation waits for its refund; the caller finishes it rather than closing the order as refunded.
      if (refund.source === "cancel") cancelled.push({ orderId: order.id, reason: refund.reason });
      else await closeIfFullyRefunded(db, order.id, "job:refund-retry", now);
      await settleOrderPoints(env, db, order.id, now);
    } catch (err) {
      failed++;
      log.warn("refund.retry_failed", { refundId: refund.id, error: err });
    }
  }
  return { settled, failed, cancelled };
}
