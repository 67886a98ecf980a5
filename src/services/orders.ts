import { safeEqual, sha256Hex } from "../crypto";
import type { Db } from "../db";
import {
  findOrder,
  findOrderByPaymentId,
  findOrderDetail,
  listOrderRows,
  type OrderRow,
  type OrderSearch,
  orderLineQuantities,
  orderLinesOf,
  orderStatus,
  orderTokenHash,
} from "../db/order-store";
import { lateReservationId, reservationId } from "../domain/inventory";
import { fulfilmentStatusOf, type OrderView, paymentStatusOf } from "../domain/order";
import type { Bindings } from "../env";
import { conflict } from "../errors";
import { log } from "../log";
import { paymentProvider } from "../payments/provider";
import { inventoryOf } from "./inventory";
import { queueEmail } from "./notifications";
import { type TransitionMeta, type TransitionOutcome, transitionOrder } from "./order-state";
import { refundOrderMoney, releaseLiveHolds, restockUnshipped } from "./refunds";

/** An order with its lines, history, shipments, refunds and returns, as clients see it. */
export async function getOrder(db: Db, orderId: string): Promise<OrderView | undefined> {
  const detail = await findOrderDetail(db, orderId);
  if (!detail) return undefined;
  const { order, lines, events, tracking } = detail;
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
    shipping: money(order.shipping),
    tax: money(order.tax),
    taxIncluded: order.taxIncluded,
    taxName: order.taxName,
    total: money(order.total),
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
    total: { amount: order.total, currency: order.currency },
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

export type PaidOutcome = TransitionOutcome & { shortSkus?: string[]; replayed?: boolean };

/**
 * Marks an order paid and turns its reservations into sales (stock leaves on-hand). Safe to repeat:
 * for an order already paid it only re-drives the commits (each is idempotent), so a crash between
 * the status change and the commits heals on the next delivery. A hold that lapsed before payment is
 * re-reserved if stock allows; SKUs that cannot be are returned as short.
 */
export async function markOrderPaid(env: Bindings, db: Db, orderId: string, meta: TransitionMeta): Promise<PaidOutcome> {
  const alreadyPaid = (await orderStatus(db, orderId)) === "paid";
  const moved: TransitionOutcome = alreadyPaid ? { ok: true, from: "paid", to: "paid" } : await transitionOrder(db, orderId, "paid", meta);
  if (!moved.ok) return moved;
  const shortSkus: string[] = [];
  for (const line of await orderLineQuantities(db, orderId)) {
    const stock = inventoryOf(env, line.sku);
    const lateId = lateReservationId(orderId, line.sku);
    let committed = await stock.commit(reservationId(orderId, line.sku));
    if (!committed.ok) committed = await stock.commit(lateId);
    if (!committed.ok) {
      const again = await stock.reserve(lateId, line.quantity, 60_000, orderId);
      committed = again.ok ? await stock.commit(lateId) : again;
    }
    if (!committed.ok) shortSkus.push(line.sku);
  }
  if (shortSkus.length) log.error("order.paid_short", { orderId, shortSkus });
  return { ...moved, shortSkus, replayed: alreadyPaid };
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
  if (moved.from !== "cancelled") await notifyCancelled(env, db, before, meta.reason);
  return moved;
}

async function notifyCancelled(env: Bindings, db: Db, order: OrderRow, reason: string | undefined) {
  await queueEmail(env, db, {
    id: `order.cancelled:${order.id}`,
    type: "order.cancelled",
    to: order.email,
    data: { orderId: order.id, reason: reason ?? null },
  });
}
