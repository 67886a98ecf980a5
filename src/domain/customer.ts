import type { Address } from "./order";

/**
 * The email a customer is known by: trimmed and lower-cased. Plus tags and dots stay: whether
 * `ann+shop@` or `a.nn@` reach the same mailbox depends on the provider, and joining two mailboxes
 * would show one person's orders to another. Staff merge such duplicates when they know.
 */
export const normaliseEmail = (email: string) => email.trim().toLowerCase();

/** Customer ids: `cus_` and 24 lowercase hex digits. */
export const CUSTOMER_ID_PATTERN = /^cus_[0-9a-f]{24}$/;

/** A new customer id. */
export function newCustomerId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `cus_${[...bytes].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/** An address with case and spacing folded, so the same address saved twice is recognised. */
export function addressFingerprint(a: Address): string {
  const fold = (v: string | undefined) => (v ?? "").normalize("NFKC").trim().replace(/\s+/g, " ").toLowerCase();
  return [a.name, a.line1, a.line2, a.city, a.region, a.postalCode, a.country].map(fold).join("|");
}

/** Segments the nightly scoring assigns, from recency, frequency and money. */
export const RFM_SEGMENTS = ["new", "active", "champions", "at_risk", "lapsed", "prospect"] as const;
export type RfmSegment = (typeof RFM_SEGMENTS)[number];

/** Rules of a staff-defined segment; a customer is in it when every given rule holds. */
export interface SegmentRules {
  /** Lifetime value at least this (minor units of the shop currency). */
  minSpent?: number;
  minOrders?: number;
  /** Last paid order before / on or after this UTC day (YYYY-MM-DD). */
  lastOrderBefore?: string;
  lastOrderAfter?: string;
  /** Only customers who did (true) or did not (false) consent to marketing email. */
  consent?: boolean;
  /** Only customers in one of these scored segments. */
  rfmSegments?: RfmSegment[];
}
