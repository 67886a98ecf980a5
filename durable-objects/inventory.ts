import { DurableObject } from "cloudflare:workers";
import { bumpCatalogVersion } from "../src/cache/catalog-cache";
import { createDb } from "../src/db";
import { projectedAvailable, projectStock } from "../src/db/stock-store";
import type { Movement, InventoryOutcome as Outcome, ReservationState, ReservationView, StockSnapshot } from "../src/domain/inventory";
import { displayChanged } from "../src/domain/stock";
import type { Bindings } from "../src/env";
import { log } from "../src/log";

/** How long stock changes may wait before the D1 projection is refreshed (coalesces flash-sale bursts). */
const PROJECTION_DELAY_MS = 1_000;
const MAX_QUANTITY = 100_000;
const MAX_TTL_MS = 24 * 3600 * 1000;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS stock (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  sku TEXT NOT NULL,
  on_hand INTEGER NOT NULL CHECK (on_hand >= 0),
  projected_seq INTEGER NOT NULL DEFAULT 0,
  projected_available INTEGER NOT NULL DEFAULT 0,
  dirty_since INTEGER
);
CREATE TABLE IF NOT EXISTS reservations (
  id TEXT PRIMARY KEY,
  quantity INTEGER NOT NULL CHECK (quantity > 0),
  order_id TEXT,
  state TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS reservations_active_idx ON reservations (state, expires_at);
CREATE TABLE IF NOT EXISTS movements (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  kind TEXT NOT NULL,
  on_hand_delta INTEGER NOT NULL,
  reserved_delta INTEGER NOT NULL,
  reservation_id TEXT,
  reason TEXT,
  on_hand_after INTEGER NOT NULL,
  reserved_after INTEGER NOT NULL
);`;

type ReservationRow = {
  id: string;
  quantity: number;
  order_id: string | null;
  state: ReservationState;
  expires_at: number;
};

const isCount = (n: unknown, min: number, max: number): n is number => typeof n === "number" && Number.isInteger(n) && n >= min && n <= max;

/**
 * One SKU's stock: on-hand units and reservations with expiry. Every check-and-write runs
 * synchronously on the object's SQLite (no await in between), so concurrent callers cannot oversell.
 */
export class InventoryDurableObject extends DurableObject<Bindings> {
  readonly #sql: SqlStorage;
  /** The alarm time last set by this instance (undefined after a restart: set it again). */
  #alarmAt: number | null | undefined;

  constructor(ctx: DurableObjectState, env: Bindings) {
    super(ctx, env);
    this.#sql = ctx.storage.sql;
    ctx.blockConcurrencyWhile(async () => {
      this.#sql.exec(SCHEMA);
      if (this.#sql.exec("SELECT 1 FROM stock").toArray().length === 0) await this.#importFromProjection();
    });
  }

  get #sku(): string {
    const sku = this.ctx.id.name;
    if (!sku) throw new Error("InventoryDurableObject must be addressed by SKU (getByName)");
    return sku;
  }

  /** First use of a SKU: start from the stock the D1 projection shows (demo data, imports). */
  async #importFromProjection() {
    const onHand = Math.max(0, (await projectedAvailable(createDb(this.env.DB), this.#sku)) ?? 0);
    this.ctx.storage.transactionSync(() => {
      this.#sql.exec("INSERT INTO stock (id, sku, on_hand, projected_available) VALUES (1, ?, ?, ?)", this.#sku, onHand, onHand);
      this.#move(Date.now(), "import", onHand, 0, null, "initial stock from stock_levels");
    });
  }

  #onHand(): number {
    return this.#sql.exec<{ on_hand: number }>("SELECT on_hand FROM stock WHERE id = 1").one().on_hand;
  }

  #reserved(): number {
    return this.#sql.exec<{ n: number }>("SELECT coalesce(sum(quantity), 0) AS n FROM reservations WHERE state = 'active'").one().n;
  }

  #move(at: number, kind: string, onHandDelta: number, reservedDelta: number, reservationId: string | null, reason: string | null) {
    this.#sql.exec(
      `INSERT INTO movements (at, kind, on_hand_delta, reserved_delta, reservation_id, reason, on_hand_after, reserved_after)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      at,
      kind,
      onHandDelta,
      reservedDelta,
      reservationId,
      reason,
      this.#onHand(),
      this.#reserved(),
    );
  }

  #reservation(id: string): ReservationRow | undefined {
    return this.#sql
      .exec<ReservationRow>("SELECT id, quantity, order_id, state, expires_at FROM reservations WHERE id = ?", id)
      .toArray()[0];
  }

  #view(r: ReservationRow): ReservationView {
    return { id: r.id, quantity: r.quantity, orderId: r.order_id, state: r.state, expiresAt: r.expires_at };
  }

  #available(): number {
    return this.#onHand() - this.#reserved();
  }

  /** Expires lapsed reservations (also run by the alarm); returns how many were released. */
  releaseExpired(now: number = Date.now()): number {
    const lapsed = this.#sql
      .exec<ReservationRow>(
        "SELECT id, quantity, order_id, state, expires_at FROM reservations WHERE state = 'active' AND expires_at <= ?",
        now,
      )
      .toArray();
    if (!lapsed.length) return 0;
    this.ctx.storage.transactionSync(() => {
      for (const r of lapsed) {
        this.#sql.exec("UPDATE reservations SET state = 'expired', updated_at = ? WHERE id = ?", now, r.id);
        this.#move(now, "expire", 0, -r.quantity, r.id, "hold lapsed");
      }
    });
    this.#changed(now);
    return lapsed.length;
  }

  /** Holds `quantity` units for `ttlMs`; the same id twice is the same reservation. */
  reserve(
    reservationId: string,
    quantity: number,
    ttlMs: number,
    orderId: string | null = null,
    now: number = Date.now(),
  ): Outcome<{
    reservation: ReservationView;
    available: number;
    replayed: boolean;
  }> {
    if (typeof reservationId !== "string" || !reservationId || reservationId.length > 200) {
      return { ok: false, code: "invalid_request", detail: "reservationId must be a non-empty string" };
    }
    if (!isCount(quantity, 1, MAX_QUANTITY) || !isCount(ttlMs, 1, MAX_TTL_MS)) {
      return { ok: false, code: "invalid_request", detail: "quantity and ttlMs must be positive integers" };
    }
    this.releaseExpired(now);
    const existing = this.#reservation(reservationId);
    if (existing) {
      if (existing.state === "active" || existing.state === "committed") {
        return { ok: true, reservation: this.#view(existing), available: this.#available(), replayed: true };
      }
      return { ok: false, code: existing.state === "expired" ? "reservation_expired" : "reservation_released" };
    }
    const available = this.#available();
    if (quantity > available) return { ok: false, code: "insufficient_inventory", available };
    const expiresAt = now + ttlMs;
    this.ctx.storage.transactionSync(() => {
      this.#sql.exec(
        "INSERT INTO reservations (id, quantity, order_id, state, expires_at, created_at, updated_at) VALUES (?, ?, ?, 'active', ?, ?, ?)",
        reservationId,
        quantity,
        orderId,
        expiresAt,
        now,
        now,
      );
      this.#move(now, "reserve", 0, quantity, reservationId, orderId ? `order ${orderId}` : null);
    });
    this.#changed(now);
    const reservation = this.#reservation(reservationId) as ReservationRow;
    return { ok: true, reservation: this.#view(reservation), available: available - quantity, replayed: false };
  }

  /** Turns a live reservation into a sale: its units leave on-hand. Idempotent. */
  commit(reservationId: string, now: number = Date.now()): Outcome<{ reservation: ReservationView; replayed: boolean }> {
    this.releaseExpired(now);
    const r = this.#reservation(reservationId);
    if (!r) return { ok: false, code: "reservation_not_found" };
    if (r.state === "committed") return { ok: true, reservation: this.#view(r), replayed: true };
    if (r.state === "expired") return { ok: false, code: "reservation_expired" };
    if (r.state === "released") return { ok: false, code: "reservation_released" };
    this.ctx.storage.transactionSync(() => {
      this.#sql.exec("UPDATE reservations SET state = 'committed', updated_at = ? WHERE id = ?", now, r.id);
      this.#sql.exec("UPDATE stock SET on_hand = on_hand - ? WHERE id = 1", r.quantity);
      this.#move(now, "commit", -r.quantity, -r.quantity, r.id, r.order_id ? `order ${r.order_id}` : null);
    });
    this.#changed(now);
    return { ok: true, reservation: this.#view(this.#reservation(reservationId) as ReservationRow), replayed: false };
  }

  /** Gives a live reservation's units back. Idempotent; unknown ids are a no-op. */
  release(reservationId: string, reason = "released", now: number = Date.now()): Outcome<{ released: boolean }> {
    const r = this.#reservation(reservationId);
    if (!r || r.state === "released" || r.state === "expired") return { ok: true, released: false };
    if (r.state === "committed") return { ok: false, code: "reservation_committed" };
    this.ctx.storage.transactionSync(() => {
      this.#sql.exec("UPDATE reservations SET state = 'released', updated_at = ? WHERE id = ?", now, r.id);
      this.#move(now, "release", 0, -r.quantity, r.id, reason);
    });
    this.#changed(now);
    return { ok: true, released: true };
  }

  /** Adds or removes on-hand units (deliveries, damage, counts); never below what is reserved. */
  adjust(delta: number, reason: string, now: number = Date.now()): Outcome<{ snapshot: StockSnapshot }> {
    if (!isCount(Math.abs(delta), 1, MAX_QUANTITY))
      return { ok: false, code: "invalid_request", detail: "delta must be a non-zero integer" };
    this.releaseExpired(now);
    const onHand = this.#onHand();
    const reserved = this.#reserved();
    if (onHand + delta < reserved) {
      return { ok: false, code: "below_reserved", available: onHand - reserved, detail: `${reserved} units are reserved` };
    }
    this.ctx.storage.transactionSync(() => {
      this.#sql.exec("UPDATE stock SET on_hand = on_hand + ? WHERE id = 1", delta);
      this.#move(now, "adjust", delta, 0, null, reason);
    });
    this.#changed(now);
    return { ok: true, snapshot: this.snapshot() };
  }

  /** One reservation, whatever its state (null if unknown). */
  reservation(reservationId: string): ReservationView | null {
    const r = this.#reservation(reservationId);
    return r ? this.#view(r) : null;
  }

  /** Puts units back on hand once per `operationId` (returns, refunds); repeats are no-ops. */
  restock(operationId: string, quantity: number, reason: string, now: number = Date.now()): Outcome<{ applied: boolean }> {
    if (!operationId || !isCount(quantity, 1, MAX_QUANTITY))
      return { ok: false, code: "invalid_request", detail: "operationId and a positive quantity" };
    const done = this.#sql.exec("SELECT 1 FROM movements WHERE kind = 'restock' AND reservation_id = ?", operationId).toArray().length > 0;
    if (done) return { ok: true, applied: false };
    this.ctx.storage.transactionSync(() => {
      this.#sql.exec("UPDATE stock SET on_hand = on_hand + ? WHERE id = 1", quantity);
      this.#move(now, "restock", quantity, 0, operationId, reason);
    });
    this.#changed(now);
    return { ok: true, applied: true };
  }

  /** Sets on-hand units to a counted figure; never below what is reserved. */
  set(onHand: number, reason: string, now: number = Date.now()): Outcome<{ snapshot: StockSnapshot }> {
    if (!isCount(onHand, 0, MAX_QUANTITY)) return { ok: false, code: "invalid_request", detail: "onHand must be a non-negative integer" };
    this.releaseExpired(now);
    const current = this.#onHand();
    const reserved = this.#reserved();
    if (onHand < reserved) {
      return { ok: false, code: "below_reserved", available: current - reserved, detail: `${reserved} units are reserved` };
    }
    if (onHand !== current) {
      this.ctx.storage.transactionSync(() => {
        this.#sql.exec("UPDATE stock SET on_hand = ? WHERE id = 1", onHand);
        this.#move(now, "set", onHand - current, 0, null, reason);
      });
      this.#changed(now);
    }
    return { ok: true, snapshot: this.snapshot() };
  }

  /**
   * Empties the SKU for good (its variant is being deleted): on-hand to 0 with a `retire` movement,
   * so a SKU created again later starts from nothing. Refused while any units are reserved.
   */
  retire(reason: string, now: number = Date.now()): Outcome<{ snapshot: StockSnapshot }> {
    this.releaseExpired(now);
    const current = this.#onHand();
    const reserved = this.#reserved();
    if (reserved > 0) {
      return { ok: false, code: "below_reserved", available: current - reserved, detail: `${reserved} units are reserved` };
    }
    if (current !== 0) {
      this.ctx.storage.transactionSync(() => {
        this.#sql.exec("UPDATE stock SET on_hand = 0 WHERE id = 1");
        this.#move(now, "retire", -current, 0, null, reason);
      });
      this.#changed(now);
    }
    return { ok: true, snapshot: this.snapshot() };
  }

  /** Units that can be reserved right now. */
  available(now: number = Date.now()): number {
    this.releaseExpired(now);
    return this.#available();
  }

  /** On-hand, reserved, available and the live reservations. */
  snapshot(): StockSnapshot {
    const reservations = this.#sql
      .exec<ReservationRow>("SELECT id, quantity, order_id, state, expires_at FROM reservations WHERE state = 'active' ORDER BY expires_at")
      .toArray()
      .map((r) => this.#view(r));
    const onHand = this.#onHand();
    const reserved = this.#reserved();
    return { sku: this.#sku, onHand, reserved, available: onHand - reserved, seq: this.#seq(), reservations };
  }

  /** The newest movements, newest first. */
  ledger(limit = 100): Movement[] {
    return this.#sql
      .exec<Record<string, number | string | null>>("SELECT * FROM movements ORDER BY seq DESC LIMIT ?", limit)
      .toArray()
      .map((m) => ({
        seq: m.seq as number,
        at: m.at as number,
        kind: m.kind as string,
        onHandDelta: m.on_hand_delta as number,
        reservedDelta: m.reserved_delta as number,
        reservationId: m.reservation_id as string | null,
        reason: m.reason as string | null,
        onHandAfter: m.on_hand_after as number,
        reservedAfter: m.reserved_after as number,
      }));
  }

  #seq(): number {
    return this.#sql.exec<{ seq: number }>("SELECT coalesce(max(seq), 0) AS seq FROM movements").one().seq;
  }

  /** After any change: the projection is due within PROJECTION_DELAY_MS of the first unprojected change. */
  #changed(now: number) {
    this.#sql.exec("UPDATE stock SET dirty_since = coalesce(dirty_since, ?) WHERE id = 1", now);
    this.#schedule();
  }

  /**
   * Sets the alarm from stored state alone (earliest live hold, projection due), so whichever call
   * runs last leaves the right time. Storage calls apply in program order; no await needed.
   */
  #schedule() {
    const { next } = this.#sql
      .exec<{ next: number | null }>("SELECT min(expires_at) AS next FROM reservations WHERE state = 'active'")
      .one();
    const { dirty_since } = this.#sql.exec<{ dirty_since: number | null }>("SELECT dirty_since FROM stock WHERE id = 1").one();
    const due = [next, dirty_since === null ? null : dirty_since + PROJECTION_DELAY_MS].filter((t): t is number => t !== null);
    const at = due.length ? Math.min(...due) : null;
    if (at === this.#alarmAt) return;
    this.#alarmAt = at;
    if (at === null) void this.ctx.storage.deleteAlarm();
    else void this.ctx.storage.setAlarm(at);
  }

  /**
   * Writes available units to D1 `stock_levels` if anything moved since the last write (newer
   * sequence numbers win), and starts a new catalog version when what shoppers see changed.
   */
  async project(now: number = Date.now()): Promise<{ projected: boolean; displayChanged: boolean }> {
    const { projected_seq, projected_available } = this.#sql
      .exec<{ projected_seq: number; projected_available: number }>("SELECT projected_seq, projected_available FROM stock WHERE id = 1")
      .one();
    const seq = this.#seq();
    if (seq === projected_seq) {
      this.#sql.exec("UPDATE stock SET dirty_since = NULL WHERE id = 1");
      return { projected: false, displayChanged: false };
    }
    const available = this.#available();
    // Only SKUs the catalog knows get a row (the projection references variants).
    await projectStock(createDb(this.env.DB), { sku: this.#sku, available, seq, now: new Date(now) });
    const changed = displayChanged(projected_available, available);
    // Changes made while D1 was answering stay due for the next projection.
    this.#sql.exec(
      "UPDATE stock SET projected_seq = ?, projected_available = ?, dirty_since = CASE WHEN ? = (SELECT coalesce(max(seq), 0) FROM movements) THEN NULL ELSE dirty_since END WHERE id = 1",
      seq,
      available,
      seq,
    );
    if (changed) await bumpCatalogVersion(this.env.CATALOG_CACHE, new Date(now));
    this.#schedule();
    return { projected: true, displayChanged: changed };
  }

  /** Expires lapsed holds, refreshes the projection, and re-arms for the next expiry. */
  override async alarm() {
    this.#alarmAt = undefined;
    const now = Date.now();
    this.releaseExpired(now);
    try {
      await this.project(now);
    } catch (err) {
      log.error("inventory.projection_failed", { sku: this.#sku, error: err });
      this.#alarmAt = now + 30_000;
      await this.ctx.storage.setAlarm(this.#alarmAt);
      return;
    }
    this.#schedule();
  }
}
