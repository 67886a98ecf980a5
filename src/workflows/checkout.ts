import { and, eq } from "drizzle-orm";
import type { CartState } from "../../durable-objects/cart";
import type { Db } from "../db";
import { type Address, idempotencyKeys, orders } from "../db/schema";
import type { Bindings } from "../env";
import { AppError, badRequest, conflict, misconfigured, notFound } from "../errors";
import type { Money } from "../money";
import type { PaymentHandle, PaymentProvider } from "../payments/provider";
import { HOLD_MS, inventoryOf, reservationId } from "../services/inventory";
import { cancelOrder } from "../services/orders";
import { lineItemsFor } from "../services/pricing";
import { hmac, sha256Hex } from "../services/tokens";
import { computeTotals, type Totals } from "../services/totals";
import { runSaga, type SagaOptions, type Step } from "./saga";

export interface CheckoutInput {
  email: string;
  shippingAddress: Address;
}

/** Everything the steps share; each step fills in what later ones need. */
export interface CheckoutContext {
  env: Bindings;
  db: Db;
  provider: PaymentProvider;
  cartId: string;
  input: CheckoutInput;
  orderId: string;
  orderToken: string;
  now: Date;
  cart?: CartState;
  totals?: Totals;
  payment?: PaymentHandle;
}

/** The 201 body of a checkout. */
export interface CheckoutResult {
  orderId: string;
  orderToken: string;
  status: "pending_payment";
  subtotal: Money;
  shipping: Money;
  tax: Money;
  total: Money;
  holdExpiresAt: string;
  payment: PaymentHandle;
}

const cartOf = (ctx: CheckoutContext) => ctx.env.CART.getByName(ctx.cartId);

/** Re-reads every line's price from the catalog; lines no longer for sale stop the checkout. */
export const repriceStep: Step<CheckoutContext> = {
  id: "reprice-cart",
  async run(ctx) {
    const current = await cartOf(ctx).get();
    if (!current.ok) throw notFound("Cart", ctx.cartId);
    if (current.cart.status !== "open") throw conflict("cart_closed", "This cart has already been checked out.");
    if (!current.cart.lines.length) throw badRequest("cart_empty", "Add something to the cart before checking out.");
    const items = await lineItemsFor(
      ctx.db,
      current.cart.lines.map((l) => l.sku),
    );
    const gone = Object.entries(items)
      .filter(([, item]) => item === null)
      .map(([sku]) => sku);
    if (gone.length) {
      throw conflict("item_unavailable", "Some items are no longer for sale; remove them and try again.", { skus: gone });
    }
    // Cheap early refusal when stock is already short (the common case once a drop sells out);
    // the reserve step still decides races, under compensation.
    const short = await shortLines(ctx, current.cart);
    if (short.length) throw insufficient(short);
    const repriced = await cartOf(ctx).reprice(items, ctx.now.getTime());
    if (!repriced.ok) throw conflict(repriced.code, repriced.detail ?? "The cart cannot be checked out.");
    ctx.cart = repriced.cart;
  },
};

async function shortLines(ctx: CheckoutContext, cart: CartState): Promise<ShortLine[]> {
  const available = await Promise.all(cart.lines.map((l) => inventoryOf(ctx.env, l.sku).available()));
  return cart.lines
    .map((l, i) => ({ sku: l.sku, requested: l.quantity, available: Math.max(0, available[i] ?? 0) }))
    .filter((l) => l.requested > l.available);
}

const insufficient = (short: ShortLine[]) =>
  conflict("insufficient_inventory", `Not enough stock for ${short.map((s) => s.sku).join(", ")}.`, { items: short });

/** Creates the order (pending payment) with its lines and first event; undone by cancelling it. */
export const createOrderStep: Step<CheckoutContext> = {
  id: "create-order",
  async run(ctx) {
    const cart = ctx.cart as CartState;
    const totals = computeTotals(cart.subtotal, ctx.input.shippingAddress.country, ctx.env);
    ctx.totals = totals;
    const at = ctx.now.getTime();
    const tokenHash = await sha256Hex(ctx.orderToken);
    const d1 = ctx.db.$client;
    await d1.batch([
      d1
        .prepare(
          `insert into orders (id, token_hash, status, email, currency, subtotal, shipping, tax, total, shipping_address,
             cart_id, hold_expires_at, created_at, updated_at)
           values (?, ?, 'pending_payment', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (id) do nothing`,
        )
        .bind(
          ctx.orderId,
          tokenHash,
          ctx.input.email,
          cart.currency,
          totals.subtotal,
          totals.shipping,
          totals.tax,
          totals.total,
          JSON.stringify(ctx.input.shippingAddress),
          ctx.cartId,
          at + HOLD_MS,
          at,
          at,
        ),
      ...cart.lines.map((l) =>
        d1
          .prepare(
            `insert into order_lines (order_id, sku, product_id, title, variant_title, quantity, unit_price, line_total)
             values (?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing`,
          )
          .bind(ctx.orderId, l.sku, l.productId, l.title, l.variantTitle, l.quantity, l.unitPrice, l.lineTotal),
      ),
      d1
        .prepare(
          `insert into order_events (order_id, from_status, to_status, applied, reason, actor, at)
           select ?, null, 'pending_payment', 1, 'checkout', 'shopper', ?
           where not exists (select 1 from order_events where order_id = ?)`,
        )
        .bind(ctx.orderId, at, ctx.orderId),
    ]);
  },
  async compensate(ctx, _output) {
    await cancelOrder(ctx.env, ctx.db, ctx.orderId, { reason: "checkout failed", actor: "checkout", now: new Date() });
  },
};

interface ShortLine {
  sku: string;
  requested: number;
  available: number;
}

/** Holds every line's units in its SKU's inventory object for 15 minutes; all or nothing. */
export const reserveStep: Step<CheckoutContext> = {
  id: "reserve-stock",
  async run(ctx) {
    const cart = ctx.cart as CartState;
    const results = await Promise.all(
      cart.lines.map(async (l) => ({
        line: l,
        outcome: await inventoryOf(ctx.env, l.sku).reserve(reservationId(ctx.orderId, l.sku), l.quantity, HOLD_MS, ctx.orderId),
      })),
    );
    const short: ShortLine[] = [];
    for (const { line, outcome } of results) {
      if (!outcome.ok) short.push({ sku: line.sku, requested: line.quantity, available: Math.max(0, outcome.available ?? 0) });
    }
    if (short.length) {
      await releaseAll(
        ctx,
        results.filter((r) => r.outcome.ok).map((r) => r.line.sku),
      );
      throw insufficient(short);
    }
  },
  async compensate(ctx) {
    await releaseAll(
      ctx,
      (ctx.cart as CartState).lines.map((l) => l.sku),
    );
  },
};

async function releaseAll(ctx: CheckoutContext, skus: string[]) {
  await Promise.all(skus.map((sku) => inventoryOf(ctx.env, sku).release(reservationId(ctx.orderId, sku), "checkout failed")));
}

/** Creates the payment with the provider and records it on the order. */
export const paymentStep: Step<CheckoutContext, PaymentHandle> = {
  id: "create-payment",
  async run(ctx) {
    const totals = ctx.totals as Totals;
    const payment = await ctx.provider.createPayment({
      orderId: ctx.orderId,
      amount: totals.total,
      currency: (ctx.cart as CartState).currency,
      email: ctx.input.email,
    });
    try {
      await ctx.db.update(orders).set({ paymentProvider: payment.provider, paymentId: payment.id }).where(eq(orders.id, ctx.orderId));
    } catch (err) {
      // Not a completed step, so nobody else will cancel the payment just created.
      await ctx.provider.cancelPayment(payment.id);
      throw err;
    }
    ctx.payment = payment;
    return payment;
  },
  async compensate(ctx, payment) {
    await ctx.provider.cancelPayment(payment.id);
  },
};

/** Closes the cart for this order; undone by re-opening it. */
export const closeCartStep: Step<CheckoutContext> = {
  id: "close-cart",
  async run(ctx) {
    // Refused if the cart changed after it was priced (a line added in another tab).
    const closed = await cartOf(ctx).markCheckedOut(ctx.orderId, (ctx.cart as CartState).updatedAt, ctx.now.getTime());
    if (!closed.ok) throw conflict(closed.code, closed.detail ?? "The cart changed during checkout.");
  },
  async compensate(ctx) {
    await cartOf(ctx).reopen(ctx.orderId);
  },
};

/** Checkout in order: re-price, create the order, reserve stock, create the payment, close the cart. */
export const CHECKOUT_STEPS: readonly Step<CheckoutContext, any>[] = [
  repriceStep,
  createOrderStep,
  reserveStep,
  paymentStep,
  closeCartStep,
];

function resultOf(ctx: CheckoutContext): CheckoutResult {
  const totals = ctx.totals as Totals;
  const currency = (ctx.cart as CartState).currency;
  const money = (amount: number) => ({ amount, currency });
  return {
    orderId: ctx.orderId,
    orderToken: ctx.orderToken,
    status: "pending_payment",
    subtotal: money(totals.subtotal),
    shipping: money(totals.shipping),
    tax: money(totals.tax),
    total: money(totals.total),
    holdExpiresAt: new Date(ctx.now.getTime() + HOLD_MS).toISOString(),
    payment: ctx.payment as PaymentHandle,
  };
}

/** The order id of an idempotency key's attempt: retries of one attempt converge on one order. */
export async function orderIdFor(key: string, attempt: number): Promise<string> {
  return `ord_${(await sha256Hex(`${key}#${attempt}`)).slice(0, 24)}`;
}

/** The shopper's capability token for an order (only its hash is stored). */
export const orderTokenFor = (secret: string, orderId: string) => hmac(secret, `order-token:${orderId}`);

/** Runs the checkout saga for a cart under an already-claimed order id. */
export async function runCheckout(
  env: Bindings,
  db: Db,
  provider: PaymentProvider,
  cartId: string,
  input: CheckoutInput,
  orderId: string,
  now: Date,
  steps: readonly Step<CheckoutContext, any>[] = CHECKOUT_STEPS,
  options: SagaOptions = {},
): Promise<CheckoutResult> {
  if (!env.SESSION_SECRET) throw misconfigured("SESSION_SECRET");
  const ctx: CheckoutContext = {
    env,
    db,
    provider,
    cartId,
    input,
    orderId,
    orderToken: await orderTokenFor(env.SESSION_SECRET, orderId),
    now,
  };
  await runSaga(steps, ctx, options);
  return resultOf(ctx);
}

/** The checkout answer rebuilt from a placed order (an attempt that died after closing the cart). */
async function resultFromOrder(env: Bindings, db: Db, orderId: string): Promise<CheckoutResult | undefined> {
  const [order] = await db.select().from(orders).where(eq(orders.id, orderId)).limit(1);
  if (!order || order.status === "cancelled" || !order.paymentId || !order.cartId) return undefined;
  const cart = await env.CART.getByName(order.cartId).get();
  if (!cart.ok || cart.cart.orderId !== orderId) return undefined;
  const money = (amount: number) => ({ amount, currency: order.currency });
  return {
    orderId,
    orderToken: await orderTokenFor(env.SESSION_SECRET as string, orderId),
    status: "pending_payment",
    subtotal: money(order.subtotal),
    shipping: money(order.shipping),
    tax: money(order.tax),
    total: money(order.total),
    holdExpiresAt: (order.holdExpiresAt ?? order.createdAt).toISOString(),
    payment: { provider: order.paymentProvider ?? "unknown", id: order.paymentId, status: "requires_payment" },
  };
}

/** An in-progress attempt older than this is taken to have died and may be resumed. */
const ABANDONED_AFTER_MS = 5 * 60_000;

type Claim =
  | { attempt: number; owner: string; resumed: boolean }
  | { replay: { status: number; body: Omit<CheckoutResult, "orderToken"> } };

async function claimKey(db: Db, key: string, requestHash: string, now: Date): Promise<Claim> {
  const at = now.getTime();
  const owner = crypto.randomUUID();
  const d1 = db.$client;
  const inserted = await d1
    .prepare(
      `insert into idempotency_keys (key, request_hash, state, attempt, owner, created_at, updated_at)
       values (?, ?, 'in_progress', 1, ?, ?, ?) on conflict (key) do nothing`,
    )
    .bind(key, requestHash, owner, at, at)
    .run();
  if (inserted.meta.changes === 1) return { attempt: 1, owner, resumed: false };
  const [row] = await db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, key));
  if (!row) return claimKey(db, key, requestHash, now);
  if (row.requestHash !== requestHash) {
    throw new AppError("idempotency_key_reused", 422, "This Idempotency-Key was used for a different cart or body.");
  }
  if (row.state === "completed") {
    return {
      replay: { status: row.responseStatus ?? 201, body: JSON.parse(row.responseBody ?? "{}") as Omit<CheckoutResult, "orderToken"> },
    };
  }
  if (row.state === "needs_attention") {
    throw conflict(
      "checkout_needs_attention",
      "This checkout could not be cleanly undone; the shop has been alerted. Start a new checkout.",
    );
  }
  const stale = row.state === "in_progress" && at - row.updatedAt.getTime() > ABANDONED_AFTER_MS;
  if (row.state === "failed" || stale) {
    const attempt = row.state === "failed" ? row.attempt + 1 : row.attempt;
    const taken = await d1
      .prepare(
        "update idempotency_keys set state = 'in_progress', attempt = ?, owner = ?, updated_at = ? where key = ? and owner = ? and state = ? and attempt = ?",
      )
      .bind(attempt, owner, at, key, row.owner, row.state, row.attempt)
      .run();
    if (taken.meta.changes === 1) return { attempt, owner, resumed: stale };
  }
  throw conflict("idempotency_in_progress", "A checkout with this Idempotency-Key is still running; retry in a moment.");
}

const finish = (db: Db, key: string, owner: string, set: Partial<typeof idempotencyKeys.$inferInsert>) =>
  db
    .update(idempotencyKeys)
    .set({ ...set, updatedAt: new Date() })
    .where(and(eq(idempotencyKeys.key, key), eq(idempotencyKeys.owner, owner)));

/**
 * Checkout behind an Idempotency-Key: the same key and request return the same order and never
 * reserve twice; the key with another cart or body is refused (422); after a failed attempt the key
 * may be retried; an attempt that died is resumed (or, if its order was cancelled, replaced).
 */
export async function checkoutOnce(
  env: Bindings,
  db: Db,
  provider: PaymentProvider,
  cartId: string,
  key: string,
  input: CheckoutInput,
  now: Date,
): Promise<{ status: number; body: CheckoutResult; replayed: boolean }> {
  if (!env.SESSION_SECRET) throw misconfigured("SESSION_SECRET");
  const requestHash = await sha256Hex(JSON.stringify({ cartId, input }));
  const claim = await claimKey(db, key, requestHash, now);
  if ("replay" in claim) {
    // The stored answer has no token (only its hash is kept anywhere); it is derived again.
    const orderToken = await orderTokenFor(env.SESSION_SECRET, claim.replay.body.orderId);
    return { status: claim.replay.status, body: { ...claim.replay.body, orderToken }, replayed: true };
  }
  const { owner } = claim;
  let attempt = claim.attempt;
  let orderId = await orderIdFor(key, attempt);
  let body: CheckoutResult | undefined;
  if (claim.resumed) {
    const [existing] = await db.select({ status: orders.status }).from(orders).where(eq(orders.id, orderId));
    if (existing?.status === "cancelled") {
      attempt += 1;
      orderId = await orderIdFor(key, attempt);
      await finish(db, key, owner, { attempt });
    } else {
      body = await resultFromOrder(env, db, orderId);
    }
  }
  if (!body) {
    let compensationFailed = false;
    try {
      body = await runCheckout(env, db, provider, cartId, input, orderId, now, CHECKOUT_STEPS, {
        mayCompensate: async () => {
          const [row] = await db.select({ owner: idempotencyKeys.owner }).from(idempotencyKeys).where(eq(idempotencyKeys.key, key));
          return row?.owner === owner;
        },
        onCompensationError: () => {
          compensationFailed = true;
        },
      });
    } catch (err) {
      await finish(db, key, owner, { state: compensationFailed ? "needs_attention" : "failed" });
      throw err;
    }
  }
  // If this write fails the key stays in progress; a later retry resumes and answers from the order.
  const { orderToken: _token, ...stored } = body;
  await finish(db, key, owner, { state: "completed", responseStatus: 201, responseBody: JSON.stringify(stored), orderId });
  return { status: 201, body, replayed: false };
}
