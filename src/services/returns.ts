import { configOf } from "../config";
import { randomToken } from "../crypto";
import type { Db } from "../db";
import {
  findOrder,
  findReturn,
  insertReturn,
  listReturns,
  orderLinesOf,
  type ReturnRow,
  type ReturnStatus,
  StaleWrite,
  writeReturnStatus,
} from "../db/order-store";
import { lateReservationId, reservationId } from "../domain/inventory";
import type { ReturnView } from "../domain/order";
import type { Bindings } from "../env";
import { conflict, invalid, notFound } from "../errors";
import { inventoryOf } from "./inventory";
import { queueEmail } from "./notifications";
import { getOrder } from "./orders";
import { type RefundView, refundOrderMoney } from "./refunds";

const DAY_MS = 86_400_000;

/** The view of a stored return. */
export const returnView = (r: ReturnRow): ReturnView & { orderId: string; refundId: string | null } => ({
  id: r.id,
  orderId: r.orderId,
  status: r.status,
  reason: r.reason,
  lines: r.lines,
  note: r.note,
  refundId: r.refundId,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

/** When the order's return window closes: RETURN_WINDOW_DAYS after delivery, else after its last shipment or payment. */
export function returnWindowEnd(
  order: { updatedAt: Date; paidAt: Date | null },
  shippedAt: Date | null,
  deliveredAt: Date | null,
  days: number,
): Date {
  const from = deliveredAt ?? shippedAt ?? order.paidAt ?? order.updatedAt;
  return new Date(from.getTime() + days * DAY_MS);
}

/** When returns for an order close, from its timeline; undefined if it has not shipped. */
async function windowCloses(env: Bindings, db: Db, orderId: string): Promise<Date | undefined> {
  const view = await getOrder(db, orderId);
  if (!view) return undefined;
  const at = (to: string) => view.events.find((e) => e.kind === "status" && e.to === to && e.applied)?.at;
  const delivered = at("delivered");
  const shipped = view.shipments.at(-1)?.createdAt ?? at("shipped");
  if (!delivered && !shipped) return undefined;
  return returnWindowEnd(
    { updatedAt: new Date(view.updatedAt), paidAt: view.paidAt ? new Date(view.paidAt) : null },
    shipped ? new Date(shipped) : null,
    delivered ? new Date(delivered) : null,
    configOf(env).returnWindowDays,
  );
}

/** Shipped units of a line not yet asked back, nor refunded without coming back. */
const returnableOf = (l: {
  fulfilledQuantity: number;
  refundedQuantity: number;
  returnRefundedQuantity: number;
  returnedQuantity: number;
}) => Math.max(0, l.fulfilledQuantity - (l.refundedQuantity - l.returnRefundedQuantity) - l.returnedQuantity);

/** Units per SKU the shopper may still ask to return now (none outside the window or before shipping). */
export async function returnableUnits(env: Bindings, db: Db, orderId: string, now = new Date()): Promise<Record<string, number>> {
  const order = await findOrder(db, orderId);
  if (!order || !["fulfilled", "shipped", "delivered"].includes(order.status)) return {};
  const closes = await windowCloses(env, db, orderId);
  if (!closes || now > closes) return {};
  const lines = await orderLinesOf(db, orderId);
  return Object.fromEntries(lines.map((l) => [l.sku, returnableOf(l)]));
}

/**
 * A shopper asks to return shipped units within RETURN_WINDOW_DAYS; the request waits for staff.
 * Units can be asked back once (requested, approved or received returns count).
 */
export async function requestReturn(
  env: Bindings,
  db: Db,
  orderId: string,
  req: { lines: { sku: string; quantity: number }[]; reason: string },
  now = new Date(),
): Promise<ReturnView> {
  const order = await findOrder(db, orderId);
  if (!order) throw notFound("Order", orderId);
  if (!["fulfilled", "shipped", "delivered"].includes(order.status)) {
    throw conflict("not_returnable", "Only orders that have shipped can be returned.");
  }
  const closes = await windowCloses(env, db, orderId);
  if (!closes || now > closes) {
    throw conflict("return_window_closed", `Returns for this order closed${closes ? ` on ${closes.toISOString().slice(0, 10)}` : ""}.`, {
      closedAt: closes?.toISOString() ?? null,
    });
  }
  const lines = await orderLinesOf(db, orderId);
  const merged = new Map<string, number>();
  req.lines.forEach((l, i) => {
    const line = lines.find((x) => x.sku === l.sku);
    if (!line)
      throw invalid("unknown_line", `This order has no line '${l.sku}'.`, [
        { field: `lines.${i}.sku`, in: "json", message: "Not in this order." },
      ]);
    merged.set(l.sku, (merged.get(l.sku) ?? 0) + l.quantity);
  });
  for (const [sku, quantity] of merged) {
    const line = lines.find((x) => x.sku === sku);
    const left = line ? returnableOf(line) : 0;
    if (quantity > left)
      throw conflict("exceeds_returnable", `Only ${left} unit(s) of ${sku} can still be returned.`, { sku, remaining: left });
  }
  const row = {
    id: `ret_${randomToken(12).replace(/[-_]/g, "x")}`,
    orderId,
    status: "requested" as const,
    reason: req.reason,
    lines: [...merged].map(([sku, quantity]) => ({ sku, quantity })),
  };
  try {
    await insertReturn(db, row, "shopper", now);
  } catch (err) {
    if (err instanceof StaleWrite) throw conflict("exceeds_returnable", "Some of these units were asked back by another request.");
    throw err;
  }
  return returnView((await findReturn(db, row.id)) as ReturnRow);
}

/** Returns for staff, newest first. */
export async function returnsList(db: Db, query: { status?: ReturnStatus; limit: number }) {
  return (await listReturns(db, query)).map(returnView);
}

async function mustFind(db: Db, id: string): Promise<ReturnRow> {
  const row = await findReturn(db, id);
  if (!row) throw notFound("Return", id);
  return row;
}

/** One return. */
export async function getReturn(db: Db, id: string) {
  return returnView(await mustFind(db, id));
}

const ALLOWED: Record<"approved" | "rejected" | "received", ReturnStatus[]> = {
  approved: ["requested"],
  rejected: ["requested", "approved"],
  received: ["approved"],
};

async function move(db: Db, r: ReturnRow, to: keyof typeof ALLOWED, change: { note?: string | null; actor: string; now: Date }) {
  if (!ALLOWED[to].includes(r.status))
    throw conflict("illegal_return_transition", `A return that is ${r.status} cannot become ${to}.`, { from: r.status, to });
  try {
    await writeReturnStatus(db, r, to, change);
  } catch (err) {
    if (err instanceof StaleWrite) throw conflict("illegal_return_transition", "This return changed meanwhile; reload it.");
    throw err;
  }
}

async function emailShopper(
  env: Bindings,
  db: Db,
  r: ReturnRow,
  type: "return.approved" | "return.rejected" | "return.received",
  note?: string | null,
) {
  const order = await findOrder(db, r.orderId);
  if (!order) return;
  await queueEmail(env, db, {
    id: `${type}:${r.id}`,
    type,
    to: order.email,
    data: { orderId: r.orderId, returnId: r.id, note: note ?? null },
  });
}

/** Staff accept a return request; the shopper gets the instructions by email. */
export async function approveReturn(env: Bindings, db: Db, id: string, note: string | undefined, actor: string, now = new Date()) {
  const r = await mustFind(db, id);
  await move(db, r, "approved", { note: note ?? null, actor, now });
  await emailShopper(env, db, r, "return.approved", note);
  return getReturn(db, id);
}

/** Staff refuse a return with a reason; its units can be asked back again. */
export async function rejectReturn(env: Bindings, db: Db, id: string, note: string, actor: string, now = new Date()) {
  const r = await mustFind(db, id);
  await move(db, r, "rejected", { note, actor, now });
  await emailShopper(env, db, r, "return.rejected", note);
  return getReturn(db, id);
}

/** The parcel came back: each line's units go back on hand (once per return), and the shopper is told. */
export async function receiveReturn(env: Bindings, db: Db, id: string, actor: string, now = new Date()) {
  const r = await mustFind(db, id);
  await move(db, r, "received", { actor, now });
  for (const line of r.lines) {
    const stock = inventoryOf(env, line.sku);
    const holds = await Promise.all(
      [reservationId(r.orderId, line.sku), lateReservationId(r.orderId, line.sku)].map((h) => stock.reservation(h)),
    );
    // Only units that were sold come back on hand.
    if (holds.some((h) => h?.state === "committed")) await stock.restock(`return:${r.id}:${line.sku}`, line.quantity, `return ${r.id}`);
  }
  await emailShopper(env, db, r, "return.received");
  return getReturn(db, id);
}

/** Refunds a received return's lines (their share of the charge, tax included) and closes it; stock came back when it was received. */
export async function refundReturn(
  env: Bindings,
  db: Db,
  id: string,
  actor: string,
  now = new Date(),
): Promise<{ return: ReturnView; refund: RefundView }> {
  const r = await mustFind(db, id);
  if (r.status !== "received") {
    throw conflict("illegal_return_transition", `A return that is ${r.status} cannot be refunded; receive it first.`, {
      from: r.status,
      to: "refunded",
    });
  }
  // One refund per return: its id comes from the return, so a retry or a double click cannot pay twice.
  const refund = await refundOrderMoney(
    env,
    db,
    r.orderId,
    {
      lines: r.lines,
      reason: `return ${r.id}: ${r.reason}`,
      restock: false,
      source: "return",
      actor,
      returnId: r.id,
      refundId: `ref_${r.id}`,
    },
    now,
  );
  try {
    await writeReturnStatus(db, (await findReturn(db, id)) as ReturnRow, "refunded", { refundId: refund.id, actor, now });
  } catch (err) {
    if (!(err instanceof StaleWrite)) throw err;
  }
  return { return: await getReturn(db, id), refund };
}
