import { DurableObject } from "cloudflare:workers";
import type { Bindings } from "../src/env";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS uses (
  order_id TEXT PRIMARY KEY,
  customer TEXT NOT NULL,
  at INTEGER NOT NULL,
  released_at INTEGER
);
CREATE INDEX IF NOT EXISTS uses_customer_idx ON uses (customer, released_at);`;

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
 */
export class DiscountDurableObject extends DurableObject<Bindings> {
  readonly #sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Bindings) {
    super(ctx, env);
    this.#sql = ctx.storage.sql;
    this.#sql.exec(SCHEMA);
  }

  #used(customer?: string): number {
    return customer === undefined
      ? this.#sql.exec<{ n: number }>("SELECT count(*) AS n FROM uses WHERE released_at IS NULL").one().n
      : this.#sql.exec<{ n: number }>("SELECT count(*) AS n FROM uses WHERE released_at IS NULL AND customer = ?", customer).one().n;
  }

  /** Takes a use for an order (the same order again is the same use), within the limits. */
  async take(orderId: string, customer: string, limits: UseLimits, now: number = Date.now()): Promise<DiscountUseOutcome> {
    const existing = this.#sql
      .exec<{ released_at: number | null }>("SELECT released_at FROM uses WHERE order_id = ?", orderId)
      .toArray()[0];
    if (existing && existing.released_at === null) return { ok: true, used: this.#used() };
    const used = this.#used();
    if (limits.total !== null && used >= limits.total) return { ok: false, code: "usage_limit_reached", scope: "total", used };
    if (limits.perCustomer !== null && this.#used(customer) >= limits.perCustomer) {
      return { ok: false, code: "usage_limit_reached", scope: "customer", used };
    }
    this.#sql.exec(
      "INSERT INTO uses (order_id, customer, at, released_at) VALUES (?, ?, ?, NULL) ON CONFLICT (order_id) DO UPDATE SET released_at = NULL, at = excluded.at, customer = excluded.customer",
      orderId,
      customer,
      now,
    );
    return { ok: true, used: used + 1 };
  }

  /** Gives an order's use back (cancelled or expired unpaid); giving it back twice is once. */
  async release(orderId: string, now: number = Date.now()): Promise<{ released: boolean; used: number }> {
    const cursor = this.#sql.exec("UPDATE uses SET released_at = ? WHERE order_id = ? AND released_at IS NULL", now, orderId);
    return { released: cursor.rowsWritten > 0, used: this.#used() };
  }

  /** Uses held now, in all and by one customer. */
  async usage(customer?: string): Promise<{ used: number; byCustomer: number | null }> {
    return { used: this.#used(), byCustomer: customer === undefined ? null : this.#used(customer) };
  }
}
