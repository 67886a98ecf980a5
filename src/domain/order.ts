import type { Money } from "./money";

export const ORDER_STATUSES = ["pending_payment", "paid", "fulfilled", "shipped", "delivered", "cancelled", "refunded"] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

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
  paid: ["fulfilled", "refunded"],
  fulfilled: ["shipped", "refunded"],
  shipped: ["delivered"],
  delivered: [],
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

export interface OrderLineView {
  sku: string;
  title: string;
  variantTitle: string;
  quantity: number;
  unitPrice: Money;
  lineTotal: Money;
}

/** An order with its lines, history and tracking, money as { amount, currency }. */
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
  shippingAddress: Address;
  payment: { provider: string | null; id: string | null };
  holdExpiresAt: string | null;
  cancelReason: string | null;
  createdAt: string;
  updatedAt: string;
  events: { from: string | null; to: string; applied: boolean; reason: string | null; actor: string; at: string }[];
  tracking: { carrier: string; trackingNumber: string; status: string; location: string | null; at: string }[];
}
