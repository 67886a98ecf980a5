import { asc, desc, eq } from "drizzle-orm";
import type { Db } from "../db";
import { type OrderStatus, orderEvents, orderLines, orders, shipmentEvents } from "../db/schema";
import type { Bindings } from "../env";
import type { Money } from "../money";
import { inventoryOf, reservationId } from "./inventory";
import { type TransitionMeta, type TransitionOutcome, transitionOrder } from "./order-state";
import { safeEqual, sha256Hex } from "./tokens";

export interface OrderLineView {
  sku: string;
  title: string;
  variantTitle: string;
  quantity: number;
  unitPrice: Money;
  lineTotal: Money;
}

export interface OrderView {
  id: string;
  status: OrderStatus;
  email: string;
  currency: string;
  lines: OrderLineView[];
  subtotal: Money;
  shipping: Money;
  tax: Money;
  total: Money;
  shippingAddress: typeof orders.$inferSelect.shippingAddress;
  payment: { provider: string | null; id: string | null };
  holdExpiresAt: string | null;
  cancelReason: string | null;
  createdAt: string;
  updatedAt: string;
  events: { from: string | null; to: string; applied: boolean; reason: string | null; actor: string; at: string }[];
  tracking: { carrier: string; trackingNumber: string; status: string; location: string | null; at: string }[];
}

/** An order with its lines and status history. */
export async function getOrder(db: Db, orderId: string): Promise<OrderView | undefined> {
  const [order] = await db.select().from(orders).where(eq(orders.id, orderId)).limit(1);
  if (!order) return undefined;
  const [lines, events, tracking] = await Promise.all([
    db.select().from(orderLines).where(eq(orderLines.orderId, orderId)).orderBy(asc(orderLines.sku)),
    db.select().from(orderEvents).where(eq(orderEvents.orderId, orderId)).orderBy(asc(orderEvents.id)),
    db
      .select()
      .from(shipmentEvents)
      .where(eq(shipmentEvents.orderId, orderId))
      .orderBy(asc(shipmentEvents.occurredAt), asc(shipmentEvents.id)),
  ]);
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
  const [row] = await db.select({ tokenHash: orders.tokenHash }).from(orders).where(eq(orders.id, orderId)).limit(1);
  if (!row) return false;
  return safeEqual(await sha256Hex(token), row.tokenHash);
}

/** Orders for the admin, newest first. */
export async function listOrders(db: Db, query: { status?: OrderStatus; page: number; limit: number }) {
  const where = query.status ? eq(orders.status, query.status) : undefined;
  const [items, total] = await Promise.all([
    db
      .select({
        id: orders.id,
        status: orders.status,
        email: orders.email,
        total: orders.total,
        currency: orders.currency,
        createdAt: orders.createdAt,
      })
      .from(orders)
      .where(where)
      .orderBy(desc(orders.createdAt), desc(orders.id))
      .limit(query.limit)
      .offset((query.page - 1) * query.limit),
    db.$count(orders, where),
  ]);
  return {
    items: items.map((o) => ({ ...o, total: { amount: o.total, currency: o.currency } })),
    page: query.page,
    limit: query.limit,
    total,
  };
}

async function lineSkus(db: Db, orderId: string) {
  return db.select({ sku: orderLines.sku, quantity: orderLines.quantity }).from(orderLines).where(eq(orderLines.orderId, orderId));
}

export type PaidOutcome = TransitionOutcome & { shortSkus?: string[]; replayed?: boolean };

/** The order's current status, if it exists. */
export async function statusOf(db: Db, orderId: string): Promise<OrderStatus | undefined> {
  const [row] = await db.select({ status: orders.status }).from(orders).where(eq(orders.id, orderId)).limit(1);
  return row?.status;
}

/**
 * Marks an order paid and turns its reservations into sales (stock leaves on-hand). Safe to repeat:
 * for an order already paid it only re-drives the commits (each is idempotent), so a crash between
 * the status change and the commits heals on the next delivery. A hold that lapsed before payment is
 * re-reserved if stock allows; SKUs that cannot be are returned as short.
 */
export async function markOrderPaid(env: Bindings, db: Db, orderId: string, meta: TransitionMeta): Promise<PaidOutcome> {
  const alreadyPaid = (await statusOf(db, orderId)) === "paid";
  const moved: TransitionOutcome = alreadyPaid ? { ok: true, from: "paid", to: "paid" } : await transitionOrder(db, orderId, "paid", meta);
  if (!moved.ok) return moved;
  const shortSkus: string[] = [];
  for (const line of await lineSkus(db, orderId)) {
    const stock = inventoryOf(env, line.sku);
    const lateId = `${reservationId(orderId, line.sku)}:late`;
    let committed = await stock.commit(reservationId(orderId, line.sku));
    if (!committed.ok) committed = await stock.commit(lateId);
    if (!committed.ok) {
      const again = await stock.reserve(lateId, line.quantity, 60_000, orderId);
      committed = again.ok ? await stock.commit(lateId) : again;
    }
    if (!committed.ok) shortSkus.push(line.sku);
  }
  if (shortSkus.length) {
    console.error(JSON.stringify({ level: "error", msg: "paid order could not be fully allocated", orderId, shortSkus }));
  }
  return { ...moved, shortSkus, replayed: alreadyPaid };
}

/** Whether refunds put stock back (REFUND_RESTOCK: "always", the default, or "never"). */
const restocks = (env: Bindings) => (env.REFUND_RESTOCK ?? "always") !== "never";

/**
 * Marks a paid (or fulfilled) order refunded and, per REFUND_RESTOCK, puts its units back on hand.
 * Safe to repeat: restocking is idempotent per order and SKU.
 */
export async function refundOrder(env: Bindings, db: Db, orderId: string, meta: TransitionMeta): Promise<TransitionOutcome> {
  const alreadyRefunded = (await statusOf(db, orderId)) === "refunded";
  const moved: TransitionOutcome = alreadyRefunded
    ? { ok: true, from: "refunded", to: "refunded" }
    : await transitionOrder(db, orderId, "refunded", meta);
  if (!moved.ok) return moved;
  await Promise.all(
    (await lineSkus(db, orderId)).map(async (line) => {
      const stock = inventoryOf(env, line.sku);
      const ids = [reservationId(orderId, line.sku), `${reservationId(orderId, line.sku)}:late`];
      const holds = await Promise.all(ids.map((id) => stock.reservation(id)));
      // Units still only held go back by releasing the hold; only sold (committed) units are restocked.
      for (const [i, hold] of holds.entries()) if (hold?.state === "active") await stock.release(ids[i] as string, "order refunded");
      const sold = holds.filter((h) => h?.state === "committed").reduce((n, h) => n + (h?.quantity ?? 0), 0);
      if (sold > 0 && restocks(env)) await stock.restock(`refund:${orderId}:${line.sku}`, sold, `refund of ${orderId}`);
    }),
  );
  return moved;
}

/** Cancels an unpaid order and gives its held stock back; the shopper's cart opens again. */
export async function cancelOrder(env: Bindings, db: Db, orderId: string, meta: TransitionMeta): Promise<TransitionOutcome> {
  // Repeating a cancellation re-drives the releases (idempotent) in case an earlier run died midway.
  const alreadyCancelled = (await statusOf(db, orderId)) === "cancelled";
  const moved: TransitionOutcome = alreadyCancelled
    ? { ok: true, from: "cancelled", to: "cancelled" }
    : await transitionOrder(db, orderId, "cancelled", meta);
  if (!moved.ok) return moved;
  await Promise.all(
    (await lineSkus(db, orderId)).map((line) =>
      inventoryOf(env, line.sku).release(reservationId(orderId, line.sku), meta.reason ?? "order cancelled"),
    ),
  );
  const [order] = await db.select({ cartId: orders.cartId }).from(orders).where(eq(orders.id, orderId));
  if (order?.cartId) await env.CART.getByName(order.cartId).reopen(orderId);
  return moved;
}
