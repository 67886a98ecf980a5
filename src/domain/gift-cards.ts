import { CODE_ALPHABET } from "./discounts";
import type { Money } from "./money";

/** Characters of a gift card code (four groups of four), from the look-alike-free alphabet. */
export const GIFT_CARD_CODE_LENGTH = 16;

/** A typed gift card code as compared: upper-case letters and digits only (spaces and dashes dropped). */
export const normaliseGiftCardCode = (code: string) => code.toUpperCase().replace(/[^A-Z0-9]/g, "");

/** A code as printed: `ABCD-EFGH-JKMN-PQRT`. */
export const formatGiftCardCode = (code: string) => normaliseGiftCardCode(code).replace(/(.{4})(?=.)/g, "$1-");

/** The last four characters, the only part of a code ever shown again. */
export const lastFour = (code: string) => normaliseGiftCardCode(code).slice(-4);

/**
 * A code from a stream of random or keyed bytes (unbiased: bytes past the alphabet's last whole
 * multiple are skipped); `undefined` when the bytes run out first.
 */
export function codeFromBytes(bytes: Uint8Array): string | undefined {
  const max = 256 - (256 % CODE_ALPHABET.length);
  const out: string[] = [];
  for (const b of bytes) {
    if (b >= max) continue;
    out.push(CODE_ALPHABET[b % CODE_ALPHABET.length] as string);
    if (out.length === GIFT_CARD_CODE_LENGTH) return formatGiftCardCode(out.join(""));
  }
  return undefined;
}

/** Whether text could be a gift card code at all (so a typo is refused before any lookup). */
export const looksLikeGiftCardCode = (code: string) => {
  const n = normaliseGiftCardCode(code);
  return n.length === GIFT_CARD_CODE_LENGTH && [...n].every((ch) => CODE_ALPHABET.includes(ch));
};

/** Why a gift card cannot pay: unknown, spent, past its date, switched off by staff, or in another currency. */
export const GIFT_CARD_REFUSALS = [
  "unknown_gift_card",
  "gift_card_empty",
  "gift_card_expired",
  "gift_card_disabled",
  "currency_mismatch",
] as const;
export type GiftCardRefusal = (typeof GIFT_CARD_REFUSALS)[number];

/** What a ledger entry did to a card's balance. */
export const GIFT_CARD_ENTRY_KINDS = ["issue", "debit", "reverse", "credit", "adjust"] as const;
export type GiftCardEntryKind = (typeof GIFT_CARD_ENTRY_KINDS)[number];

/** One movement of a card's balance (amount signed: debits negative). */
export interface GiftCardEntry {
  kind: GiftCardEntryKind;
  amount: number;
  balance: number;
  orderId: string | null;
  reference: string | null;
  at: number;
}

/** A gift card as staff see it (never its code: only the last four characters). */
export interface GiftCardView {
  id: string;
  last4: string;
  balance: Money;
  initialAmount: Money;
  expiresAt: string | null;
  disabled: boolean;
  recipientEmail: string | null;
  note: string | null;
  source: "staff" | "order";
  orderId: string | null;
  createdBy: string;
  createdAt: string;
}

/** A card with its ledger, newest entry first. */
export type GiftCardDetail = GiftCardView & {
  ledger: { kind: string; amount: Money; balance: Money; orderId: string | null; reference: string | null; at: string }[];
};
