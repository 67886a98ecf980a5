import { DurableObject } from "cloudflare:workers";
import type { PointsAccount, PointsEntryKind } from "../src/domain/loyalty";
import type { Bindings } from "../src/env";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS lots (
  order_id TEXT PRIMARY KEY,
  points INTEGER NOT NULL,
  remaining INTEGER NOT NULL CHECK (remaining >= 0),
  state TEXT NOT NULL,
  earned_at INTEGER NOT NULL,
  available_at INTEGER NOT NULL,
  expiry_ms INTEGER,
  expires_at INTEGER
);
CREATE TABLE IF NOT EXISTS spends (
  order_id TEXT NOT NULL,
  lot TEXT NOT NULL,
  points INTEGER NOT NULL,
  restored INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (order_id, lot)
);
CREATE TABLE IF NOT EXISTS entries (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  key TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  points INTEGER NOT NULL,
  order_id TEXT,
  at INTEGER NOT NULL
);`;

/** How long points given back onto a lot that expired meanwhile stay spendable. */
const RESTORED_MS = 30 * 86_400_000;

/** A points object's answer to spending (RPC keeps only name and message of thrown errors, so refusals are values). */
export type RedeemOutcome = { ok: true; points: number; available: number } | { ok: false; code: "insufficient_points"; available: number };

/** What the D1 copy keeps of an account after a change; `version` (the ledger's last entry) orders the copies. */
export interface PointsSummary {
  available: number;
  pending: number;
  nextDueAt: number | null;
  version: number;
}

interface LotRow extends Record<string, SqlStorageValue> {
  order_id: string;
  points: number;
  remaining: number;
  state: string;
  available_at: number;
  expiry_ms: number | null;
  expires_at: number | null;
}

/**
 * One customer's loyalty points: lots earned per paid order (pending until the return window closes,
 * then spendable until they expire), what orders spent from which lot, and the ledger. Every change
 * runs in one synchronous step on the object's SQLite and the object is the only writer, so two
 * checkouts spending at once can never spend the same points; each change has a key (the order) so
 * repeating it does nothing new.
 */
export class LoyaltyDurableObject extends DurableObject<Bindings> {
  readonly #sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Bindings) {
    super(ctx, env);
    this.#sql = ctx.storage.sql;
    this.#sql.exec(SCHEMA);
  }

  #entry(key: string, kind: PointsEntryKind, points: number, orderId: string | null, now: number): boolean {
    return (
      this.#sql.exec(
        "INSERT INTO entries (key, kind, points, order_id, at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING",
        key,
        kind,
        points,
        orderId,
        now,
      ).rowsWritten > 0
    );
  }

  #summary(): PointsSummary {
    const sums = this.#sql
      .exec<{ available: number; pending: number }>(
        "SELECT coalesce(sum(CASE WHEN state = 'available' THEN remaining END), 0) AS available, coalesce(sum(CASE WHEN state = 'pending' THEN remaining END), 0) AS pending FROM lots",
      )
      .one();
    const due = this.#sql
      .exec<{ at: number | null }>(
        "SELECT min(CASE WHEN state = 'pending' THEN available_at WHEN state = 'available' AND remaining > 0 THEN expires_at END) AS at FROM lots",
      )
      .one().at;
    const version = this.#sql.exec<{ v: number | null }>("SELECT max(seq) AS v FROM entries").one().v ?? 0;
    return { available: sums.available, pending: sums.pending, nextDueAt: due ?? null, version };
  }

  /** Records the points a paid order earned, pending until `availableAt`; the same order again changes nothing. */
  async earn(
    orderId: string,
    points: number,
    availableAt: number,
    expiryMs: number | null,
    now: number = Date.now(),
  ): Promise<PointsSummary> {
    if (points > 0 && this.#entry(`earn:${orderId}`, "earn", points, orderId, now)) {
      this.#sql.exec(
        "INSERT INTO lots (order_id, points, remaining, state, earned_at, available_at, expiry_ms, expires_at) VALUES (?, ?, ?, 'pending', ?, ?, ?, NULL) ON CONFLICT (order_id) DO NOTHING",
        orderId,
        points,
        points,
        now,
        availableAt,
        expiryMs,
      );
    }
    return this.#summary();
  }

  /**
   * Brings an order's earned points down to the share `kept / of` of what it first earned (a refund
   * shrank what was paid, whatever the rules are now): taken from what is left of its lot, never
   * below zero (points already spent stay spent). Only ever lowers.
   */
  async reduceEarned(orderId: string, kept: number, of: number, now: number = Date.now()): Promise<{ reversed: number } & PointsSummary> {
    const lot = this.#sql.exec<LotRow>("SELECT * FROM lots WHERE order_id = ?", orderId).toArray()[0];
    const earned = this.#sql.exec<{ points: number }>("SELECT points FROM entries WHERE key = ?", `earn:${orderId}`).toArray()[0]?.points;
    if (!lot || earned === undefined || of <= 0) return { reversed: 0, ...this.#summary() };
    const keep = Math.floor((earned * Math.max(0, Math.min(kept, of))) / of);
    if (keep >= lot.points) return { reversed: 0, ...this.#summary() };
    const cut = lot.points - Math.max(0, keep);
    const reversed = Math.min(cut, lot.remaining);
    this.#sql.exec(
      "UPDATE lots SET points = ?, remaining = remaining - ?, state = CASE WHEN ? = 0 AND state = 'pending' THEN 'reversed' ELSE state END WHERE order_id = ?",
      Math.max(0, keep),
      reversed,
      Math.max(0, keep),
      orderId,
    );
    if (reversed > 0) this.#entry(`reverse:${orderId}:to${keep}`, "reverse", -reversed, orderId, now);
    return { reversed, ...this.#summary() };
  }

  /** Spends `points` for an order from the spendable lots that expire first; all or nothing, once per order. */
  async redeem(orderId: string, points: number, now: number = Date.now()): Promise<RedeemOutcome> {
    this.#settle(now);
    const earlier = this.#sql
      .exec<{ n: number }>("SELECT coalesce(sum(points), 0) AS n FROM spends WHERE order_id = ? AND restored = 0", orderId)
      .one().n;
    if (earlier > 0) return { ok: true, points: earlier, available: this.#summary().available };
    const lots = this.#sql
      .exec<LotRow>(
        "SELECT * FROM lots WHERE state = 'available' AND remaining > 0 AND (expires_at IS NULL OR expires_at > ?) ORDER BY coalesce(expires_at, 9e15), available_at",
        now,
      )
      .toArray();
    const available = lots.reduce((n, l) => n + l.remaining, 0);
    if (points > available) return { ok: false, code: "insufficient_points", available };
    let left = points;
    for (const lot of lots) {
      if (left <= 0) break;
      const take = Math.min(left, lot.remaining);
      this.#sql.exec("UPDATE lots SET remaining = remaining - ? WHERE order_id = ?", take, lot.order_id);
      this.#sql.exec("INSERT INTO spends (order_id, lot, points) VALUES (?, ?, ?)", orderId, lot.order_id, take);
      left -= take;
    }
    this.#entry(`redeem:${orderId}`, "redeem", -points, orderId, now);
    return { ok: true, points, available: available - points };
  }

  /** Gives back what an order spent (it was cancelled, expired unpaid, or refunded in full) to the lots it came from; once. */
  async restore(orderId: string, now: number = Date.now()): Promise<{ restored: number } & PointsSummary> {
    const spends = this.#sql
      .exec<{ lot: string; points: number }>("SELECT lot, points FROM spends WHERE order_id = ? AND restored = 0", orderId)
      .toArray();
    let restored = 0;
    for (const s of spends) {
      const lot = this.#sql.exec<LotRow>("SELECT * FROM lots WHERE order_id = ?", s.lot).toArray()[0];
      if (!lot) continue;
      // Never more than the lot is still worth (points of a refunded order stay taken back); points
      // whose lot expired meanwhile come back with 30 days to spend them.
      const back = Math.max(0, Math.min(s.points, lot.points - lot.remaining));
      const expired = lot.state === "expired";
      this.#sql.exec(
        "UPDATE lots SET remaining = remaining + ?, state = CASE WHEN state = 'expired' THEN 'available' ELSE state END, expires_at = ? WHERE order_id = ?",
        back,
        expired ? now + RESTORED_MS : lot.expires_at,
        s.lot,
      );
      restored += back;
    }
    this.#sql.exec("UPDATE spends SET restored = 1 WHERE order_id = ?", orderId);
    if (restored > 0) this.#entry(`restore:${orderId}`, "restore", restored, orderId, now);
    return { restored, ...this.#summary() };
  }

  /** Makes pending points whose return window has closed spendable, and expires spendable points past their date. */
  async settle(now: number = Date.now()): Promise<{ confirmed: number; expired: number } & PointsSummary> {
    return { ...this.#settle(now), ...this.#summary() };
  }

  #settle(now: number): { confirmed: number; expired: number } {
    let confirmed = 0;
    for (const lot of this.#sql.exec<LotRow>("SELECT * FROM lots WHERE state = 'pending' AND available_at <= ?", now).toArray()) {
      const expiresAt = lot.expiry_ms === null ? null : lot.available_at + lot.expiry_ms;
      this.#sql.exec("UPDATE lots SET state = 'available', expires_at = ? WHERE order_id = ?", expiresAt, lot.order_id);
      if (lot.remaining > 0) this.#entry(`confirm:${lot.order_id}`, "confirm", lot.remaining, lot.order_id, now);
      confirmed += lot.remaining;
    }
    let expired = 0;
    for (const lot of this.#sql
      .exec<LotRow>("SELECT * FROM lots WHERE state = 'available' AND expires_at IS NOT NULL AND expires_at <= ?", now)
      .toArray()) {
      this.#sql.exec("UPDATE lots SET state = 'expired', remaining = 0 WHERE order_id = ?", lot.order_id);
      if (lot.remaining > 0) this.#entry(`expire:${lot.order_id}:${now}`, "expire", -lot.remaining, lot.order_id, now);
      expired += lot.remaining;
    }
    return { confirmed, expired };
  }

  /** Points staff give (goodwill, a migration from another system): spendable now, expiring like earned ones; once per key. */
  async grant(key: string, points: number, expiryMs: number | null, now: number = Date.now()): Promise<PointsSummary> {
    if (points > 0 && this.#entry(`grant:${key}`, "grant", points, null, now)) {
      this.#sql.exec(
        "INSERT INTO lots (order_id, points, remaining, state, earned_at, available_at, expiry_ms, expires_at) VALUES (?, ?, ?, 'available', ?, ?, ?, ?) ON CONFLICT (order_id) DO NOTHING",
        `grant:${key}`,
        points,
        points,
        now,
        now,
        expiryMs,
        expiryMs === null ? null : now + expiryMs,
      );
    }
    return this.#summary();
  }

  /** What the D1 copy keeps: spendable, pending, and when something is next due. */
  async summary(): Promise<PointsSummary> {
    return this.#summary();
  }

  /** The balance, what is pending, and the newest `limit` ledger entries. */
  async read(limit = 50, now: number = Date.now()): Promise<PointsAccount> {
    this.#settle(now);
    const s = this.#summary();
    const nextExpiry =
      this.#sql.exec<{ at: number | null }>("SELECT min(expires_at) AS at FROM lots WHERE state = 'available' AND remaining > 0").one()
        .at ?? null;
    const entries = this.#sql
      .exec<{ kind: string; points: number; order_id: string | null; at: number }>(
        "SELECT kind, points, order_id, at FROM entries ORDER BY seq DESC LIMIT ?",
        limit,
      )
      .toArray()
      .map((e) => ({ kind: e.kind as PointsEntryKind, points: e.points, orderId: e.order_id, at: e.at }));
    return { available: s.available, pending: s.pending, nextExpiry, entries };
  }
}
