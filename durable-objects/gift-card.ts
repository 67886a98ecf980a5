import { DurableObject } from "cloudflare:workers";
import type { GiftCardEntry, GiftCardEntryKind, GiftCardRefusal } from "../src/domain/gift-cards";
import type { Bindings } from "../src/env";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS card (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  currency TEXT NOT NULL,
  balance INTEGER NOT NULL CHECK (balance >= 0),
  expires_at INTEGER,
  disabled INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS ledger (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  key TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  amount INTEGER NOT NULL,
  balance INTEGER NOT NULL,
  order_id TEXT,
  reference TEXT,
  at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS ledger_order_idx ON ledger (order_id);`;

/** How long a card past its date stays usable again when money comes back onto it. */
const REVIVED_MS = 90 * 86_400_000;

/** A card's state as its object holds it. */
export interface GiftCardState {
  currency: string;
  balance: number;
  expiresAt: number | null;
  disabled: boolean;
}

/** A card object's answer to a debit (RPC keeps only name and message of thrown errors, so refusals are values). */
export type GiftCardDebitOutcome = { ok: true; amount: number; balance: number } | { ok: false; code: GiftCardRefusal };

interface CardRow extends Record<string, SqlStorageValue> {
  currency: string;
  balance: number;
  expires_at: number | null;
  disabled: number;
}

interface EntryRow extends Record<string, SqlStorageValue> {
  kind: string;
  amount: number;
  balance: number;
  order_id: string | null;
  reference: string | null;
  at: number;
}

/**
 * One gift card's balance and ledger. Every change is checked and written in one synchronous step on
 * the object's SQLite (no await in between) and the object is the only writer of its balance, so
 * concurrent checkouts can never spend more than it holds. Each change has a key (the order for a
 * debit or its reversal, the refund for a credit): the same key again answers what it did the first time.
 */
export class GiftCardDurableObject extends DurableObject<Bindings> {
  readonly #sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Bindings) {
    super(ctx, env);
    this.#sql = ctx.storage.sql;
    this.#sql.exec(SCHEMA);
  }

  #card(): CardRow | undefined {
    return this.#sql.exec<CardRow>("SELECT currency, balance, expires_at, disabled FROM card WHERE id = 1").toArray()[0];
  }

  #entry(key: string): EntryRow | undefined {
    return this.#sql.exec<EntryRow>("SELECT kind, amount, balance, order_id, reference, at FROM ledger WHERE key = ?", key).toArray()[0];
  }

  #write(key: string, kind: GiftCardEntryKind, amount: number, orderId: string | null, reference: string | null, now: number): number {
    this.#sql.exec("UPDATE card SET balance = balance + ? WHERE id = 1", amount);
    const balance = (this.#card() as CardRow).balance;
    this.#sql.exec(
      "INSERT INTO ledger (key, kind, amount, balance, order_id, reference, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      key,
      kind,
      amount,
      balance,
      orderId,
      reference,
      now,
    );
    return balance;
  }

  #state(card: CardRow): GiftCardState {
    return { currency: card.currency, balance: card.balance, expiresAt: card.expires_at, disabled: card.disabled === 1 };
  }

  /** Loads the card with its first balance; issuing it again changes nothing. */
  async issue(
    amount: number,
    currency: string,
    expiresAt: number | null,
    reference: string,
    now: number = Date.now(),
  ): Promise<GiftCardState> {
    if (!this.#card()) {
      this.#sql.exec("INSERT INTO card (id, currency, balance, expires_at, disabled) VALUES (1, ?, 0, ?, 0)", currency, expiresAt);
      this.#write("issue", "issue", amount, null, reference, now);
    }
    return this.#state(this.#card() as CardRow);
  }

  /** Takes up to `max` for an order (what the card holds, if less); the same order again is the same debit. */
  async debit(orderId: string, max: number, currency: string, now: number = Date.now()): Promise<GiftCardDebitOutcome> {
    const card = this.#card();
    if (!card) return { ok: false, code: "unknown_gift_card" };
    const earlier = this.#entry(`debit:${orderId}`);
    if (earlier) return { ok: true, amount: -earlier.amount, balance: card.balance };
    if (card.currency !== currency) return { ok: false, code: "currency_mismatch" };
    if (card.disabled) return { ok: false, code: "gift_card_disabled" };
    if (card.expires_at !== null && card.expires_at <= now) return { ok: false, code: "gift_card_expired" };
    const amount = Math.min(Math.max(0, max), card.balance);
    if (amount <= 0) return { ok: false, code: "gift_card_empty" };
    const balance = this.#write(`debit:${orderId}`, "debit", -amount, orderId, null, now);
    return { ok: true, amount, balance };
  }

  /** What an order has taken and not yet had back (by reversal or credits). */
  #heldBy(orderId: string): number {
    return -this.#sql.exec<{ n: number }>("SELECT coalesce(sum(amount), 0) AS n FROM ledger WHERE order_id = ?", orderId).one().n;
  }

  /** What an order has taken from the card and not had back. */
  async heldFor(orderId: string): Promise<number> {
    return this.#heldBy(orderId);
  }

  /** Money coming back to a card past its date gets a fresh window, so it is not lost on arrival. */
  #revive(now: number) {
    this.#sql.exec("UPDATE card SET expires_at = ? WHERE id = 1 AND expires_at IS NOT NULL AND expires_at <= ?", now + REVIVED_MS, now);
  }

  /** Gives back an order's debit in full (the order was never paid); once. */
  async reverse(orderId: string, now: number = Date.now()): Promise<{ amount: number; balance: number }> {
    const card = this.#card();
    if (!card) return { amount: 0, balance: 0 };
    const earlier = this.#entry(`reverse:${orderId}`);
    if (earlier) return { amount: earlier.amount, balance: card.balance };
    const held = this.#heldBy(orderId);
    if (held <= 0) return { amount: 0, balance: card.balance };
    this.#revive(now);
    return { amount: held, balance: this.#write(`reverse:${orderId}`, "reverse", held, orderId, null, now) };
  }

  /** Puts up to `max` of a paid order's debit back on the card for a refund; the same refund again is the same credit. */
  async credit(orderId: string, refundId: string, max: number, now: number = Date.now()): Promise<{ amount: number; balance: number }> {
    const card = this.#card();
    if (!card) return { amount: 0, balance: 0 };
    const earlier = this.#entry(`credit:${refundId}`);
    if (earlier) return { amount: earlier.amount, balance: card.balance };
    const amount = Math.min(Math.max(0, max), this.#heldBy(orderId));
    if (amount <= 0) return { amount: 0, balance: card.balance };
    this.#revive(now);
    return { amount, balance: this.#write(`credit:${refundId}`, "credit", amount, orderId, refundId, now) };
  }

  /** Takes the whole balance off and switches the card off (the purchase that paid for it was refunded); once per key. */
  async cancel(key: string, now: number = Date.now()): Promise<{ amount: number; balance: number }> {
    const card = this.#card();
    if (!card) return { amount: 0, balance: 0 };
    const earlier = this.#entry(`cancel:${key}`);
    if (earlier) return { amount: -earlier.amount, balance: card.balance };
    this.#sql.exec("UPDATE card SET disabled = 1 WHERE id = 1");
    const amount = card.balance;
    const balance = this.#write(`cancel:${key}`, "adjust", -amount, null, key, now);
    return { amount, balance };
  }

  /**
   * Staff change the balance by `delta` (never below zero: a larger cut takes what is there) and/or
   * the expiry (`null` never expires; `undefined` leaves it); once per key.
   */
  async adjust(
    key: string,
    delta: number,
    expiresAt: number | null | undefined,
    now: number = Date.now(),
  ): Promise<{ amount: number; balance: number } | undefined> {
    const card = this.#card();
    if (!card) return undefined;
    const earlier = this.#entry(`adjust:${key}`);
    if (earlier) return { amount: earlier.amount, balance: card.balance };
    if (expiresAt !== undefined) this.#sql.exec("UPDATE card SET expires_at = ? WHERE id = 1", expiresAt);
    const amount = Math.max(delta, -card.balance);
    const balance = this.#write(`adjust:${key}`, "adjust", amount, null, key, now);
    return { amount, balance };
  }

  /** Switches the card off (it pays nothing more) or on again. */
  async setDisabled(disabled: boolean): Promise<GiftCardState | undefined> {
    this.#sql.exec("UPDATE card SET disabled = ? WHERE id = 1", disabled ? 1 : 0);
    const card = this.#card();
    return card && this.#state(card);
  }

  /** The balance and the newest `limit` ledger entries, newest first. */
  async read(limit = 100): Promise<(GiftCardState & { ledger: GiftCardEntry[] }) | undefined> {
    const card = this.#card();
    if (!card) return undefined;
    const ledger = this.#sql
      .exec<EntryRow>("SELECT kind, amount, balance, order_id, reference, at FROM ledger ORDER BY seq DESC LIMIT ?", limit)
      .toArray()
      .map((e) => ({
        kind: e.kind as GiftCardEntryKind,
        amount: e.amount,
        balance: e.balance,
        orderId: e.order_id,
        reference: e.reference,
        at: e.at,
      }));
    return { ...this.#state(card), ledger };
  }
}
