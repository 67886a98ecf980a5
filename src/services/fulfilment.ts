import { randomToken } from "../crypto";
import type { Db } from "../db";
import { findOrder, findShipment, insertShipment, orderLinesOf, StaleWrite } from "../db/order-store";
import { type FulfilmentStatus, fulfilmentStatusOf } from "../domain/order";
import type { Bindings } from "../env";
import { conflict, invalid, notFound } from "../errors";
import { queueEmail } from "./notifications";
import { transitionOrder } from "./order-state";

/** Tracking page templates of the carriers the shop knows; `{n}` is the tracking number. */
export const CARRIER_TRACKING: Readonly<Record<string, { name: string; url: string }>> = {
  ups: { name: "UPS", url: "https://www.ups.com/track?loc=en_US&tracknum={n}" },
  usps: { name: "USPS", url: "https://tools.usps.com/go/TrackConfirmAction?tLabels={n}" },
  fedex: { name: "FedEx", url: "https://www.fedex.com/fedextrack/?trknbr={n}" },
  dhl: { name: "DHL", url: "https://www.dhl.com/global-en/home/tracking/tracking-express.html?submit=1&tracking-id={n}" },
};

/** The tracking link for a parcel: the given URL, else the carrier's template, else none. */
export function trackingUrlFor(carrier: string, trackingNumber: string, given?: string): string | null {
  if (given) return given;
  const known = CARRIER_TRACKING[carrier.toLowerCase()];
  return known ? known.url.replace("{n}", encodeURIComponent(trackingNumber)) : null;
}

export interface FulfilRequest {
  /** The units shipped; every unit still owed when absent. */
  lines?: { sku: string; quantity: number }[];
  carrier: string;
  trackingNumber: string;
  trackingUrl?: string;
  /** Email the shopper the tracking link (default true). */
  notify?: boolean;
  actor: string;
}

const SHIPPABLE = new Set(["paid", "fulfilled", "shipped"]);

/**
 * Records a shipment of some or all of a paid order's units with its tracking, and moves the order
 * along: once every unit owed has shipped it becomes `fulfilled` and, handed to the carrier, `shipped`.
 * Sends one shipping email per shipment unless told not to.
 */
export async function fulfilOrder(
  env: Bindings,
  db: Db,
  orderId: string,
  req: FulfilRequest,
  now = new Date(),
): Promise<{ shipmentId: string; fulfilmentStatus: FulfilmentStatus }> {
  const order = await findOrder(db, orderId);
  if (!order) throw notFound("Order", orderId);
  // A retried request for the same parcel is the same shipment: answered again, not recorded twice.
  const same = await findShipment(db, orderId, req.carrier, req.trackingNumber);
  if (same) return { shipmentId: same.id, fulfilmentStatus: fulfilmentStatusOf(await orderLinesOf(db, orderId)) };
  if (!SHIPPABLE.has(order.status)) throw conflict("not_fulfillable", `An order that is ${order.status} cannot be fulfilled.`);
  const lines = await orderLinesOf(db, orderId);
  const owed = new Map(lines.map((l) => [l.sku, l.quantity - l.refundedQuantity - l.fulfilledQuantity]));
  const wanted = req.lines?.length
    ? req.lines
    : lines.map((l) => ({ sku: l.sku, quantity: owed.get(l.sku) ?? 0 })).filter((l) => l.quantity > 0);
  if (!wanted.length) throw conflict("nothing_to_fulfil", "Every unit of this order has already shipped.");
  const merged = new Map<string, number>();
  wanted.forEach((w, i) => {
    if (!owed.has(w.sku))
      throw invalid("unknown_line", `This order has no line '${w.sku}'.`, [
        { field: `lines.${i}.sku`, in: "json", message: "Not in this order." },
      ]);
    merged.set(w.sku, (merged.get(w.sku) ?? 0) + w.quantity);
  });
  for (const [sku, quantity] of merged) {
    const left = owed.get(sku) ?? 0;
    if (quantity > left)
      throw conflict("exceeds_unfulfilled", `Only ${left} unit(s) of ${sku} are left to ship.`, { sku, remaining: left });
  }
  const shipment = {
    id: `shp_${randomToken(12).replace(/[-_]/g, "x")}`,
    orderId,
    carrier: req.carrier,
    trackingNumber: req.trackingNumber,
    trackingUrl: trackingUrlFor(req.carrier, req.trackingNumber, req.trackingUrl),
    lines: [...merged].map(([sku, quantity]) => ({ sku, quantity })),
    actor: req.actor,
  };
  try {
    await insertShipment(db, shipment, now, req.notify !== false);
  } catch (err) {
    if (err instanceof StaleWrite) throw conflict("exceeds_unfulfilled", "Another shipment took some of these units first.");
    const raced = await findShipment(db, orderId, req.carrier, req.trackingNumber);
    if (raced) return { shipmentId: raced.id, fulfilmentStatus: fulfilmentStatusOf(await orderLinesOf(db, orderId)) };
    throw err;
  }
  const status = fulfilmentStatusOf(await orderLinesOf(db, orderId));
  if (status === "fulfilled") {
    const meta = { actor: req.actor, reason: `shipped with ${req.carrier} ${req.trackingNumber}`, now };
    if ((await findOrder(db, orderId))?.status === "paid") await transitionOrder(db, orderId, "fulfilled", meta);
    if ((await findOrder(db, orderId))?.status === "fulfilled") await transitionOrder(db, orderId, "shipped", meta);
  }
  if (req.notify !== false) {
    await queueEmail(env, db, {
      id: `order.shipped:${shipment.id}`,
      type: "order.shipped",
      to: order.email,
      data: {
        orderId,
        shipmentId: shipment.id,
        carrier: req.carrier,
        trackingNumber: req.trackingNumber,
        trackingUrl: shipment.trackingUrl,
      },
    });
  }
  return { shipmentId: shipment.id, fulfilmentStatus: status };
}
