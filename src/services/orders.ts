import { configOf } from "../config";
import { safeEqual, sha256Hex } from "../crypto";
import type { Db } from "../db";
import { findOrder, findOrderDetail, listOrderRows, orderLineQuantities, orderStatus, orderTokenHash } from "../db/order-store";
import { lateReservationId, reservationId } from "../domain/inventory";
import type { OrderStatus, OrderView } from "../domain/order";
import type { Bindings } from "../env";
import { log } from "../log";
import { inventoryOf } from "./inventory";
import { type TransitionMeta, type TransitionOutcome, transitionOrder } from "./order-state";

/** An order with its lines and status history, as clients see it. */
export async function getOrder(db: Db, orderId: string): Promise<OrderView | undefined> {
  const detail = await findOrderDetail(db, orderId);
  if (!detail) return undefined;
  const { order, lines, events, tracking } = detail;
  const money = (amount: number) => ({ amount, currency: order.currency });
  return {
    id: order.id,
    status: order.status,
    email: order.email,
    currency: order.currency,
    lines: lines.map((l) => ({
      sku: l.sku,
      title: l.title,
      variantTitle: l.variantTitle,
      quantity: l.quantity,
      unitPrice: money(l.unitPrice),
      lineTotal: money(l.lineTotal),
    })),
    subtotal: money(order.subtotal),
    shipping: money(order.shipping),
    tax: money(order.tax),
    total: money(order.total),
    shippingAddress: order.shippingAddress,
    payment: { provider: order.paymentProvider, id: order.paymentId },
    holdExpiresAt: order.holdExpiresAt?.toISOString() ?? null,
    cancelReason: order.cancelReason,
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
    events: events.map((e) => ({
      from: e.fromStatus,
      to: e.toStatus,
      applied: e.applied,
      reason: e.reason,
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

/** Whether `token` opens order `orderId` (constant-time against the stored hash). */
export async function orderTokenValid(db: Db, orderId: string, token: string): Promise<boolean> {
  const hash = await orderTokenHash(db, orderId);
  return hash !== undefined && safeEqual(await sha256Hex(token), hash);
}

/** Orders for the admin, newest first. */
export async function listOrders(db: Db, query: { status?: OrderStatus; page: number; limit: number }) {
  const { items, total } = await listOrderRows(db, query);
  return {
    items: items.map((o) => ({ ...o, total: { amount: o.total, currency: o.currency } })),
    page: query.page,
    limit: query.limit,
    total,
  };
}

export type PaidOutcome = TransitionOutcome & { shortSkus?: string[]; replayed?: boolean };

/** The order's current status, if it exists. */
export const statusOf = orderStatus;

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
 * Marks a paid (or fulfilled) order refunded and, per REFUND_RESTOCK, puts its units back on hand.
 * Safe to repeat: restocking is idempotent per order and SKU.
 */
export async function refundOrder(env: Bindings, db: Db, orderId: string, meta: TransitionMeta): Promise<TransitionOutcome> {
  const restocks = configOf(env).refundRestock === "always";
  const alreadyRefunded = (await orderStatus(db, orderId)) === "refunded";
  const moved: TransitionOutcome = alreadyRefunded
    ? { ok: true, from: "refunded", to: "refunded" }
    : await transitionOrder(db, orderId, "refunded", meta);
  if (!moved.ok) return moved;
  await Promise.all(
    (await orderLineQuantities(db, orderId)).map(async (line) => {
      const stock = inventoryOf(env, line.sku);
      const ids = [reservationId(orderId, line.sku), lateReservationId(orderId, line.sku)];
      const holds = await Promise.all(ids.map((id) => stock.reservation(id)));
      // Units still only held go back by releasing the hold; only sold (committed) units are restocked.
      for (const [i, hold] of holds.entries()) if (hold?.state === "active") await stock.release(ids[i] as string, "order refunded");
      const sold = holds.filter((h) => h?.state === "committed").reduce((n, h) => n + (h?.quantity ?? 0), 0);
      if (sold > 0 && restocks) await stock.restock(`refund:${orderId}:${line.sku}`, sold, `refund of ${orderId}`);
    }),
  );
  return moved;
}

/** Cancels an unpaid order and gives its held stock back; the shopper's cart opens again. */
export async function cancelOrder(env: Bindings, db: Db, orderId: string, meta: TransitionMeta): Promise<TransitionOutcome> {
  // Repeating a cancellation re-drives the releases (idempotent) in case an earlier run died midway.
  const alreadyCancelled = (await orderStatus(db, orderId)) === "cancelled";
  const moved: TransitionOutcome = alreadyCancelled
    ? { ok: true, from: "cancelled", to: "cancelled" }
    : await transitionOrder(db, orderId, "cancelled", meta);
  if (!moved.ok) return moved;
  await Promise.all(
    (await orderLineQuantities(db, orderId)).map((line) =>
      inventoryOf(env, line.sku).release(reservationId(orderId, line.sku), meta.reason ?? "order cancelled"),
    ),
  );
  const order = await findOrder(db, orderId);
  if (order?.cartId) await env.CART.getByName(order.cartId).reopen(orderId);
  return moved;
}
