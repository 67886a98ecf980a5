import { DurableObject } from "cloudflare:workers";
import type { Bindings } from "../src/env";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS uses (
  order_id TEXT PRIMARY KEY,
  customer TEXT NOT NULL,
  at INTEGER NOT NULL,
  released_at INTEGER,
  confirmed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS uses_customer_idx ON uses (customer, released_at);`;

/** A use not confirmed (its order never written: the checkout died) stops counting after this long. */
export const UNCONFIRMED_USE_MS = 15 * 60_000;

/** Uses that count: not given back, and confirmed or still fresh. */
const LIVE = "released_at IS NULL AND (confirmed = 1 OR at > ?)";

/** A discount object's answer (RPC keeps only name and message of thrown errors, so failures are values). */
export type DiscountUseOutcome =
  | { ok: true; used: number }
  | { ok: false; code: "usage_limit_reached"; scope: "total" | "customer"; used: number };

/** The limits a use is checked against (read from D1 by the caller; null is no limit). */
export interface UseLimits {
  total: number | null;
  perCustomer: number | null;
}

/**
 * One discount's uses: which orders took it, for which customer, and which gave it back. A use is
 * checked and recorded in one synchronous step on the object's SQLite (no await in between), and the
 * object is the only writer of the count, so concurrent checkouts can never take more than the limit.
 * A use whose order was never written (the checkout died before) is not confirmed and stops counting
 * after 15 minutes, so uses cannot leak.
 */
export class DiscountDurableObject extends DurableObject<Bindings> {
  readonly #sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Bindings) {
    super(ctx, env);
    this.#sql = ctx.storage.sql;
    this.#sql.exec(SCHEMA);
  }

  #used(now: number, customer?: string, exceptOrder = ""): number {
    const since = now - UNCONFIRMED_USE_MS;
    return customer === undefined
      ? this.#sql.exec<{ n: number }>(`SELECT count(*) AS n FROM uses WHERE ${LIVE} AND order_id <> ?`, since, exceptOrder).one().n
      : this.#sql
          .exec<{ n: number }>(
            `SELECT count(*) AS n FROM uses WHERE ${LIVE} AND customer = ? AND order_id <> ?`,
            since,
            customer,
            exceptOrder,
          )
          .one().n;
  }

  /** Takes a use for an order (the same order again is the same use), within the limits. */
  async take(orderId: string, customer: string, limits: UseLimits, now: number = Date.now()): Promise<DiscountUseOutcome> {
    const since = now - UNCONFIRMED_USE_MS;
    const live = this.#sql.exec<{ n: number }>(`SELECT count(*) AS n FROM uses WHERE order_id = ? AND ${LIVE}`, orderId, since).one().n;
    if (live) return { ok: true, used: this.#used(now) };
    const used = this.#used(now);
    if (limits.total !== null && used >= limits.total) return { ok: false, code: "usage_limit_reached", scope: "total", used };
    if (limits.perCustomer !== null && this.#used(now, customer) >= limits.perCustomer) {
      return { ok: false, code: "usage_limit_reached", scope: "customer", used };
    }
    this.#sql.exec(
      "INSERT INTO uses (order_id, customer, at, released_at, confirmed) VALUES (?, ?, ?, NULL, 0) ON CONFLICT (order_id) DO UPDATE SET released_at = NULL, at = excluded.at, customer = excluded.customer, confirmed = 0",
      orderId,
      customer,
      now,
    );
    return { ok: true, used: used + 1 };
  }

  /** Confirms an order's use once the order is written: it then counts until given back. */
  async confirm(orderId: string): Promise<{ confirmed: boolean }> {
    const cursor = this.#sql.exec("UPDATE uses SET confirmed = 1 WHERE order_id = ? AND released_at IS NULL", orderId);
    return { confirmed: cursor.rowsWritten > 0 };
  }

  /** Gives an order's use back (cancelled or expired unpaid); giving it back twice is once. */
  async release(orderId: string, now: number = Date.now()): Promise<{ released: boolean; used: number }> {
    const cursor = this.#sql.exec("UPDATE uses SET released_at = ? WHERE order_id = ? AND released_at IS NULL", now, orderId);
    return { released: cursor.rowsWritten > 0, used: this.#used(now) };
  }

  /** Uses held now, in all and by one customer, leaving out one order's own (a checkout checking again). */
  async usage(customer?: string, exceptOrder?: string, now: number = Date.now()): Promise<{ used: number; byCustomer: number | null }> {
    return {
      used: this.#used(now, undefined, exceptOrder),
      byCustomer: customer === undefined ? null : this.#used(now, customer, exceptOrder),
    };
  }
}
