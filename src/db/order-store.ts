import { and, asc, count, desc, eq, gt, inArray, lte, notExists, or, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Address, OrderStatus } from "../domain/order";
import type { Db } from "./index";
import { orderEvents, orderLines, orders, shipmentEvents } from "./schema";

/** Statements that commit together with an order write (e.g. the provider event that caused it). */
export type Also = BatchItem<"sqlite">[];

export type OrderRow = typeof orders.$inferSelect;
export type OrderLineRow = typeof orderLines.$inferSelect;

/** A new order as checkout places it. */
export interface NewOrder {
  id: string;
  tokenHash: string;
  email: string;
  currency: string;
  subtotal: number;
  shipping: number;
  tax: number;
  total: number;
  shippingAddress: Address;
  cartId: string;
  holdExpiresAt: Date;
  lines: Omit<OrderLineRow, "orderId">[];
}

/** Inserts an order (pending payment) with its lines and first event, atomically; repeating it is a no-op. */
export async function insertOrder(db: Db, order: NewOrder, actor: string, now: Date): Promise<void> {
  const { lines, ...fields } = order;
  await db.batch([
    db
      .insert(orders)
      .values({ ...fields, status: "pending_payment", createdAt: now, updatedAt: now })
      .onConflictDoNothing(),
    db
      .insert(orderLines)
      .values(lines.map((l) => ({ ...l, orderId: order.id })))
      .onConflictDoNothing(),
    // The first event only once, however often a resumed checkout repeats this batch.
    db.insert(orderEvents).select(
      db
        .select({
          id: sql<number>`null`.as("id"),
          orderId: orders.id,
          fromStatus: sql<null>`null`.as("from_status"),
          toStatus: sql<OrderStatus>`'pending_payment'`.as("to_status"),
          applied: sql<boolean>`1`.as("applied"),
          reason: sql<string>`'checkout'`.as("reason"),
          actor: sql<string>`${actor}`.as("actor"),
          at: sql<number>`${now.getTime()}`.as("at"),
        })
        .from(orders)
        .where(
          and(eq(orders.id, order.id), notExists(db.select({ one: sql`1` }).from(orderEvents).where(eq(orderEvents.orderId, order.id)))),
        ),
    ),
  ]);
}

/** The order row, if any. */
export async function findOrder(db: Db, id: string): Promise<OrderRow | undefined> {
  const [row] = await db.select().from(orders).where(eq(orders.id, id)).limit(1);
  return row;
}

/** The order's status, if it exists. */
export async function orderStatus(db: Db, id: string): Promise<OrderStatus | undefined> {
  const [row] = await db.select({ status: orders.status }).from(orders).where(eq(orders.id, id)).limit(1);
  return row?.status;
}

/** The SHA-256 of the order's shopper token, if the order exists. */
export async function orderTokenHash(db: Db, id: string): Promise<string | undefined> {
  const [row] = await db.select({ tokenHash: orders.tokenHash }).from(orders).where(eq(orders.id, id)).limit(1);
  return row?.tokenHash;
}

/** An order with its lines, status history and tracking updates. */
export async function findOrderDetail(db: Db, id: string) {
  const order = await findOrder(db, id);
  if (!order) return undefined;
  const [lines, events, tracking] = await Promise.all([
    db.select().from(orderLines).where(eq(orderLines.orderId, id)).orderBy(asc(orderLines.sku)),
    db.select().from(orderEvents).where(eq(orderEvents.orderId, id)).orderBy(asc(orderEvents.id)),
    db.select().from(shipmentEvents).where(eq(shipmentEvents.orderId, id)).orderBy(asc(shipmentEvents.occurredAt), asc(shipmentEvents.id)),
  ]);
  return { order, lines, events, tracking };
}

/** SKUs and quantities of an order's lines. */
export async function orderLineQuantities(db: Db, id: string): Promise<{ sku: string; quantity: number }[]> {
  return db.select({ sku: orderLines.sku, quantity: orderLines.quantity }).from(orderLines).where(eq(orderLines.orderId, id));
}

/** One page of orders, newest first, with the total count. */
export async function listOrderRows(db: Db, query: { status?: OrderStatus; page: number; limit: number }) {
  const where = query.status ? eq(orders.status, query.status) : undefined;
  const [items, [total]] = await Promise.all([
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
    db.select({ n: count() }).from(orders).where(where),
  ]);
  return { items, total: total?.n ?? 0 };
}

/** Records the provider payment created for an order. */
export async function setOrderPayment(db: Db, id: string, provider: string, paymentId: string): Promise<void> {
  await db.update(orders).set({ paymentProvider: provider, paymentId }).where(eq(orders.id, id));
}

/** The order a provider object belongs to: by its metadata's order id, else by the payment id on the order. */
export async function findOrderIdForPayment(db: Db, ref: { orderId?: string; paymentId?: string | null }): Promise<string | undefined> {
  if (!ref.orderId && !ref.paymentId) return undefined;
  const [row] = await db
    .select({ id: orders.id })
    .from(orders)
    .where(or(ref.orderId ? eq(orders.id, ref.orderId) : undefined, ref.paymentId ? eq(orders.paymentId, ref.paymentId) : undefined))
    .limit(1);
  return row?.id ?? ref.orderId;
}

/** Unpaid orders whose stock hold has ended, oldest first. */
export async function unpaidOrdersDue(db: Db, now: Date, limit: number) {
  return db
    .select({ id: orders.id, email: orders.email, paymentId: orders.paymentId })
    .from(orders)
    .where(and(eq(orders.status, "pending_payment"), lte(orders.holdExpiresAt, now)))
    .orderBy(asc(orders.holdExpiresAt), asc(orders.id))
    .limit(limit);
}

/** SKUs of orders whose hold lapsed in the last two days (the reservation sweep's work list), after `after`. */
export async function skusWithLapsedHolds(db: Db, now: Date, after: string, limit: number): Promise<string[]> {
  const rows = await db
    .selectDistinct({ sku: orderLines.sku })
    .from(orderLines)
    .innerJoin(orders, eq(orders.id, orderLines.orderId))
    .where(
      and(
        lte(orders.holdExpiresAt, now),
        gt(orders.holdExpiresAt, new Date(now.getTime() - 2 * 86_400_000)),
        inArray(orders.status, ["pending_payment", "cancelled"]),
        gt(orderLines.sku, after),
      ),
    )
    .orderBy(asc(orderLines.sku))
    .limit(limit);
  return rows.map((r) => r.sku);
}

export interface TransitionWrite {
  id: string;
  from: OrderStatus;
  to: OrderStatus;
  reason?: string;
  actor: string;
  now: Date;
  also?: Also;
}

/**
 * Moves an order from `from` to `to` with its event row (and `also`) in one batch; throws
 * `StaleStatus` when the order is no longer `from`, in which case nothing was written.
 */
export async function writeTransition(db: Db, t: TransitionWrite): Promise<void> {
  try {
    await db.batch([
      db
        .update(orders)
        .set({ status: t.to, updatedAt: t.now, ...(t.to === "cancelled" ? { cancelReason: t.reason ?? null } : {}) })
        .where(and(eq(orders.id, t.id), eq(orders.status, t.from))),
      // Aborts the whole batch (json() rejects 'stale') if the update matched no row, so neither the
      // event row nor `also` can commit without the move they describe. drizzle has no such guard.
      db.run(sql`select json(case when changes() = 1 then '1' else 'stale' end)`),
      db
        .insert(orderEvents)
        .values({ orderId: t.id, fromStatus: t.from, toStatus: t.to, applied: true, reason: t.reason ?? null, actor: t.actor, at: t.now }),
      ...(t.also ?? []),
    ]);
  } catch (err) {
    if (/malformed JSON/i.test(String(err))) throw new StaleStatus(t.id);
    throw err;
  }
}

/** The order's status changed between the read and the write. */
export class StaleStatus extends Error {
  constructor(orderId: string) {
    super(`order ${orderId} changed status concurrently`);
    this.name = "StaleStatus";
  }
}

/** Records a move the state machine refused (applied = false). */
export async function recordRejectedTransition(db: Db, t: Omit<TransitionWrite, "also">): Promise<void> {
  await db
    .insert(orderEvents)
    .values({ orderId: t.id, fromStatus: t.from, toStatus: t.to, applied: false, reason: t.reason ?? null, actor: t.actor, at: t.now });
}

/** A carrier tracking update for an order (once per carrier event id), as a statement to batch. */
export function shipmentEventStatement(
  db: Db,
  e: { orderId: string; carrier: string; trackingNumber: string; status: string; location?: string; occurredAt: Date; eventId: string },
) {
  return db
    .insert(shipmentEvents)
    .values({ ...e, location: e.location ?? null })
    .onConflictDoNothing();
}

/** The first tracking number recorded for an order. */
export async function firstTrackingNumber(db: Db, orderId: string): Promise<string | undefined> {
  const [row] = await db
    .select({ tracking: shipmentEvents.trackingNumber })
    .from(shipmentEvents)
    .where(eq(shipmentEvents.orderId, orderId))
    .orderBy(asc(shipmentEvents.id))
    .limit(1);
  return row?.tracking;
}

/** Shipped orders whose last tracking update is older than `quietSince`, quietest first. */
export async function quietShipments(db: Db, quietSince: Date, limit: number) {
  return db
    .select({ orderId: shipmentEvents.orderId, carrier: shipmentEvents.carrier, trackingNumber: shipmentEvents.trackingNumber })
    .from(shipmentEvents)
    .innerJoin(orders, eq(orders.id, shipmentEvents.orderId))
    .where(eq(orders.status, "shipped"))
    .groupBy(shipmentEvents.orderId)
    .having(sql`max(${shipmentEvents.occurredAt}) < ${quietSince.getTime()}`)
    .orderBy(sql`max(${shipmentEvents.occurredAt})`)
    .limit(limit);
}

/** Orders placed and paid in [from, to), units and revenue of the paid ones, per product, and orders by status at `to`. */
export async function salesBetween(db: Db, from: Date, to: Date) {
  const paidIds = db
    .select({ id: orderEvents.orderId })
    .from(orderEvents)
    .where(
      and(
        eq(orderEvents.toStatus, "paid"),
        eq(orderEvents.applied, true),
        sql`${orderEvents.at} >= ${from.getTime()}`,
        sql`${orderEvents.at} < ${to.getTime()}`,
      ),
    );
  const [[placed], [paid], [lineTotals], products, statuses] = await Promise.all([
    db
      .select({ n: count() })
      .from(orders)
      .where(and(sql`${orders.createdAt} >= ${from.getTime()}`, sql`${orders.createdAt} < ${to.getTime()}`)),
    db
      .select({ n: sql<number>`count(distinct ${orders.id})`, revenue: sql<number | null>`sum(${orders.total})` })
      .from(orders)
      .where(inArray(orders.id, paidIds)),
    db
      .select({ units: sql<number | null>`sum(${orderLines.quantity})` })
      .from(orderLines)
      .where(inArray(orderLines.orderId, paidIds)),
    db
      .select({
        productId: sql<number>`coalesce(${orderLines.productId}, 0)`,
        title: sql<string>`min(${orderLines.title})`,
        units: sql<number>`sum(${orderLines.quantity})`,
        revenue: sql<number>`sum(${orderLines.lineTotal})`,
      })
      .from(orderLines)
      .where(inArray(orderLines.orderId, paidIds))
      .groupBy(sql`coalesce(${orderLines.productId}, 0)`),
    db.select({ status: orders.status, n: count() }).from(orders).where(sql`${orders.createdAt} < ${to.getTime()}`).groupBy(orders.status),
  ]);
  return {
    placed: placed?.n ?? 0,
    paid: paid?.n ?? 0,
    units: lineTotals?.units ?? 0,
    revenue: paid?.revenue ?? 0,
    products,
    statuses,
  };
}
