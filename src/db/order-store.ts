import {
  and,
  asc,
  count,
  countDistinct,
  desc,
  eq,
  gt,
  gte,
  inArray,
  isNotNull,
  lt,
  lte,
  max,
  min,
  notExists,
  or,
  sql,
  sum,
} from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Address, OrderEventKind, OrderStatus } from "../domain/order";
import {
  customerIdByEmail,
  lifetimeValueStatement,
  orderPaidStatement,
  saveAddressStatement,
  upsertCustomerStatement,
} from "./customer-store";
import { discountsOfOrder, orderDiscountStatements } from "./discount-store";
import { orderGiftCardsOf } from "./gift-card-store";
import type { Db } from "./index";
import { orderEvents, orderLines, orders, refunds, returns, shipmentEvents, shipments } from "./schema";

/** Statements that commit together with an order write (e.g. the provider event that caused it). */
export type Also = BatchItem<"sqlite">[];

export type OrderRow = typeof orders.$inferSelect;
export type OrderLineRow = typeof orderLines.$inferSelect;
export type ShipmentRow = typeof shipments.$inferSelect;
export type RefundRow = typeof refunds.$inferSelect;
export type ReturnRow = typeof returns.$inferSelect;
export type ReturnStatus = ReturnRow["status"];

type Batch = [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]];

/** A guarded write found the order (or line) not as it expected; nothing in its batch was written. */
export class StaleWrite extends Error {
  constructor(what: string) {
    super(`${what} changed concurrently`);
    this.name = "StaleWrite";
  }
}

/**
 * Aborts the batch it sits in unless the statement before it changed exactly one row: json() rejects
 * 'stale'. drizzle has no conditional batch, so this one guard is written as SQL.
 */
const guard = (db: Db) => db.run(sql`select json(case when changes() = 1 then '1' else 'stale' end)`);

async function guarded(db: Db, what: string, statements: Batch) {
  try {
    return await db.batch(statements);
  } catch (err) {
    if (/malformed JSON/i.test(String(err))) throw new StaleWrite(what);
    throw err;
  }
}

/** A timeline entry other than a status change, recorded with the status the order is in. */
export function orderEventStatement(
  db: Db,
  e: {
    orderId: string;
    kind: Exclude<OrderEventKind, "status">;
    detail?: Record<string, unknown>;
    reason?: string;
    actor: string;
    now: Date;
  },
) {
  const status = sql<OrderStatus>`(select ${orders.status} from ${orders} where ${orders.id} = ${e.orderId})`;
  return db.insert(orderEvents).values({
    orderId: e.orderId,
    kind: e.kind,
    detail: e.detail ?? null,
    fromStatus: status,
    toStatus: status,
    applied: true,
    reason: e.reason ?? null,
    actor: e.actor,
    at: e.now,
  });
}

/** A new order as checkout places it. */
export interface NewOrder {
  id: string;
  tokenHash: string;
  email: string;
  currency: string;
  subtotal: number;
  discount: number;
  shipping: number;
  tax: number;
  taxIncluded: boolean;
  taxName: string | null;
  total: number;
  shippingAddress: Address;
  shippingMethodId: string | null;
  shippingMethodName: string | null;
  cartId: string;
  holdExpiresAt: Date;
  /** Loyalty points spent on it. */
  pointsRedeemed: number;
  /** The discounts it took (their uses already taken) and what each took off. */
  discounts: { discountId: string; code: string | null; title: string; amount: number }[];
  /** Who placed it: the signed-in customer, or a guest whose email finds (or creates, as `newId`) a customer. */
  customer: {
    signedIn: string | null;
    newId: string;
    email: string;
    name: string;
    phone: string | null;
    address: { fingerprint: string } | null;
  };
  lines: Pick<
    OrderLineRow,
    | "sku"
    | "productId"
    | "title"
    | "variantTitle"
    | "quantity"
    | "unitPrice"
    | "lineTotal"
    | "discount"
    | "tax"
    | "weightGrams"
    | "giftCard"
  >[];
}

/** Inserts an order (pending payment) with its lines and first event, atomically; repeating it is a no-op. */
export async function insertOrder(db: Db, order: NewOrder, actor: string, now: Date): Promise<void> {
  const { lines, customer, discounts: taken, ...fields } = order;
  const customerId = customer.signedIn ?? customerIdByEmail(customer.email);
  const statements: BatchItem<"sqlite">[] = [
    ...(customer.signedIn
      ? []
      : [upsertCustomerStatement(db, { id: customer.newId, email: customer.email, name: customer.name, phone: customer.phone, now })]),
    db
      .insert(orders)
      .values({ ...fields, customerId, status: "pending_payment", createdAt: now, updatedAt: now })
      .onConflictDoNothing(),
    ...(customer.signedIn && customer.address
      ? [saveAddressStatement(db, customer.signedIn, customer.address.fingerprint, order.shippingAddress, now)]
      : []),
    ...orderDiscountStatements(db, order.id, taken),
    // One statement per line: D1 binds at most 100 values per statement.
    ...lines.map((l) =>
      db
        .insert(orderLines)
        .values({ ...l, orderId: order.id })
        .onConflictDoNothing(),
    ),
    // The first event only once, however often a resumed checkout repeats this batch.
    db.insert(orderEvents).select(
      db
        .select({
          id: sql<number>`null`.as("id"),
          orderId: orders.id,
          kind: sql<"status">`'status'`.as("kind"),
          detail: sql<null>`null`.as("detail"),
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
  ];
  await db.batch(statements as Batch);
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

/** An order's lines, by SKU. */
export async function orderLinesOf(db: Db, id: string): Promise<OrderLineRow[]> {
  return db.select().from(orderLines).where(eq(orderLines.orderId, id)).orderBy(asc(orderLines.sku));
}

/** An order with its lines, timeline, tracking updates, shipments, refunds and returns. */
export async function findOrderDetail(db: Db, id: string) {
  const order = await findOrder(db, id);
  if (!order) return undefined;
  const [lines, events, tracking, shipmentRows, refundRows, returnRows, discountRows, giftCardRows] = await Promise.all([
    orderLinesOf(db, id),
    db.select().from(orderEvents).where(eq(orderEvents.orderId, id)).orderBy(asc(orderEvents.id)),
    db.select().from(shipmentEvents).where(eq(shipmentEvents.orderId, id)).orderBy(asc(shipmentEvents.occurredAt), asc(shipmentEvents.id)),
    db.select().from(shipments).where(eq(shipments.orderId, id)).orderBy(asc(shipments.createdAt), asc(shipments.id)),
    db.select().from(refunds).where(eq(refunds.orderId, id)).orderBy(asc(refunds.createdAt), asc(refunds.id)),
    db.select().from(returns).where(eq(returns.orderId, id)).orderBy(asc(returns.createdAt), asc(returns.id)),
    discountsOfOrder(db, id),
    orderGiftCardsOf(db, id),
  ]);
  return {
    order,
    lines,
    events,
    tracking,
    shipments: shipmentRows,
    refunds: refundRows,
    returns: returnRows,
    discounts: discountRows,
    giftCards: giftCardRows.filter((g) => g.amount > 0),
  };
}

/** SKUs and quantities of an order's lines. */
export async function orderLineQuantities(db: Db, id: string): Promise<{ sku: string; quantity: number }[]> {
  return db.select({ sku: orderLines.sku, quantity: orderLines.quantity }).from(orderLines).where(eq(orderLines.orderId, id));
}

export interface OrderSearch {
  status?: OrderStatus;
  q?: string;
  from?: Date;
  to?: Date;
  page: number;
  limit: number;
}

/** One page of orders, newest first, with the total count; `q` matches an order id or email (prefix). */
export async function listOrderRows(db: Db, query: OrderSearch) {
  const q = query.q?.trim().toLowerCase();
  const where = and(
    query.status ? eq(orders.status, query.status) : undefined,
    q
      ? or(eq(orders.id, q), eq(orders.id, `ord_${q}`), sql`lower(${orders.email}) >= ${q} and lower(${orders.email}) < ${`${q}\uffff`}`)
      : undefined,
    query.from ? gte(orders.createdAt, query.from) : undefined,
    query.to ? lt(orders.createdAt, query.to) : undefined,
  );
  const [items, [total]] = await Promise.all([
    db
      .select({
        id: orders.id,
        status: orders.status,
        email: orders.email,
        total: orders.total,
        refunded: orders.refunded,
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
export async function setOrderPayment(db: Db, id: string, provider: string, paymentId: string, paymentUrl: string): Promise<void> {
  await db.update(orders).set({ paymentProvider: provider, paymentId, paymentUrl }).where(eq(orders.id, id));
}

/** Records the provider's payment intent once it is known (refunds go against it). */
export async function setPaymentIntent(db: Db, id: string, paymentIntentId: string): Promise<void> {
  await db.update(orders).set({ paymentIntentId }).where(eq(orders.id, id));
}

/** The order a provider object belongs to: by its metadata's order id, else by a payment or intent id on the order. */
export async function findOrderIdForPayment(
  db: Db,
  ref: { orderId?: string; paymentId?: string | null; paymentIntentId?: string | null },
): Promise<string | undefined> {
  const ids = [ref.paymentId, ref.paymentIntentId].filter((x): x is string => typeof x === "string" && x.length > 0);
  if (!ref.orderId && !ids.length) return undefined;
  const [row] = await db
    .select({ id: orders.id })
    .from(orders)
    .where(
      or(
        ref.orderId ? eq(orders.id, ref.orderId) : undefined,
        ids.length ? inArray(orders.paymentId, ids) : undefined,
        ids.length ? inArray(orders.paymentIntentId, ids) : undefined,
      ),
    )
    .limit(1);
  return row?.id ?? ref.orderId;
}

/** The order paid (or to be paid) through a provider payment id. */
export async function findOrderByPaymentId(db: Db, paymentId: string): Promise<OrderRow | undefined> {
  const [row] = await db.select().from(orders).where(eq(orders.paymentId, paymentId)).limit(1);
  return row;
}

/** Unpaid orders whose stock hold has ended, oldest first. */
export async function unpaidOrdersDue(db: Db, now: Date, limit: number) {
  return db
    .select({ id: orders.id, email: orders.email, paymentId: orders.paymentId, paymentProvider: orders.paymentProvider })
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
 * `StaleWrite` when the order is no longer `from`, in which case nothing was written.
 */
export async function writeTransition(db: Db, t: TransitionWrite): Promise<void> {
  await guarded(db, `order ${t.id}`, [
    db
      .update(orders)
      .set({
        status: t.to,
        updatedAt: t.now,
        ...(t.to === "cancelled" ? { cancelReason: t.reason ?? null } : {}),
        ...(t.to === "paid" ? { paidAt: t.now } : {}),
      })
      .where(and(eq(orders.id, t.id), eq(orders.status, t.from))),
    guard(db),
    db
      .insert(orderEvents)
      .values({ orderId: t.id, fromStatus: t.from, toStatus: t.to, applied: true, reason: t.reason ?? null, actor: t.actor, at: t.now }),
    ...(t.to === "paid" ? [orderPaidStatement(db, t.id, t.now)] : []),
    ...(t.also ?? []),
  ]);
}

/** Records a move the state machine refused (applied = false). */
export async function recordRejectedTransition(db: Db, t: Omit<TransitionWrite, "also">): Promise<void> {
  await db
    .insert(orderEvents)
    .values({ orderId: t.id, fromStatus: t.from, toStatus: t.to, applied: false, reason: t.reason ?? null, actor: t.actor, at: t.now });
}

/** Whether the order's timeline has a payment step with `detail.status` = `status` (e.g. a refund already made). */
export async function hasPaymentStep(db: Db, orderId: string, status: string): Promise<boolean> {
  const [row] = await db
    .select({ id: orderEvents.id })
    .from(orderEvents)
    .where(
      and(
        eq(orderEvents.orderId, orderId),
        eq(orderEvents.kind, "payment"),
        sql`json_extract(${orderEvents.detail}, '$.status') = ${status}`,
      ),
    )
    .limit(1);
  return row !== undefined;
}

/**
 * Orders cancelled for `reason`, newest first, with whether their money went back: in full through a
 * refund, or (for orders that were never marked paid) by a payment step `refundedStep` on their timeline.
 */
export async function ordersCancelledFor(db: Db, reason: string, refundedStep: string, limit: number) {
  const refundedByStep = sql<number>`exists (select 1 from ${orderEvents} where ${orderEvents.orderId} = ${orders.id} and ${orderEvents.kind} = 'payment' and json_extract(${orderEvents.detail}, '$.status') = ${refundedStep})`;
  const rows = await db
    .select({
      id: orders.id,
      total: orders.total,
      refunded: orders.refunded,
      currency: orders.currency,
      updatedAt: orders.updatedAt,
      refundedByStep,
    })
    .from(orders)
    .where(and(eq(orders.status, "cancelled"), eq(orders.cancelReason, reason)))
    .orderBy(desc(orders.updatedAt), desc(orders.id))
    .limit(limit);
  return rows.map(({ refundedByStep: step, ...r }) => ({ ...r, moneyBack: Boolean(step) || r.refunded >= r.total }));
}

/** Records a non-status step on the order's timeline. */
export async function recordOrderEvent(db: Db, e: Parameters<typeof orderEventStatement>[1]): Promise<void> {
  await orderEventStatement(db, e);
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
    .having(lt(max(shipmentEvents.occurredAt), sql<number>`${quietSince.getTime()}`))
    .orderBy(max(shipmentEvents.occurredAt))
    .limit(limit);
}

/** The shipment of an order with this carrier and tracking number, if one was recorded. */
export async function findShipment(db: Db, orderId: string, carrier: string, trackingNumber: string): Promise<ShipmentRow | undefined> {
  const [row] = await db
    .select()
    .from(shipments)
    .where(and(eq(shipments.orderId, orderId), eq(shipments.carrier, carrier), eq(shipments.trackingNumber, trackingNumber)))
    .limit(1);
  return row;
}

/** How many shipments staff recorded for an order. */
export async function shipmentCount(db: Db, orderId: string): Promise<number> {
  return db.$count(shipments, eq(shipments.orderId, orderId));
}

/** Records a shipment and the units it carries, guarded so no line ships more than it holds. */
export async function insertShipment(
  db: Db,
  s: Omit<ShipmentRow, "createdAt">,
  now: Date,
  notify: boolean,
  also: Also = [],
): Promise<void> {
  const lineUpdates = s.lines.flatMap((l) => [
    db
      .update(orderLines)
      .set({ fulfilledQuantity: sql`${orderLines.fulfilledQuantity} + ${l.quantity}` })
      .where(
        and(
          eq(orderLines.orderId, s.orderId),
          eq(orderLines.sku, l.sku),
          sql`${orderLines.fulfilledQuantity} + ${l.quantity} <= ${orderLines.quantity} - ${orderLines.refundedQuantity}`,
        ),
      ),
    guard(db),
  ]);
  await guarded(db, `order ${s.orderId} lines`, [
    db.insert(shipments).values({ ...s, createdAt: now }),
    ...lineUpdates,
    orderEventStatement(db, {
      orderId: s.orderId,
      kind: "shipment",
      detail: { shipmentId: s.id, carrier: s.carrier, trackingNumber: s.trackingNumber, lines: s.lines, notify },
      actor: s.actor,
      now,
    }),
    ...also,
  ]);
}

export interface RefundWrite {
  id: string;
  orderId: string;
  amount: number;
  reason: string;
  lines: { sku: string; quantity: number; amount: number }[] | null;
  restock: boolean;
  source: RefundRow["source"];
  status: RefundRow["status"];
  providerRefundId?: string | null;
  returnId?: string | null;
  actor: string;
  /** Of `amount`, what goes back onto the order's gift cards (the rest through the provider). */
  giftCardAmount?: number;
}

/**
 * Whether refunding `amount` (of which `toGiftCards` onto gift cards) stays within what was paid: in
 * all, onto the cards no more than they paid, and through the provider no more than it took.
 */
const withinPaid = (amount: number, toGiftCards: number) =>
  sql`${orders.refunded} + ${amount} <= ${orders.total}
    and ${orders.giftCardRefunded} + ${toGiftCards} <= ${orders.giftCardTotal}
    and (${orders.refunded} + ${amount}) - (${orders.giftCardRefunded} + ${toGiftCards}) <= ${orders.total} - ${orders.giftCardTotal}`;

/**
 * Records a refund and counts it against the order (and its lines) in one guarded batch: refused
 * with `StaleWrite` if it would take the refunded total past the order total or a line past its units.
 * A provider refund id already recorded is refused the same way (it was counted before).
 */
export async function insertRefund(db: Db, r: RefundWrite, now: Date, also: Also = []): Promise<void> {
  const lineUpdates = (r.lines ?? []).flatMap((l) => [
    db
      .update(orderLines)
      .set({
        refundedQuantity: sql`${orderLines.refundedQuantity} + ${l.quantity}`,
        refundedAmount: sql`${orderLines.refundedAmount} + ${l.amount}`,
        ...(r.returnId ? { returnRefundedQuantity: sql`${orderLines.returnRefundedQuantity} + ${l.quantity}` } : {}),
      })
      .where(
        and(
          eq(orderLines.orderId, r.orderId),
          eq(orderLines.sku, l.sku),
          sql`${orderLines.refundedQuantity} + ${l.quantity} <= ${orderLines.quantity}`,
        ),
      ),
    guard(db),
  ]);
  await guarded(db, `order ${r.orderId} refunds`, [
    db
      .insert(refunds)
      .values({
        id: r.id,
        orderId: r.orderId,
        amount: r.amount,
        giftCardAmount: r.giftCardAmount ?? 0,
        reason: r.reason,
        lines: r.lines ?? null,
        restock: r.restock,
        source: r.source,
        status: r.status,
        providerRefundId: r.providerRefundId ?? null,
        returnId: r.returnId ?? null,
        actor: r.actor,
        createdAt: now,
      })
      .onConflictDoNothing(),
    guard(db),
    db
      .update(orders)
      .set({
        refunded: sql`${orders.refunded} + ${r.amount}`,
        giftCardRefunded: sql`${orders.giftCardRefunded} + ${r.giftCardAmount ?? 0}`,
        updatedAt: now,
      })
      .where(and(eq(orders.id, r.orderId), withinPaid(r.amount, r.giftCardAmount ?? 0))),
    guard(db),
    ...lineUpdates,
    orderEventStatement(db, {
      orderId: r.orderId,
      kind: "refund",
      detail: { refundId: r.id, amount: r.amount, source: r.source, lines: r.lines, restock: r.restock },
      reason: r.reason,
      actor: r.actor,
      now,
    }),
    lifetimeValueStatement(db, r.orderId, -r.amount, now),
    ...also,
  ]);
}

/** Marks a pending refund done (with the provider's id) or failed; a failed one no longer counts against the order. */
export async function settleRefund(
  db: Db,
  refund: RefundWrite,
  outcome: { ok: true; providerRefundId: string | null } | { ok: false; error: string },
  now: Date,
) {
  if (outcome.ok) {
    await db
      .update(refunds)
      .set({ status: "succeeded", providerRefundId: outcome.providerRefundId })
      .where(and(eq(refunds.id, refund.id), eq(refunds.status, "pending")));
    return;
  }
  const lineUpdates = (refund.lines ?? []).map((l) =>
    db
      .update(orderLines)
      .set({
        refundedQuantity: sql`${orderLines.refundedQuantity} - ${l.quantity}`,
        refundedAmount: sql`${orderLines.refundedAmount} - ${l.amount}`,
        ...(refund.returnId ? { returnRefundedQuantity: sql`${orderLines.returnRefundedQuantity} - ${l.quantity}` } : {}),
      })
      .where(and(eq(orderLines.orderId, refund.orderId), eq(orderLines.sku, l.sku))),
  );
  await guarded(db, `refund ${refund.id}`, [
    db
      .update(refunds)
      .set({ status: "failed" })
      .where(and(eq(refunds.id, refund.id), eq(refunds.status, "pending"))),
    guard(db),
    db
      .update(orders)
      .set({
        refunded: sql`${orders.refunded} - ${refund.amount}`,
        giftCardRefunded: sql`${orders.giftCardRefunded} - ${refund.giftCardAmount ?? 0}`,
        updatedAt: now,
      })
      .where(eq(orders.id, refund.orderId)),
    ...lineUpdates,
    orderEventStatement(db, {
      orderId: refund.orderId,
      kind: "refund",
      detail: { refundId: refund.id, amount: refund.amount, failed: true, error: outcome.error.slice(0, 300) },
      actor: refund.actor,
      now,
    }),
    lifetimeValueStatement(db, refund.orderId, refund.amount, now),
  ]);
}

/** Keeps the provider's id of a refund still pending (its provider part went through; the rest is still to do). */
export async function setProviderRefundId(db: Db, refundId: string, providerRefundId: string): Promise<void> {
  await db
    .update(refunds)
    .set({ providerRefundId })
    .where(and(eq(refunds.id, refundId), eq(refunds.status, "pending")));
}

/** Provider refund ids already recorded for an order. */
export async function knownProviderRefunds(db: Db, orderId: string): Promise<Set<string>> {
  const rows = await db
    .select({ id: refunds.providerRefundId })
    .from(refunds)
    .where(and(eq(refunds.orderId, orderId), isNotNull(refunds.providerRefundId)));
  return new Set(rows.map((r) => r.id as string));
}

/**
 * Counts `units` of a line's unshipped units as put back on hand; refused with `StaleWrite` if that
 * would count more than never shipped (so two racing restocks cannot both count the same units).
 */
export async function addRestocked(db: Db, orderId: string, sku: string, units: number): Promise<void> {
  await guarded(db, `order ${orderId} line ${sku}`, [
    db
      .update(orderLines)
      .set({ restockedQuantity: sql`${orderLines.restockedQuantity} + ${units}` })
      .where(
        and(
          eq(orderLines.orderId, orderId),
          eq(orderLines.sku, sku),
          sql`${orderLines.restockedQuantity} + ${units} <= ${orderLines.quantity} - ${orderLines.fulfilledQuantity}`,
        ),
      ),
    guard(db),
  ]);
}

/** One refund. */
export async function findRefund(db: Db, id: string): Promise<RefundRow | undefined> {
  const [row] = await db.select().from(refunds).where(eq(refunds.id, id)).limit(1);
  return row;
}

/** An order's refunds, oldest first. */
export async function refundsOf(db: Db, orderId: string): Promise<RefundRow[]> {
  return db.select().from(refunds).where(eq(refunds.orderId, orderId)).orderBy(asc(refunds.createdAt), asc(refunds.id));
}

/** Refunds still waiting for the provider's answer, started before `before` (a crash or a timeout left them). */
export async function pendingRefunds(db: Db, before: Date, limit: number): Promise<RefundRow[]> {
  return db
    .select()
    .from(refunds)
    .where(and(eq(refunds.status, "pending"), lt(refunds.createdAt, before)))
    .orderBy(asc(refunds.createdAt))
    .limit(limit);
}

/**
 * Counts again a refund that was marked failed but the provider reports done (a timeout after it
 * went through): failed → succeeded with the order's and lines' totals, in one guarded batch.
 */
export async function reviveRefund(db: Db, refund: RefundRow, providerRefundId: string, now: Date): Promise<void> {
  const lines = (refund.lines ?? []).flatMap((l) => [
    db
      .update(orderLines)
      .set({
        refundedQuantity: sql`${orderLines.refundedQuantity} + ${l.quantity}`,
        refundedAmount: sql`${orderLines.refundedAmount} + ${l.amount ?? 0}`,
        ...(refund.returnId ? { returnRefundedQuantity: sql`${orderLines.returnRefundedQuantity} + ${l.quantity}` } : {}),
      })
      .where(
        and(
          eq(orderLines.orderId, refund.orderId),
          eq(orderLines.sku, l.sku),
          sql`${orderLines.refundedQuantity} + ${l.quantity} <= ${orderLines.quantity}`,
        ),
      ),
    guard(db),
  ]);
  await guarded(db, `refund ${refund.id}`, [
    db
      .update(refunds)
      .set({ status: "succeeded", providerRefundId })
      .where(and(eq(refunds.id, refund.id), eq(refunds.status, "failed"))),
    guard(db),
    db
      .update(orders)
      .set({
        refunded: sql`${orders.refunded} + ${refund.amount}`,
        giftCardRefunded: sql`${orders.giftCardRefunded} + ${refund.giftCardAmount}`,
        updatedAt: now,
      })
      .where(and(eq(orders.id, refund.orderId), withinPaid(refund.amount, refund.giftCardAmount))),
    guard(db),
    ...lines,
    lifetimeValueStatement(db, refund.orderId, -refund.amount, now),
  ]);
}

/** Inserts a return request and counts its units against the lines, refused with `StaleWrite` if a line has not that many left. */
export async function insertReturn(db: Db, r: Omit<ReturnRow, "createdAt" | "updatedAt" | "note" | "refundId">, actor: string, now: Date) {
  const lineUpdates = r.lines.flatMap((l) => [
    db
      .update(orderLines)
      .set({ returnedQuantity: sql`${orderLines.returnedQuantity} + ${l.quantity}` })
      .where(
        and(
          eq(orderLines.orderId, r.orderId),
          eq(orderLines.sku, l.sku),
          // Units refunded without coming back cannot be returned; those refunded through a return are already counted.
          sql`${orderLines.returnedQuantity} + ${l.quantity} <= ${orderLines.fulfilledQuantity} - (${orderLines.refundedQuantity} - ${orderLines.returnRefundedQuantity})`,
        ),
      ),
    guard(db),
  ]);
  await guarded(db, `order ${r.orderId} lines`, [
    db.insert(returns).values({ ...r, createdAt: now, updatedAt: now }),
    ...lineUpdates,
    orderEventStatement(db, {
      orderId: r.orderId,
      kind: "return",
      detail: { returnId: r.id, status: r.status, lines: r.lines },
      reason: r.reason,
      actor,
      now,
    }),
  ]);
}

/** The return, if any. */
export async function findReturn(db: Db, id: string): Promise<ReturnRow | undefined> {
  const [row] = await db.select().from(returns).where(eq(returns.id, id)).limit(1);
  return row;
}

/** Returns, newest first, optionally in one status. */
export async function listReturns(db: Db, query: { status?: ReturnStatus; limit: number }) {
  return db
    .select()
    .from(returns)
    .where(query.status ? eq(returns.status, query.status) : undefined)
    .orderBy(desc(returns.createdAt), desc(returns.id))
    .limit(query.limit);
}

/**
 * Moves a return from `from` to `to` with a timeline entry; a rejected return gives its units back to
 * the lines. Throws `StaleWrite` if the return is no longer `from`.
 */
export async function writeReturnStatus(
  db: Db,
  r: ReturnRow,
  to: ReturnStatus,
  change: { note?: string | null; refundId?: string | null; actor: string; now: Date },
  also: Also = [],
): Promise<void> {
  const release =
    to === "rejected"
      ? r.lines.map((l) =>
          db
            .update(orderLines)
            .set({ returnedQuantity: sql`max(0, ${orderLines.returnedQuantity} - ${l.quantity})` })
            .where(and(eq(orderLines.orderId, r.orderId), eq(orderLines.sku, l.sku))),
        )
      : [];
  await guarded(db, `return ${r.id}`, [
    db
      .update(returns)
      .set({
        status: to,
        updatedAt: change.now,
        ...(change.note !== undefined ? { note: change.note } : {}),
        ...(change.refundId ? { refundId: change.refundId } : {}),
      })
      .where(and(eq(returns.id, r.id), eq(returns.status, r.status))),
    guard(db),
    ...release,
    orderEventStatement(db, {
      orderId: r.orderId,
      kind: "return",
      detail: { returnId: r.id, status: to, ...(change.note ? { note: change.note } : {}) },
      actor: change.actor,
      now: change.now,
    }),
    ...also,
  ]);
}

/** Orders placed and paid in [from, to), units and revenue of the paid ones, per product, and orders by status at `to`. */
export async function salesBetween(db: Db, from: Date, to: Date) {
  const paidIds = db
    .select({ id: orderEvents.orderId })
    .from(orderEvents)
    .where(
      and(
        eq(orderEvents.kind, "status"),
        eq(orderEvents.toStatus, "paid"),
        eq(orderEvents.applied, true),
        gte(orderEvents.at, from),
        lt(orderEvents.at, to),
      ),
    );
  const [[placed], [paid], [lineTotals], products, statuses] = await Promise.all([
    db
      .select({ n: count() })
      .from(orders)
      .where(and(gte(orders.createdAt, from), lt(orders.createdAt, to))),
    db
      .select({ n: countDistinct(orders.id), revenue: sum(orders.total).mapWith(Number) })
      .from(orders)
      .where(inArray(orders.id, paidIds)),
    db
      .select({ units: sum(orderLines.quantity).mapWith(Number) })
      .from(orderLines)
      .where(inArray(orderLines.orderId, paidIds)),
    db
      .select({
        productId: sql<number>`coalesce(${orderLines.productId}, 0)`,
        title: min(orderLines.title).mapWith(String),
        units: sum(orderLines.quantity).mapWith(Number),
        revenue: sum(orderLines.lineTotal).mapWith(Number),
      })
      .from(orderLines)
      .where(inArray(orderLines.orderId, paidIds))
      .groupBy(sql`coalesce(${orderLines.productId}, 0)`),
    db.select({ status: orders.status, n: count() }).from(orders).where(lt(orders.createdAt, to)).groupBy(orders.status),
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

/** How many orders were placed in [from, to). */
export async function ordersPlacedBetween(db: Db, from: Date, to: Date): Promise<number> {
  return db.$count(orders, and(gte(orders.createdAt, from), lt(orders.createdAt, to)));
}
