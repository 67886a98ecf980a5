import { DomainError, type ErrorKind } from "../errors";
import type { CartErrorCode } from "./cart";
import type { InventoryErrorCode } from "./inventory";

/** Every code a Durable Object may answer with, as the kind of failure it is and what to tell the caller. */
const OUTCOMES: Record<CartErrorCode | InventoryErrorCode, { kind: ErrorKind; detail: string }> = {
  cart_not_found: { kind: "not_found", detail: "Cart not found." },
  line_not_found: { kind: "not_found", detail: "That item is not in the cart." },
  cart_closed: { kind: "conflict", detail: "This cart has already been checked out." },
  cart_changed: { kind: "conflict", detail: "The cart changed; review it and try again." },
  quantity_out_of_range: { kind: "invalid", detail: "That quantity is not allowed." },
  too_many_lines: { kind: "conflict", detail: "The cart holds too many different items." },
  invalid_request: { kind: "invalid", detail: "The stock change is not valid." },
  insufficient_inventory: { kind: "conflict", detail: "Not enough stock." },
  reservation_not_found: { kind: "not_found", detail: "No such reservation." },
  reservation_expired: { kind: "conflict", detail: "The hold on that stock has lapsed." },
  reservation_released: { kind: "conflict", detail: "The hold on that stock was released." },
  reservation_committed: { kind: "conflict", detail: "That stock has already been sold." },
  below_reserved: { kind: "conflict", detail: "Stock cannot go below what is reserved." },
  too_many_codes: { kind: "conflict", detail: "This cart holds as many codes as it can." },
};

/** A failed Durable Object outcome as the domain error it means; `extra` adds details for the caller. */
export function outcomeError(
  outcome: { code: CartErrorCode | InventoryErrorCode; detail?: string },
  extra: Record<string, unknown> = {},
): DomainError {
  const known = OUTCOMES[outcome.code];
  return new DomainError(known.kind, outcome.code, outcome.detail ?? known.detail, extra);
}

/** The value of a successful outcome, or the domain error its failure means. */
export function unwrap<T extends object, C extends CartErrorCode | InventoryErrorCode>(
  outcome: ({ ok: true } & T) | { ok: false; code: C; detail?: string },
): T {
  if (!outcome.ok) throw outcomeError(outcome);
  return outcome;
}
