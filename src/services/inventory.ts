import type { Bindings } from "../env";

/** How long checkout holds stock for an unpaid order. */
export const HOLD_MS = 15 * 60 * 1000;

/** The SKU's inventory object. */
export const inventoryOf = (env: Bindings, sku: string) => env.INVENTORY.getByName(sku);

/** The reservation id of an order's line: deterministic, so retries reserve nothing twice. */
export const reservationId = (orderId: string, sku: string) => `${orderId}:${sku}`;
