import type { Money } from "./money";

export const ORDER_STATUSES = ["pending_payment", "paid", "fulfilled", "shipped", "delivered", "cancelled", "refunded"] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Why an order is cancelled when its payment arrived after its stock was sold to someone else (its money goes back). */
export const STOCK_LOST = "stock_lost";

/** Where a return stands: asked for, approved (or rejected), the parcel received, the money refunded. */
export const RETURN_STATUSES = ["requested", "approved", "rejected", "received", "refunded"] as const;

/** What a timeline entry records. */
export const ORDER_EVENT_KINDS = ["status", "shipment", "refund", "return", "payment", "email", "note"] as const;
export type OrderEventKind = (typeof ORDER_EVENT_KINDS)[number];

/** A postal address as captured at checkout. */
export interface Address {
  name: string;
  line1: string;
  line2?: string;
  city: string;
  region?: string;
  postalCode: string;
  country: string;
  phone?: string;
}

/** The only moves an order may make. */
export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending_payment: ["paid", "cancelled"],
  paid: ["fulfilled", "refunded", "cancelled"],
  fulfilled: ["shipped", "refunded"],
  shipped: ["delivered", "refunded"],
  delivered: ["refunded"],
  cancelled: [],
  refunded: [],
};

/** Whether `from → to` is a legal move. */
export const canTransition = (from: OrderStatus, to: OrderStatus) => ORDER_TRANSITIONS[from].includes(to);

/** Whether `to` can still be reached from `from` by legal moves (an event that arrived early). */
export function reachable(from: OrderStatus, to: OrderStatus): boolean {
  const seen = new Set<OrderStatus>([from]);
  const queue: OrderStatus[] = [from];
  while (queue.length) {
    for (const next of ORDER_TRANSITIONS[queue.shift() as OrderStatus]) {
      if (next === to) return true;
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return false;
}

export type PaymentStatus = "unpaid" | "paid" | "partially_refunded" | "refunded";
export type FulfilmentStatus = "unfulfilled" | "partially_fulfilled" | "fulfilled";

/** Derived from the payment and refunds: whether money came in, and how much went back. */
export function paymentStatusOf(o: { paidAt: Date | null; total: number; refunded: number }): PaymentStatus {
  if (!o.paidAt) return "unpaid";
  if (o.refunded <= 0) return "paid";
  return o.refunded >= o.total ? "refunded" : "partially_refunded";
}

/** Derived from the shipments: how many of the units still owed have gone out. */
export function fulfilmentStatusOf(lines: { quantity: number; fulfilledQuantity: number; refundedQuantity: number }[]): FulfilmentStatus {
  const shipped = lines.reduce((n, l) => n + l.fulfilledQuantity, 0);
  if (shipped === 0) return "unfulfilled";
  const owed = lines.reduce((n, l) => n + Math.max(l.fulfilledQuantity, l.quantity - l.refundedQuantity), 0);
  return shipped >= owed ? "fulfilled" : "partially_fulfilled";
}

export interface OrderLineView {
  sku: string;
  title: string;
  variantTitle: string;
  quantity: number;
  unitPrice: Money;
  lineTotal: Money;
  discount: Money;
  tax: Money;
  fulfilledQuantity: number;
  refundedQuantity: number;
  returnedQuantity: number;
}

export interface ShipmentView {
  id: string;
  carrier: string;
  trackingNumber: string;
  trackingUrl: string | null;
  lines: { sku: string; quantity: number }[];
  createdAt: string;
}

export interface RefundView {
  id: string;
  amount: Money;
  /** Of the amount, what went back onto gift cards. */
  toGiftCards: Money;
  reason: string;
  status: string;
  source: string;
  lines: { sku: string; quantity: number }[] | null;
  createdAt: string;
}

export interface ReturnView {
  id: string;
  status: string;
  reason: string;
  lines: { sku: string; quantity: number }[];
  note: string | null;
  createdAt: string;
  updatedAt: string;
}

/** An order with its lines, history, shipments, refunds and returns; money as { amount, currency }. */
export interface OrderView {
  id: string;
  status: OrderStatus;
  paymentStatus: PaymentStatus;
  fulfilmentStatus: FulfilmentStatus;
  email: string;
  currency: string;
  lines: OrderLineView[];
  subtotal: Money;
  discount: Money;
  /** The discounts it took: the code (null when automatic), its name, what it took off. */
  discounts: { code: string | null; title: string; amount: Money }[];
  shipping: Money;
  tax: Money;
  taxIncluded: boolean;
  taxName: string | null;
  total: Money;
  /** Gift cards that paid part of the total (by their last four characters). */
  giftCards: { last4: string; amount: Money }[];
  /** What the payment provider is (or was) asked for: the total less the gift cards. */
  amountDue: Money;
  refunded: Money;
  shippingAddress: Address;
  shippingMethod: { id: string; name: string } | null;
  payment: { provider: string | null; id: string | null };
  paymentUrl: string | null;
  paidAt: string | null;
  holdExpiresAt: string | null;
  cancelReason: string | null;
  createdAt: string;
  updatedAt: string;
  shipments: ShipmentView[];
  refunds: RefundView[];
  returns: ReturnView[];
  events: {
    kind: OrderEventKind;
    from: string | null;
    to: string;
    applied: boolean;
    reason: string | null;
    detail: Record<string, unknown> | null;
    actor: string;
    at: string;
  }[];
  tracking: { carrier: string; trackingNumber: string; status: string; location: string | null; at: string }[];
}
