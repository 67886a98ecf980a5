export type InventoryErrorCode =
  | "invalid_request"
  | "insufficient_inventory"
  | "reservation_not_found"
  | "reservation_expired"
  | "reservation_released"
  | "reservation_committed"
  | "below_reserved";

/** An inventory object's answer: failures are values (RPC drops custom error properties). */
export type InventoryOutcome<T extends object> =
  | ({ ok: true } & T)
  | { ok: false; code: InventoryErrorCode; available?: number; detail?: string };

export type ReservationState = "active" | "committed" | "released" | "expired";

export interface ReservationView {
  id: string;
  quantity: number;
  orderId: string | null;
  state: ReservationState;
  expiresAt: number;
}

export interface StockSnapshot {
  sku: string;
  onHand: number;
  reserved: number;
  available: number;
  seq: number;
  reservations: ReservationView[];
}

export interface Movement {
  seq: number;
  at: number;
  kind: string;
  onHandDelta: number;
  reservedDelta: number;
  reservationId: string | null;
  reason: string | null;
  onHandAfter: number;
  reservedAfter: number;
}

/** How long checkout holds stock for an unpaid order. */
export const HOLD_MS = 15 * 60 * 1000;

/** The reservation id of an order's line: deterministic, so retries reserve nothing twice. */
export const reservationId = (orderId: string, sku: string) => `${orderId}:${sku}`;

/** The reservation id used when a lapsed hold is taken again at payment time. */
export const lateReservationId = (orderId: string, sku: string) => `${reservationId(orderId, sku)}:late`;
