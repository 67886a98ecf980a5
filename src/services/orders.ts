import { safeEqual, sha256Hex } from "../crypto";
import type { Db } from "../db";
import {
  findOrder,
  findOrderByPaymentId,
  findOrderDetail,
  hasPaymentStep,
  listOrderRows,
  type OrderRow,
  type OrderSearch,
  orderLineQuantities,
  orderLinesOf,
  orderStatus,
  ordersCancelledFor,
  orderTokenHash,
  recordOrderEvent,
} from "../db/order-store";
import { lateReservationId, reservationId } from "../domain/inventory";
import { fulfilmentStatusOf, type OrderView, paymentStatusOf, STOCK_LOST } from "../domain/order";
import type { Bindings } from "../env";
import { conflict, DomainError } from "../errors";
import { log } from "../log";
import { paymentProvider, providerOf } from "../payments/provider";
import { releaseOrderDiscounts } from "./discounts";
import { issuePurchasedGiftCards, releaseOrderGiftCards } from "./gift-cards";
import { inventoryOf } from "./inventory";
import { earnOrderPoints, restoreOrderPoints, settleOrderPoints } from "./loyalty";
import { queueEmail } from "./notifications";
import { type TransitionMeta, type TransitionOutcome, transitionOrder } from "./order-state";
import { refundOrderMoney, releaseLiveHolds, restockUnshipped } from "./refunds";

/** An order with its lines, history, shipments, refunds and returns, as clients see it. */
export async function getOrder(db: Db, orderId: string): Promise<OrderView | undefined> {
  const detail = await findOrderDetail(db, orderId);
  if (!detail) return undefined;
  const { order, lines, events, tracking, discounts } = detail;
  const money = (amount: number) => ({ amount, currency: order.currency });
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return {
    id: order.id,
    status: order.status,
    paymentStatus: paymentStatusOf(order),
    fulfilmentStatus: fulfilmentStatusOf(lines),
    email: order.email,
    currency: order.currency,
    lines: lines.map((l) => ({
      sku: l.sku,
      title: l.title,
      variantTitle: l.variantTitle,
      quantity: l.quantity,
      unitPrice: money(l.unitPrice),
      lineTotal: money(l.lineTotal),
      discount: money(l.discount),
      tax: money(l.tax),
      fulfilledQuantity: l.fulfilledQuantity,
      refundedQuantity: l.refundedQuantity,
      returnedQuantity: l.returnedQuantity,
    })),
    subtotal: money(order.subtotal),
    discount: money(order.discount),
    discounts: discounts.map((d) => ({ code: d.code, title: d.title, amount: money(d.amount) })),
    shipping: money(order.shipping),
    tax: money(order.tax),
    taxIncluded: order.taxIncluded,
    taxName: order.taxName,
    total: money(order.total),
    giftCards: detail.giftCards.map((g) => ({ last4: g.last4, amount: money(g.amount) })),
    amountDue: money(order.total - order.giftCardTotal),
    refunded: money(order.refunded),
    shippingAddress: order.shippingAddress,
    shippingMethod: order.shippingMethodId
      ? { id: order.shippingMethodId, name: order.shippingMethodName ?? order.shippingMethodId }
      : null,
    payment: { provider: order.paymentProvider, id: order.paymentId },
    paymentUrl: order.status === "pending_payment" ? order.paymentUrl : null,
    paidAt: iso(order.paidAt),
    holdExpiresAt: iso(order.holdExpiresAt),
    cancelReason: order.cancelReason,
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
    shipments: detail.shipments.map((s) => ({
      id: s.id,
      carrier: s.carrier,
      trackingNumber: s.trackingNumber,
      trackingUrl: s.trackingUrl,
      lines: s.lines,
      createdAt: s.createdAt.toISOString(),
    })),
    refunds: detail.refunds.map((r) => ({
      id: r.id,
      amount: money(r.amount),
      toGiftCards: money(r.giftCardAmount),
      reason: r.reason,
      status: r.status,
      source: r.source,
      lines: r.lines?.map(({ sku, quantity }) => ({ sku, quantity })) ?? null,
      createdAt: r.createdAt.toISOString(),
    })),
    returns: detail.returns.map((r) => ({
      id: r.id,
      status: r.status,
      reason: r.reason,
      lines: r.lines,
      note: r.note,
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
    })),
    events: events.map((e) => ({
      kind: e.kind,
      from: e.fromStatus,
      to: e.toStatus,
      applied: e.applied,
      reason: e.reason,
      detail: e.detail ?? null,
      actor: e.actor,
      at: e.at.toISOString(),
    })),
    tracking: tracking.map((t) => ({
      carrier: t.carrier,
      trackingNumber: t.trackingNumber,
      status: t.status,
      location: t.location,
      at: t.occurredAt.toISOString(),
    })),
  };
}

/** What the shopper's own pages need of an order they just placed: its status, cart and payment. */
export async function findOrderForShopper(db: Db, orderId: string) {
  const order = await findOrder(db, orderId);
  return (
    order && {
      id: order.id,
      status: order.status,
      cartId: order.cartId,
      paymentId: order.paymentId,
      paymentProvider: order.paymentProvider,
    }
  );
}

/** A payment of the local test provider, for its hosted page (none while Stripe is configured). */
export async function testPayment(env: Bindings, db: Db, paymentId: string) {
  if (paymentProvider(env).name !== "test") return undefined;
  const order = await findOrderByPaymentId(db, paymentId);
  if (order?.paymentProvider !== "test") return undefined;
  return {
    paymentId,
    orderId: order.id,
    email: order.email,
    total: { amount: order.total - order.giftCardTotal, currency: order.currency },
    open: order.status === "pending_payment",
  };
}

/** Whether `token` opens order `orderId` (constant-time against the stored hash). */
export async function orderTokenValid(db: Db, orderId: string, token: string): Promise<boolean> {
  const hash = await orderTokenHash(db, orderId);
  return hash !== undefined && safeEqual(await sha256Hex(token), hash);
}

/** Orders for the admin, newest first. */
export async function listOrders(db: Db, query: OrderSearch) {
  const { items, total } = await listOrderRows(db, query);
  return {
    items: items.map((o) => ({
      ...o,
      total: { amount: o.total, currency: o.currency },
      refunded: { amount: o.refunded, currency: o.currency },
    })),
    page: query.page,
    limit: query.limit,
    total,
  };
}

/** What paying an order did; `stockLost` when its units were gone, so it was cancelled and its money given back. */
export type PaidOutcome = TransitionOutcome & { shortSkus?: string[]; replayed?: boolean; stockLost?: boolean };

/** How long a hold taken again at payment time lasts: just long enough to be committed. */
const LATE_HOLD_MS = 60_000;

/** The timeline step of a lost-stock payment given back. */
const LOST_STOCK_REFUNDED = "refunded_stock_lost";

/** The provider refund key of money that arrived for an order that could no longer take it (one refund per order). */
export const lateRefundId = (orderId: string) => `late-${orderId}`;

/**
 * Holds every line of an unpaid order for its payment: its own hold if still live, else a new (late)
 * one. Returns the SKUs that could not be held; then the late holds taken here are given back.
 */
async function holdForPayment(env: Bindings, db: Db, orderId: string, now: number): Promise<string[]> {
  const short: string[] = [];
  const taken: string[] = [];
  for (const line of await orderLineQuantities(db, orderId)) {
    const stock = inventoryOf(env, line.sku);
    const own = await stock.reservation(reservationId(orderId, line.sku));
    if (own?.state === "committed" || (own?.state === "active" && own.expiresAt > now)) continue;
    const late = await stock.reserve(lateReservationId(orderId, line.sku), line.quantity, LATE_HOLD_MS, orderId);
    if (!late.ok) short.push(line.sku);
    else if (!late.replayed) taken.push(line.sku);
  }
  if (short.length) {
    for (const sku of taken) await inventoryOf(env, sku).release(lateReservationId(orderId, sku), "another line's stock was lost");
  }
  return short;
}

/** Turns an order's holds into sales; returns the SKUs whose units could not be had. Idempotent. */
async function commitHolds(env: Bindings, db: Db, orderId: string): Promise<string[]> {
  const shortSkus: string[] = [];
  for (const line of await orderLineQuantities(db, orderId)) {
    const stock = inventoryOf(env, line.sku);
    const lateId = lateReservationId(orderId, line.sku);
    let committed = await stock.commit(reservationId(orderId, line.sku));
    if (!committed.ok) committed = await stock.commit(lateId);
    if (!committed.ok) {
      const again = await stock.reserve(lateId, line.quantity, LATE_HOLD_MS, orderId);
      committed = again.ok ? await stock.commit(lateId) : again;
    }
    if (!committed.ok) shortSkus.push(line.sku);
  }
  return shortSkus;
}

/**
 * Marks an order paid and turns its reservations into sales (stock leaves on-hand). A hold that
 * lapsed before payment is taken again if stock allows. If the units went to someone else meanwhile,
 * the order is never paid for them: it is cancelled (`stock_lost`), the payment goes back through
 * the provider and the shopper is told, once. Safe to repeat: for an order already paid it re-drives
 * the commits (each is idempotent), so a crash between the status change and the commits heals.
 */
export async function markOrderPaid(env: Bindings, db: Db, orderId: string, meta: TransitionMeta): Promise<PaidOutcome> {
  const status = await orderStatus(db, orderId);
  const alreadyPaid = status === "paid";
  if (status === "pending_payment") {
    const short = await holdForPayment(env, db, orderId, meta.now.getTime());
    if (short.length) return loseStockUnpaid(env, db, orderId, meta, short);
  }
  const moved: TransitionOutcome = alreadyPaid ? { ok: true, from: "paid", to: "paid" } : await transitionOrder(db, orderId, "paid", meta);
  if (!moved.ok) return moved;
  const shortSkus = await commitHolds(env, db, orderId);
  if (shortSkus.length) {
    // The hold lapsed between the check and the commit (or an order paid before this check existed).
    log.error("order.paid_short", { orderId, shortSkus });
    await loseStockPaid(env, db, orderId, meta);
    const to = (await orderStatus(db, orderId)) ?? moved.to;
    return { ...moved, to, shortSkus, replayed: alreadyPaid, stockLost: true };
  }
  // What the payment bought beyond the goods: gift cards to issue, points to credit (both once per order).
  const [paid, lines] = await Promise.all([findOrder(db, orderId), orderLinesOf(db, orderId)]);
  if (paid) {
    await issuePurchasedGiftCards(env, db, paid, lines, meta.now);
    await earnOrderPoints(env, db, paid, lines, meta.now);
  }
  return { ...moved, shortSkus, replayed: alreadyPaid };
}

/** A payment for an unpaid order whose units are gone: cancel it (with the event that brought the payment), then give the money back. */
async function loseStockUnpaid(env: Bindings, db: Db, orderId: string, meta: TransitionMeta, shortSkus: string[]): Promise<PaidOutcome> {
  const moved = await cancelUnpaidOrder(env, db, orderId, { ...meta, reason: STOCK_LOST });
  if (!moved.ok) return moved;
  log.warn("order.stock_lost", { orderId, shortSkus });
  await settleLostStock(env, db, orderId, meta.actor, meta.now);
  return { ...moved, shortSkus, stockLost: true };
}

/** A paid order whose units could not be committed: refund it in full and cancel it (staff's cancel, with its own email). */
async function loseStockPaid(env: Bindings, db: Db, orderId: string, meta: TransitionMeta) {
  try {
    await cancelOrder(env, db, orderId, { actor: meta.actor, now: meta.now, reason: STOCK_LOST });
  } catch (err) {
    // A refund still pending at the provider: the refund-retry job finishes the cancellation.
    if (!(err instanceof DomainError) || err.kind === "internal") throw err;
    log.error("order.stock_lost_unsettled", { orderId, code: err.code });
  }
}

/**
 * Gives back the payment of an order cancelled because its stock was lost before it was paid, and
 * tells the shopper; once (the refund's idempotency key is the one every late payment of the order
 * uses, and the timeline records it). Does nothing for other orders.
 */
export async function settleLostStock(env: Bindings, db: Db, orderId: string, actor: string, now: Date): Promise<void> {
  const order = await findOrder(db, orderId);
  if (order?.status !== "cancelled" || order.cancelReason !== STOCK_LOST || order.paidAt) return;
  // Gift cards got theirs back when the order was cancelled; the provider gives back the rest.
  const paidThroughProvider = order.total - order.giftCardTotal;
  if (!(await hasPaymentStep(db, orderId, LOST_STOCK_REFUNDED))) {
    const refund =
      paidThroughProvider > 0
        ? await providerOf(env, order.paymentProvider).refund(
            { paymentId: order.paymentId ?? "", paymentIntentId: order.paymentIntentId },
            paidThroughProvider,
            lateRefundId(orderId),
          )
        : { id: null };
    await recordOrderEvent(db, {
      orderId,
      kind: "payment",
      detail: { status: LOST_STOCK_REFUNDED, amount: paidThroughProvider, providerRefundId: refund.id },
      reason: "paid after its stock was sold to another order",
      actor,
      now,
    });
  }
  await queueEmail(env, db, {
    id: `order.stock_lost:${orderId}`,
    type: "order.stock_lost",
    to: order.email,
    data: { orderId, amount: paidThroughProvider },
  });
}

/** Orders cancelled after their payment found the stock gone, newest first, with whether the money went back (the admin's events page). */
export async function listStockLostOrders(db: Db, limit = 100) {
  const rows = await ordersCancelledFor(db, STOCK_LOST, LOST_STOCK_REFUNDED, limit);
  return rows.map((r) => ({ id: r.id, total: { amount: r.total, currency: r.currency }, moneyBack: r.moneyBack, at: r.updatedAt }));
}

/**
 * Cancels an order that was never paid (a failed or expired payment, the shopper leaving the payment
 * page, a checkout undone): its held stock goes back and the shopper's cart opens again. A paid order
 * is never cancelled this way: the move is refused, even if the payment landed a moment ago.
 * Repeating re-drives the releases (idempotent) in case an earlier run died midway.
 */
export async function cancelUnpaidOrder(env: Bindings, db: Db, orderId: string, meta: TransitionMeta): Promise<TransitionOutcome> {
  const before = await findOrder(db, orderId);
  if (!before) return { ok: false, code: "order_not_found" };
  const moved: TransitionOutcome =
    before.status === "cancelled"
      ? { ok: true, from: "cancelled", to: "cancelled" }
      : await transitionOrder(db, orderId, "cancelled", { ...meta, from: ["pending_payment"] });
  if (!moved.ok) return moved;
  await Promise.all(
    (await orderLineQuantities(db, orderId)).map((line) =>
      inventoryOf(env, line.sku).release(reservationId(orderId, line.sku), meta.reason ?? "order cancelled"),
    ),
  );
  if (before.cartId && !before.paidAt) await env.CART.getByName(before.cartId).reopen(orderId);
  await releaseOrderDiscounts(env, db, orderId);
  if (!before.paidAt) {
    await releaseOrderGiftCards(env, db, orderId, meta.now);
    await restoreOrderPoints(env, db, orderId, meta.now);
  }
  return moved;
}

/**
 * Staff cancel an order: an unpaid one as above; a paid one that has not shipped by giving the whole
 * payment back first (nothing changes if the provider refuses), then cancelling it and putting its
 * sold units back on hand. Repeating re-drives whatever is left (a refund, the restock). Emails the shopper.
 */
export async function cancelOrder(env: Bindings, db: Db, orderId: string, meta: TransitionMeta): Promise<TransitionOutcome> {
  const before = await findOrder(db, orderId);
  if (!before) return { ok: false, code: "order_not_found" };
  if (!before.paidAt) {
    const moved = await cancelUnpaidOrder(env, db, orderId, meta);
    if (moved.ok && moved.from !== "cancelled") await notifyCancelled(env, db, before, meta.reason);
    return moved;
  }
  if (before.status !== "paid" && before.status !== "cancelled") {
    return { ok: false, code: "illegal_transition", from: before.status, to: "cancelled" };
  }
  const lines = await orderLinesOf(db, orderId);
  if (lines.some((l) => l.fulfilledQuantity > 0)) {
    throw conflict("already_shipped", "Part of this order has shipped; refund it (and take a return) instead of cancelling.");
  }
  if (before.total - before.refunded > 0) {
    await refundOrderMoney(env, db, orderId, {
      reason: meta.reason ?? "order cancelled",
      restock: false,
      source: "cancel",
      actor: meta.actor,
      keepStatus: true,
      refundId: `ref_cancel_${orderId.slice(4)}`,
    });
  }
  const moved: TransitionOutcome =
    before.status === "cancelled"
      ? { ok: true, from: "cancelled", to: "cancelled" }
      : await transitionOrder(db, orderId, "cancelled", { ...meta, from: ["paid"] });
  if (!moved.ok) return moved;
  await releaseLiveHolds(
    env,
    orderId,
    lines.map((l) => l.sku),
    meta.reason ?? "order cancelled",
  );
  for (const l of lines) await restockUnshipped(env, db, orderId, l.sku);
  await releaseOrderDiscounts(env, db, orderId);
  await settleOrderPoints(env, db, orderId, meta.now);
  if (moved.from !== "cancelled") await notifyCancelled(env, db, before, meta.reason);
  return moved;
}

async function notifyCancelled(env: Bindings, db: Db, order: OrderRow, reason: string | undefined) {
  if (reason === STOCK_LOST) {
    await queueEmail(env, db, {
      id: `order.stock_lost:${order.id}`,
      type: "order.stock_lost",
      to: order.email,
      data: { orderId: order.id, amount: order.total },
    });
    return;
  }
  await queueEmail(env, db, {
    id: `order.cancelled:${order.id}`,
    type: "order.cancelled",
    to: order.email,
    data: { orderId: order.id, reason: reason ?? null },
  });
}
