import { DurableObject } from "cloudflare:workers";
import { configOf } from "../src/config";
import { createDb } from "../src/db";
import { deleteCartIndex, upsertCartIndex } from "../src/db/cart-index-store";
import { type CartOutcome, type CartState, type LineItem, MAX_LINE_QUANTITY, MAX_LINES } from "../src/domain/cart";
import type { Bindings } from "../src/env";
import { log } from "../src/log";

const DEFAULT_TTL_DAYS = 30;
/** Discount codes one cart may hold. */
const MAX_CODES = 5;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS cart (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  cart_id TEXT NOT NULL,
  currency TEXT NOT NULL,
  email TEXT,
  remind_me INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL DEFAULT 'open',
  order_id TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS lines (
  sku TEXT PRIMARY KEY,
  product_id INTEGER NOT NULL,
  product_slug TEXT NOT NULL,
  title TEXT NOT NULL,
  variant_title TEXT NOT NULL,
  unit_price INTEGER NOT NULL,
  quantity INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND ${MAX_LINE_QUANTITY}),
  added_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS codes (
  code TEXT PRIMARY KEY,
  added_at INTEGER NOT NULL
);`;

type CartRow = {
  cart_id: string;
  currency: string;
  email: string | null;
  remind_me: number;
  status: "open" | "checked_out";
  order_id: string | null;
  created_at: number;
  updated_at: number;
};

type LineRow = {
  sku: string;
  product_id: number;
  product_slug: string;
  title: string;
  variant_title: string;
  unit_price: number;
  quantity: number;
};

/** One shopper's cart: lines keyed by SKU, totals in minor units, deleted after a period of inactivity. */
export class CartDurableObject extends DurableObject<Bindings> {
  readonly #sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Bindings) {
    super(ctx, env);
    this.#sql = ctx.storage.sql;
    this.#sql.exec(SCHEMA);
    // Carts created before reminders needed consent lack the column (and so never gave it).
    const columns = this.#sql.exec<{ name: string }>("PRAGMA table_info(cart)").toArray();
    if (!columns.some((c) => c.name === "remind_me")) this.#sql.exec("ALTER TABLE cart ADD COLUMN remind_me INTEGER NOT NULL DEFAULT 0");
  }

  get #ttlMs(): number {
    let days = DEFAULT_TTL_DAYS;
    try {
      days = configOf(this.env).cartTtlDays;
    } catch (err) {
      // Routes refuse to touch carts while the setting is malformed; an alarm keeps the default.
      log.error("cart.ttl_misconfigured", { error: err });
    }
    return days * 86_400_000;
  }

  #cart(): CartRow | undefined {
    return this.#sql
      .exec<CartRow>("SELECT cart_id, currency, email, remind_me, status, order_id, created_at, updated_at FROM cart")
      .toArray()[0];
  }

  #state(cart: CartRow): CartState {
    const lines = this.#sql
      .exec<LineRow>("SELECT sku, product_id, product_slug, title, variant_title, unit_price, quantity FROM lines ORDER BY added_at, sku")
      .toArray()
      .map((l) => ({
        sku: l.sku,
        productId: l.product_id,
        productSlug: l.product_slug,
        title: l.title,
        variantTitle: l.variant_title,
        unitPrice: l.unit_price,
        quantity: l.quantity,
        lineTotal: l.unit_price * l.quantity,
      }));
    const codes = this.#sql
      .exec<{ code: string }>("SELECT code FROM codes ORDER BY added_at, code")
      .toArray()
      .map((r) => r.code);
    return {
      id: cart.cart_id,
      currency: cart.currency,
      email: cart.email,
      codes,
      remindMe: cart.remind_me === 1,
      status: cart.status,
      orderId: cart.order_id,
      lines,
      itemCount: lines.reduce((n, l) => n + l.quantity, 0),
      subtotal: lines.reduce((n, l) => n + l.lineTotal, 0),
      createdAt: cart.created_at,
      updatedAt: cart.updated_at,
      expiresAt: cart.updated_at + this.#ttlMs,
    };
  }

  /** Touches the cart, re-arms its expiry, and upserts its row in the D1 cart index (off the response path). */
  async #saved(now: number): Promise<CartState> {
    this.#sql.exec("UPDATE cart SET updated_at = ?", now);
    const state = this.#state(this.#cart() as CartRow);
    await this.ctx.storage.setAlarm(state.expiresAt);
    this.ctx.waitUntil(this.#index(state, now));
    return state;
  }

  /** The D1 cart index is a projection for jobs; newer rows win, a failed write waits for the next change. */
  async #index(state: CartState, now: number) {
    await upsertCartIndex(createDb(this.env.DB), {
      cartId: state.id,
      email: state.email,
      remindMe: state.remindMe,
      itemCount: state.itemCount,
      value: state.subtotal,
      currency: state.currency,
      status: state.status,
      orderId: state.orderId,
      updatedAt: new Date(now),
      expiresAt: new Date(state.expiresAt),
    }).catch((err: unknown) => log.error("cart.index_write_failed", { cartId: state.id, error: err }));
  }

  #open(): CartOutcome<{ cart: CartRow }> {
    const cart = this.#cart();
    if (!cart) return { ok: false, code: "cart_not_found" };
    if (cart.status !== "open") return { ok: false, code: "cart_closed", detail: "This cart has been checked out." };
    return { ok: true, cart };
  }

  /**
   * Creates the cart (idempotent: an existing cart is returned as it is). `remindMe` records that the
   * shopper asked for a reminder email about it (only with an email).
   */
  async create(
    cartId: string,
    currency: string,
    email: string | null = null,
    remindMe = false,
    now: number = Date.now(),
  ): Promise<CartState> {
    const existing = this.#cart();
    if (existing) return this.#state(existing);
    this.#sql.exec(
      "INSERT INTO cart (id, cart_id, currency, email, remind_me, created_at, updated_at) VALUES (1, ?, ?, ?, ?, ?, ?)",
      cartId,
      currency,
      email,
      email && remindMe ? 1 : 0,
      now,
      now,
    );
    return this.#saved(now);
  }

  /** The cart, or `cart_not_found`. */
  get(): CartOutcome<{ cart: CartState }> {
    const cart = this.#cart();
    return cart ? { ok: true, cart: this.#state(cart) } : { ok: false, code: "cart_not_found" };
  }

  /**
   * Adds units of a SKU (merging with an existing line) at the catalog's current price. With
   * `available` (the units the SKU can supply now), a line that would hold more is refused
   * (`insufficient_inventory`): the check and the write run with no await in between.
   */
  async addLine(item: LineItem, quantity: number, available?: number, now: number = Date.now()): Promise<CartOutcome<{ cart: CartState }>> {
    const open = this.#open();
    if (!open.ok) return open;
    const current = this.#sql.exec<{ quantity: number }>("SELECT quantity FROM lines WHERE sku = ?", item.sku).toArray()[0];
    const total = (current?.quantity ?? 0) + quantity;
    if (!Number.isInteger(quantity) || quantity < 1 || total > MAX_LINE_QUANTITY) {
      return { ok: false, code: "quantity_out_of_range", detail: `A line holds 1 to ${MAX_LINE_QUANTITY} units.` };
    }
    if (available !== undefined && total > available) {
      return { ok: false, code: "insufficient_inventory", requested: total, available: Math.max(0, available) };
    }
    if (!current) {
      const count = this.#sql.exec<{ n: number }>("SELECT count(*) AS n FROM lines").one().n;
      if (count >= MAX_LINES) return { ok: false, code: "too_many_lines", detail: `A cart holds at most ${MAX_LINES} lines.` };
    }
    this.#sql.exec(
      `INSERT INTO lines (sku, product_id, product_slug, title, variant_title, unit_price, quantity, added_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (sku) DO UPDATE SET quantity = excluded.quantity, unit_price = excluded.unit_price,
         title = excluded.title, variant_title = excluded.variant_title, product_slug = excluded.product_slug`,
      item.sku,
      item.productId,
      item.productSlug,
      item.title,
      item.variantTitle,
      item.unitPrice,
      total,
      now,
    );
    return { ok: true, cart: await this.#saved(now) };
  }

  /** Sets a line's quantity; 0 removes it. With `available`, raising the line above it is refused (checked and written in one step). */
  async setQuantity(
    sku: string,
    quantity: number,
    available?: number,
    now: number = Date.now(),
  ): Promise<CartOutcome<{ cart: CartState }>> {
    const open = this.#open();
    if (!open.ok) return open;
    if (!Number.isInteger(quantity) || quantity < 0 || quantity > MAX_LINE_QUANTITY) {
      return { ok: false, code: "quantity_out_of_range", detail: `A line holds 1 to ${MAX_LINE_QUANTITY} units (0 removes it).` };
    }
    const current = this.#sql.exec<{ quantity: number }>("SELECT quantity FROM lines WHERE sku = ?", sku).toArray()[0];
    if (!current) return { ok: false, code: "line_not_found" };
    if (available !== undefined && quantity > current.quantity && quantity > available) {
      return { ok: false, code: "insufficient_inventory", requested: quantity, available: Math.max(0, available) };
    }
    if (quantity === 0) this.#sql.exec("DELETE FROM lines WHERE sku = ?", sku);
    else this.#sql.exec("UPDATE lines SET quantity = ? WHERE sku = ?", quantity, sku);
    return { ok: true, cart: await this.#saved(now) };
  }

  /** Applies current catalog prices; SKUs that are gone (null) are removed. Returns what changed. */
  async reprice(
    items: Record<string, LineItem | null>,
    now: number = Date.now(),
  ): Promise<CartOutcome<{ cart: CartState; changed: string[]; removed: string[] }>> {
    const open = this.#open();
    if (!open.ok) return open;
    const changed: string[] = [];
    const removed: string[] = [];
    const lines = this.#state(open.cart).lines;
    if (lines.some((l) => items[l.sku] === undefined)) {
      return { ok: false, code: "cart_changed", detail: "The cart changed while it was being priced; try again." };
    }
    for (const line of lines) {
      const item = items[line.sku];
      if (!item) {
        this.#sql.exec("DELETE FROM lines WHERE sku = ?", line.sku);
        removed.push(line.sku);
      } else if (item.unitPrice !== line.unitPrice || item.title !== line.title || item.variantTitle !== line.variantTitle) {
        this.#sql.exec(
          "UPDATE lines SET unit_price = ?, title = ?, variant_title = ? WHERE sku = ?",
          item.unitPrice,
          item.title,
          item.variantTitle,
          line.sku,
        );
        changed.push(line.sku);
      }
    }
    const cart = changed.length || removed.length ? await this.#saved(now) : this.#state(open.cart);
    return { ok: true, cart, changed, removed };
  }

  /** Records the shopper's email (for receipts and abandoned-cart reminders). */
  /** Adds a discount code (already checked by the caller); the same code twice is once. */
  async addCode(code: string, now: number = Date.now()): Promise<CartOutcome<{ cart: CartState }>> {
    const open = this.#open();
    if (!open.ok) return open;
    const count = this.#sql.exec<{ n: number }>("SELECT count(*) AS n FROM codes WHERE code <> ?", code).one().n;
    if (count >= MAX_CODES) return { ok: false, code: "too_many_codes", detail: `A cart takes at most ${MAX_CODES} codes.` };
    this.#sql.exec("INSERT INTO codes (code, added_at) VALUES (?, ?) ON CONFLICT (code) DO NOTHING", code, now);
    return { ok: true, cart: await this.#saved(now) };
  }

  /** Removes a discount code. */
  async removeCode(code: string, now: number = Date.now()): Promise<CartOutcome<{ cart: CartState }>> {
    const open = this.#open();
    if (!open.ok) return open;
    this.#sql.exec("DELETE FROM codes WHERE code = ?", code);
    return { ok: true, cart: await this.#saved(now) };
  }

  async setEmail(email: string, now: number = Date.now()): Promise<CartOutcome<{ cart: CartState }>> {
    const open = this.#open();
    if (!open.ok) return open;
    this.#sql.exec("UPDATE cart SET email = ?", email);
    return { ok: true, cart: await this.#saved(now) };
  }

  /** Closes the cart for an order if it is still the revision that was priced; the same order again is a no-op. */
  async markCheckedOut(orderId: string, pricedAt: number, now: number = Date.now()): Promise<CartOutcome<{ cart: CartState }>> {
    const cart = this.#cart();
    if (!cart) return { ok: false, code: "cart_not_found" };
    if (cart.status === "checked_out") {
      return cart.order_id === orderId ? { ok: true, cart: this.#state(cart) } : { ok: false, code: "cart_closed" };
    }
    if (cart.updated_at !== pricedAt) {
      return { ok: false, code: "cart_changed", detail: "The cart changed during checkout; review it and try again." };
    }
    this.#sql.exec("UPDATE cart SET status = 'checked_out', order_id = ?", orderId);
    return { ok: true, cart: await this.#saved(now) };
  }

  /** Re-opens a cart whose checkout was undone (the order was cancelled before payment). */
  async reopen(orderId: string, now: number = Date.now()): Promise<CartOutcome<{ cart: CartState }>> {
    const cart = this.#cart();
    if (!cart) return { ok: false, code: "cart_not_found" };
    if (cart.status === "checked_out" && cart.order_id === orderId) {
      this.#sql.exec("UPDATE cart SET status = 'open', order_id = NULL");
      return { ok: true, cart: await this.#saved(now) };
    }
    return { ok: true, cart: this.#state(cart) };
  }

  /** Deletes the cart once it has been idle for the configured period. */
  override async alarm() {
    const cart = this.#cart();
    if (!cart) return;
    const expiresAt = cart.updated_at + this.#ttlMs;
    if (Date.now() < expiresAt) {
      await this.ctx.storage.setAlarm(expiresAt);
      return;
    }
    // Delete before any await: a call arriving while D1 answers must find no cart, not a half-deleted one.
    await this.ctx.storage.deleteAll();
    // deleteAll drops the tables too; this instance may still be asked for the (now missing) cart.
    this.#sql.exec(SCHEMA);
    await deleteCartIndex(createDb(this.env.DB), cart.cart_id);
  }
}
