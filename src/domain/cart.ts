import type { Money } from "./money";

/** Units one cart line may hold. */
export const MAX_LINE_QUANTITY = 99;

/** Lines one cart may hold. */
export const MAX_LINES = 100;

export type CartErrorCode =
  | "cart_not_found"
  | "cart_closed"
  | "cart_changed"
  | "quantity_out_of_range"
  | "too_many_lines"
  | "line_not_found"
  | "insufficient_inventory"
  | "too_many_codes";

/** A cart object's answer: RPC keeps only name and message of thrown errors, so failures are values. */
export type CartOutcome<T extends object> =
  | ({ ok: true } & T)
  | { ok: false; code: CartErrorCode; detail?: string; requested?: number; available?: number };

/** What the catalog says about a SKU when it is added or re-priced. */
export interface LineItem {
  sku: string;
  productId: number;
  productSlug: string;
  title: string;
  variantTitle: string;
  unitPrice: number;
}

export interface CartLine extends LineItem {
  quantity: number;
  lineTotal: number;
}

export type CartStatus = "open" | "checked_out";

/** A cart as its object holds it: money in integer minor units of `currency`. */
export interface CartState {
  id: string;
  currency: string;
  email: string | null;
  /** Discount codes the shopper entered (upper-case). */
  codes: string[];
  /** The shopper asked for a reminder email about this cart. */
  remindMe: boolean;
  status: CartStatus;
  orderId: string | null;
  lines: CartLine[];
  itemCount: number;
  subtotal: number;
  createdAt: number;
  updatedAt: number;
  expiresAt: number;
}

/** A cart as clients see it: money as { amount, currency }. */
export interface CartView {
  id: string;
  status: CartStatus;
  currency: string;
  email: string | null;
  remindMe: boolean;
  orderId: string | null;
  /** Discount codes entered. */
  codes: string[];
  lines: {
    sku: string;
    productSlug: string;
    title: string;
    variantTitle: string;
    quantity: number;
    unitPrice: Money;
    lineTotal: Money;
  }[];
  itemCount: number;
  subtotal: Money;
  updatedAt: string;
  expiresAt: string;
}
