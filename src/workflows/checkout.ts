import { configOf } from "../config";
import { sha256Hex } from "../crypto";
import type { Db } from "../db";
import { findKey, insertKey, keyOwner, takeOverKey, updateOwnedKey } from "../db/idempotency-store";
import { findOrder, insertOrder, type OrderLineRow, type OrderRow, orderLinesOf, orderStatus, setOrderPayment } from "../db/order-store";
import type { CartState } from "../domain/cart";
import { addressFingerprint, newCustomerId, normaliseEmail } from "../domain/customer";
import { reservationId } from "../domain/inventory";
import type { Money } from "../domain/money";
import type { Address } from "../domain/order";
import { outcomeError } from "../domain/outcomes";
import type { Quote } from "../domain/pricing";
import type { Bindings } from "../env";
import { conflict, DomainError, invalid, notFound } from "../errors";
import { log } from "../log";
import { GIFT_CARD_TENDER, type PaymentHandle, type PaymentProvider, type PaymentRequest } from "../payments/provider";
import { discountLines } from "../services/carts";
import { confirmUses, discountsFor, giveBack, type PricedDiscounts, refusalError, takeUses } from "../services/discounts";
import { giftCardsOfOrder, releaseOrderGiftCards, takeGiftCards } from "../services/gift-cards";
import { inventoryOf } from "../services/inventory";
import {
  loyaltySettingsOf,
  POINTS_DISCOUNT_ID,
  redeemOrderPoints,
  requireSignedIn,
  restoreOrderPoints,
  withPoints,
} from "../services/loyalty";
import { queueEmail } from "../services/notifications";
import { cancelUnpaidOrder, markOrderPaid } from "../services/orders";
import { lineItemsFor } from "../services/pricing";
import { quote } from "../services/quote";
import { orderTokenFor, paymentReturnUrls } from "../services/signed-links";
import { respond, runSaga, type SagaOptions, type Step } from "./saga";

export interface CheckoutInput {
  email: string;
  shippingAddress: Address;
  /** The shipping method's id; the cheapest available when absent. */
  shippingMethod?: string;
  /** Gift card codes to pay with first, in this order; the provider is asked for the rest. */
  giftCards?: string[];
  /** Loyalty points to spend (a signed-in customer's, in whole steps): a discount on the goods. */
  loyaltyPoints?: number;
}

/** The 201 body of a checkout. */
export interface CheckoutResult {
  orderId: string;
  orderToken: string;
  /** `paid` when gift cards covered the whole total (no payment page). */
  status: "pending_payment" | "paid";
  subtotal: Money;
  discount: Money;
  shipping: Money;
  tax: Money;
  total: Money;
  /** What each gift card paid (by its last four characters). */
  giftCards: { last4: string; amount: Money }[];
  /** What is left for the payment page: the total less the gift cards. */
  amountDue: Money;
  taxIncluded: boolean;
  shippingMethod: string | null;
  holdExpiresAt: string;
  payment: PaymentHandle;
}

/** What every step may use. */
export interface CheckoutDeps {
  env: Bindings;
  db: Db;
  provider: PaymentProvider;
}

interface ShortLine {
  sku: string;
  requested: number;
  available: number;
}

const insufficient = (short: ShortLine[]) =>
  conflict("insufficient_inventory", `Not enough stock for ${short.map((s) => s.sku).join(", ")}.`, { items: short });

async function shortLines(env: Bindings, cart: CartState): Promise<ShortLine[]> {
  const available = await Promise.all(cart.lines.map((l) => inventoryOf(env, l.sku).available()));
  return cart.lines
    .map((l, i) => ({ sku: l.sku, requested: l.quantity, available: Math.max(0, available[i] ?? 0) }))
    .filter((l) => l.requested > l.available);
}

/** Re-reads every line's price from the catalog; lines no longer for sale stop the checkout. */
export const repriceStep: Step<{ deps: CheckoutDeps; cartId: string; now: Date }, CartState, undefined> = {
  id: "reprice-cart",
  async run({ deps, cartId, now }) {
    const cartObject = deps.env.CART.getByName(cartId);
    const current = await cartObject.get();
    if (!current.ok) throw notFound("Cart", cartId);
    if (current.cart.status !== "open") throw conflict("cart_closed", "This cart has already been checked out.");
    if (!current.cart.lines.length) throw invalid("cart_empty", "Add something to the cart before checking out.");
    const items = await lineItemsFor(
      deps.db,
      current.cart.lines.map((l) => l.sku),
    );
    const gone = Object.entries(items)
      .filter(([, item]) => item === null)
      .map(([sku]) => sku);
    if (gone.length) throw conflict("item_unavailable", "Some items are no longer for sale; remove them and try again.", { skus: gone });
    // Cheap early refusal when stock is already short (the common case once a drop sells out);
    // the reserve step still decides races, under compensation.
    const short = await shortLines(deps.env, current.cart);
    if (short.length) throw insufficient(short);
    const repriced = await cartObject.reprice(items, now.getTime());
    if (!repriced.ok) throw outcomeError(repriced);
    return respond(repriced.cart, undefined);
  },
};

/** Creates the order (pending payment) with its lines, as quoted, and its first event; undone by cancelling it. */
export const createOrderStep: Step<
  {
    deps: CheckoutDeps;
    orderId: string;
    orderToken: string;
    cart: CartState;
    input: CheckoutInput;
    customerId: string | null;
    quote: Quote;
    discounts: { discountId: string; code: string | null; title: string; amount: number }[];
    now: Date;
  },
  void,
  { deps: CheckoutDeps; orderId: string }
> = {
  id: "create-order",
  async run({ deps, orderId, orderToken, cart, input, customerId, quote: q, discounts, now }) {
    const byS = new Map(q.lines.map((l) => [l.sku, l]));
    const address = input.shippingAddress;
    await insertOrder(
      deps.db,
      {
        id: orderId,
        tokenHash: await sha256Hex(orderToken),
        email: input.email,
        currency: cart.currency,
        subtotal: q.subtotal,
        discount: q.discount,
        shipping: q.shipping,
        tax: q.tax,
        taxIncluded: q.taxIncluded,
        taxName: q.taxName,
        total: q.total,
        shippingAddress: input.shippingAddress,
        shippingMethodId: q.shippingMethod?.id ?? null,
        shippingMethodName: q.shippingMethod?.name ?? null,
        cartId: cart.id,
        holdExpiresAt: new Date(now.getTime() + deps.provider.holdMs),
        pointsRedeemed: input.loyaltyPoints ?? 0,
        discounts,
        customer: {
          signedIn: customerId,
          newId: newCustomerId(),
          email: normaliseEmail(input.email),
          name: address.name,
          phone: address.phone ?? null,
          address: customerId ? { fingerprint: addressFingerprint(address) } : null,
        },
        lines: cart.lines.map((l) => ({
          sku: l.sku,
          productId: l.productId,
          title: l.title,
          variantTitle: l.variantTitle,
          quantity: l.quantity,
          unitPrice: l.unitPrice,
          lineTotal: l.lineTotal,
          discount: byS.get(l.sku)?.discount ?? 0,
          tax: byS.get(l.sku)?.tax ?? 0,
          weightGrams: byS.get(l.sku)?.weightGrams ?? 0,
          giftCard: byS.get(l.sku)?.giftCard ?? false,
        })),
      },
      "shopper",
      now,
    );
    await confirmUses(
      deps.env,
      orderId,
      discounts.map((d) => d.discountId),
    );
    return respond(undefined, { deps, orderId });
  },
  async compensate({ deps, orderId }) {
    await cancelUnpaidOrder(deps.env, deps.db, orderId, { reason: "checkout failed", actor: "checkout", now: new Date() });
  },
};

/** Takes a use of each limited discount for the order (all or none); undone by giving them back. */
export const discountUsesStep: Step<
  { env: Bindings; orderId: string; email: string; applied: PricedDiscounts["applied"] },
  { lostAutomatic: string[] },
  { env: Bindings; orderId: string; taken: string[] }
> = {
  id: "take-discount-uses",
  async run({ env, orderId, email, applied }) {
    const { taken, lostAutomatic } = await takeUses(env, orderId, email, applied);
    return respond({ lostAutomatic }, { env, orderId, taken });
  },
  async compensate({ env, orderId, taken }) {
    await giveBack(env, orderId, taken);
  },
};

async function releaseAll(env: Bindings, orderId: string, skus: string[]) {
  await Promise.all(skus.map((sku) => inventoryOf(env, sku).release(reservationId(orderId, sku), "checkout failed")));
}

/** Holds every line's units in its SKU's inventory object for as long as the payment page may take; all or nothing. */
export const reserveStep: Step<
  { deps: CheckoutDeps; orderId: string; lines: { sku: string; quantity: number }[]; holdMs: number },
  void,
  { env: Bindings; orderId: string; skus: string[] }
> = {
  id: "reserve-stock",
  async run({ deps, orderId, lines, holdMs }) {
    const results = await Promise.all(
      lines.map(async (l) => ({
        line: l,
        outcome: await inventoryOf(deps.env, l.sku).reserve(reservationId(orderId, l.sku), l.quantity, holdMs, orderId),
      })),
    );
    const short: ShortLine[] = [];
    for (const { line, outcome } of results) {
      if (!outcome.ok) short.push({ sku: line.sku, requested: line.quantity, available: Math.max(0, outcome.available ?? 0) });
    }
    if (short.length) {
      await releaseAll(
        deps.env,
        orderId,
        results.filter((r) => r.outcome.ok).map((r) => r.line.sku),
      );
      throw insufficient(short);
    }
    return respond(undefined, { env: deps.env, orderId, skus: lines.map((l) => l.sku) });
  },
  async compensate({ env, orderId, skus }) {
    await releaseAll(env, orderId, skus);
  },
};

/** Spends the customer's points on the order (all or none); undone by giving them back. */
export const pointsStep: Step<
  { deps: CheckoutDeps; customerId: string; orderId: string; points: number; now: Date },
  void,
  { deps: CheckoutDeps; orderId: string }
> = {
  id: "spend-points",
  async run({ deps, customerId, orderId, points, now }) {
    await redeemOrderPoints(deps.env, deps.db, customerId, orderId, points, now);
    return respond(undefined, { deps, orderId });
  },
  async compensate({ deps, orderId }) {
    await restoreOrderPoints(deps.env, deps.db, orderId);
  },
};

/** Pays what it can of the order with the shopper's gift cards (each card's object takes its part once); undone by giving it back. */
export const giftCardStep: Step<
  { deps: CheckoutDeps; orderId: string; codes: string[]; due: number; minimumCharge: number; currency: string; now: Date },
  number,
  { deps: CheckoutDeps; orderId: string }
> = {
  id: "take-gift-cards",
  async run({ deps, orderId, codes, due, minimumCharge, currency, now }) {
    const { paid } = await takeGiftCards(deps.env, deps.db, { orderId, codes, due, minimumCharge, currency }, now);
    return respond(paid, { deps, orderId });
  },
  async compensate({ deps, orderId }) {
    await releaseOrderGiftCards(deps.env, deps.db, orderId);
  },
};

/** Creates the payment with the provider (its hosted page, as quoted) and records it on the order. */
export const paymentStep: Step<
  { deps: CheckoutDeps; request: PaymentRequest },
  PaymentHandle,
  { provider: PaymentProvider; paymentId: string }
> = {
  id: "create-payment",
  async run({ deps, request }) {
    const payment = await deps.provider.createPayment(request);
    try {
      await setOrderPayment(deps.db, request.orderId, payment.provider, payment.id, payment.redirectUrl);
    } catch (err) {
      // Not a completed step, so nobody else will cancel the payment just created.
      await deps.provider.cancelPayment(payment.id);
      throw err;
    }
    return respond(payment, { provider: deps.provider, paymentId: payment.id });
  },
  async compensate({ provider, paymentId }) {
    await provider.cancelPayment(paymentId);
  },
};

/**
 * What the provider is asked to charge, from the order as stored (a resumed checkout asks for exactly
 * what the first attempt placed): its lines net of discounts, shipping and added tax, which sum to its
 * total; when gift cards paid part, one line for the rest (the provider takes no negative lines). The
 * page closes `pageMs` after the order was placed.
 */
export async function paymentRequest(env: Bindings, order: OrderRow, lines: OrderLineRow[], pageMs: number): Promise<PaymentRequest> {
  const lineDiscount = lines.reduce((n, l) => n + l.discount, 0);
  const due = order.total - order.giftCardTotal;
  const common = {
    orderId: order.id,
    amount: due,
    currency: order.currency,
    email: order.email,
    ...(await paymentReturnUrls(env, order.id)),
    expiresAt: new Date(order.createdAt.getTime() + pageMs),
  };
  if (order.giftCardTotal > 0) {
    return { ...common, lines: [{ name: `Order ${order.id}, less gift cards`, quantity: 1, amount: due }], shipping: null, addedTax: null };
  }
  return {
    ...common,
    lines: lines.map((l) => ({ name: `${l.title} (${l.variantTitle})`, quantity: l.quantity, amount: l.lineTotal - l.discount })),
    shipping: order.shippingMethodName
      ? { name: order.shippingMethodName, amount: order.shipping - (order.discount - lineDiscount) }
      : null,
    addedTax: !order.taxIncluded && order.tax > 0 ? { name: order.taxName ?? "Tax", amount: order.tax } : null,
  };
}

/**
 * The payment of an order the gift cards paid in full, with no payment page: recorded as a payment of
 * the `gift_card` tender (so the unpaid-order sweep finishes it if this run dies). Repeating it changes nothing.
 */
async function payWithGiftCardsOnly(deps: CheckoutDeps, order: OrderRow): Promise<PaymentHandle> {
  const { successUrl } = await paymentReturnUrls(deps.env, order.id);
  const handle: PaymentHandle = { provider: GIFT_CARD_TENDER, id: `gift_${order.id}`, status: "succeeded", redirectUrl: successUrl };
  if (!order.paymentId) await setOrderPayment(deps.db, order.id, handle.provider, handle.id, successUrl);
  return handle;
}

/** Closes the cart for this order; undone by re-opening it. */
export const closeCartStep: Step<
  { deps: CheckoutDeps; cartId: string; orderId: string; pricedAt: number; now: Date },
  void,
  { env: Bindings; cartId: string; orderId: string }
> = {
  id: "close-cart",
  async run({ deps, cartId, orderId, pricedAt, now }) {
    // Refused if the cart changed after it was priced (a line added in another tab).
    const closed = await deps.env.CART.getByName(cartId).markCheckedOut(orderId, pricedAt, now.getTime());
    if (!closed.ok) throw outcomeError(closed);
    return respond(undefined, { env: deps.env, cartId, orderId });
  },
  async compensate({ env, cartId, orderId }) {
    await env.CART.getByName(cartId).reopen(orderId);
  },
};

/** The step ids in the order checkout runs them. */
export const CHECKOUT_STEP_IDS = [
  repriceStep.id,
  discountUsesStep.id,
  createOrderStep.id,
  pointsStep.id,
  reserveStep.id,
  giftCardStep.id,
  paymentStep.id,
  closeCartStep.id,
] as const;

/** Where a client's Idempotency-Key is stored: keys belong to a cart, so one key on two carts is two checkouts. */
export const idempotencyKeyFor = (cartId: string, key: string) => `${cartId}:${key}`;

/** The order id of an idempotency key's attempt (the stored, per-cart key): retries of one attempt converge on one order. */
export async function orderIdFor(key: string, attempt: number): Promise<string> {
  return `ord_${(await sha256Hex(`${key}#${attempt}`)).slice(0, 24)}`;
}

export interface RunCheckoutOptions extends CheckoutDeps {
  cartId: string;
  input: CheckoutInput;
  /** The signed-in shopper, whose order (and address) it becomes. */
  customerId?: string | null;
  orderId: string;
  now: Date;
  saga?: SagaOptions;
}

/** Runs the checkout saga for a cart under an already-claimed order id: re-price, order, reserve, pay, close. */
export async function runCheckout(options: RunCheckoutOptions): Promise<CheckoutResult> {
  const { env, cartId, input, orderId, now } = options;
  const deps: CheckoutDeps = { env, db: options.db, provider: options.provider };
  const config = configOf(env);
  const orderToken = await orderTokenFor(config.sessionSecret, orderId);
  const result = await runSaga(options.saga ?? {}, async (run) => {
    const cart = await run(repriceStep, { deps, cartId, now });
    const { shippingAddress: to } = input;
    // Every code is checked again for this buyer (first order, segment, uses left) before anything is held.
    // An automatic discount whose last use goes to another checkout meanwhile is dropped and the cart priced again.
    const excluded = new Set<string>();
    let priced: PricedDiscounts;
    let q: Quote;
    let points: ReturnType<typeof withPoints> | null = null;
    const spending = input.loyaltyPoints ?? 0;
    const pointsRules = spending ? await loyaltySettingsOf(deps.db) : null;
    const spender = spending ? requireSignedIn(options.customerId) : null;
    for (;;) {
      priced = await discountsFor(
        env,
        deps.db,
        { lines: cart.lines, codes: cart.codes },
        { email: input.email, now, orderId },
        { exclude: excluded },
      );
      const refused = priced.refusals[0];
      if (refused) throw refusalError(refused.code, refused.reason);
      points = pointsRules ? withPoints(spending, cart.lines, priced.lineDiscounts, pointsRules) : null;
      q = await quote(
        deps.db,
        { currency: cart.currency, lines: cart.lines },
        { country: to.country, region: to.region, postalCode: to.postalCode },
        { methodId: input.shippingMethod, lineDiscounts: points?.lineDiscounts ?? priced.lineDiscounts, freeShipping: priced.freeShipping },
      );
      const { lostAutomatic } = await run(discountUsesStep, { env, orderId, email: input.email, applied: priced.applied });
      if (!lostAutomatic.length) break;
      for (const id of lostAutomatic) excluded.add(id);
    }
    const discounts = [
      ...discountLines(priced, q).map((d, i) => ({ ...d, discountId: priced.applied[i]?.discountId ?? "" })),
      ...(points ? [{ ...points.discount, discountId: POINTS_DISCOUNT_ID }] : []),
    ];
    await run(createOrderStep, {
      deps,
      orderId,
      orderToken,
      cart,
      input,
      customerId: options.customerId ?? null,
      quote: q,
      discounts,
      now,
    });
    if (spender) await run(pointsStep, { deps, customerId: spender, orderId, points: spending, now });
    await run(reserveStep, { deps, orderId, lines: cart.lines, holdMs: deps.provider.holdMs });
    if (input.giftCards?.length) {
      // The order as stored (a resumed checkout keeps the first attempt's total, whatever prices did since).
      const stored = (await findOrder(deps.db, orderId)) as OrderRow;
      await run(giftCardStep, {
        deps,
        orderId,
        codes: input.giftCards,
        due: stored.total,
        minimumCharge: deps.provider.minimumCharge ?? 0,
        currency: cart.currency,
        now,
      });
    }
    const placed = (await findOrder(deps.db, orderId)) as OrderRow;
    // Nothing left for a provider (gift cards, points or discounts paid it all): paid at once, no payment page.
    const coveredByCards = placed.total - placed.giftCardTotal <= 0;
    const payment = coveredByCards
      ? await payWithGiftCardsOnly(deps, placed)
      : await run(paymentStep, {
          deps,
          request: await paymentRequest(env, placed, await orderLinesOf(deps.db, orderId), deps.provider.pageMs),
        });
    await run(closeCartStep, { deps, cartId, orderId, pricedAt: cart.updatedAt, now });
    return { payment, coveredByCards, placed };
  });
  if (result.coveredByCards) await settleCoveredOrder(env, deps.db, orderId, input.email, now);
  else await notifyReceived(env, deps.db, orderId, input.email);
  // An order paid by its cards is read again (settling changed it); otherwise it is as placed, with its payment.
  const { payment } = result;
  const known = result.coveredByCards
    ? undefined
    : { ...result.placed, paymentId: payment.id, paymentProvider: payment.provider, paymentUrl: payment.redirectUrl };
  const body = await resultFromOrder(env, deps.db, orderId, payment, known);
  // Settling found the stock sold meanwhile: the order was cancelled and the cards given back.
  if (!body) throw conflict("insufficient_inventory", "Some items sold out while the order was placed; nothing was charged.");
  return body;
}

/**
 * Marks an order the gift cards paid in full as paid and confirms it (what a payment webhook does for
 * the provider's payments); if this fails, the unpaid-order sweep finds the `gift_card` payment
 * succeeded and finishes it.
 */
async function settleCoveredOrder(env: Bindings, db: Db, orderId: string, email: string, now: Date) {
  try {
    const paid = await markOrderPaid(env, db, orderId, { actor: "checkout", reason: "paid with gift cards", now });
    if (paid.ok && !paid.stockLost) {
      await queueEmail(env, db, { id: `order.confirmation:${orderId}`, type: "order.confirmation", to: email, data: { orderId } });
    }
  } catch (err) {
    log.error("checkout.gift_card_settle_failed", { orderId, error: err });
  }
}

/** Tells the shopper the order is in and awaits payment (once per order, however often checkout is replayed). */
async function notifyReceived(env: Bindings, db: Db, orderId: string, email: string) {
  try {
    await queueEmail(env, db, { id: `order.received:${orderId}`, type: "order.received", to: email, data: { orderId } });
  } catch (err) {
    log.error("checkout.received_email_failed", { orderId, error: err });
  }
}

/**
 * The checkout answer from a placed order: as this run placed it (with the payment it just made), or
 * for an attempt that died after closing the cart.
 */
async function resultFromOrder(
  env: Bindings,
  db: Db,
  orderId: string,
  payment?: PaymentHandle,
  known?: OrderRow,
): Promise<CheckoutResult | undefined> {
  const order = known ?? (await findOrder(db, orderId));
  if (!order || order.status === "cancelled" || !order.paymentId || !order.cartId) return undefined;
  if (!payment) {
    const cart = await env.CART.getByName(order.cartId).get();
    if (!cart.ok || cart.cart.orderId !== orderId) return undefined;
  }
  const money = (amount: number) => ({ amount, currency: order.currency });
  const paid = order.status !== "pending_payment";
  return {
    orderId,
    orderToken: await orderTokenFor(configOf(env).sessionSecret, orderId),
    status: paid ? "paid" : "pending_payment",
    subtotal: money(order.subtotal),
    discount: money(order.discount),
    shipping: money(order.shipping),
    tax: money(order.tax),
    total: money(order.total),
    giftCards:
      order.giftCardTotal > 0 ? (await giftCardsOfOrder(db, orderId)).map((g) => ({ last4: g.last4, amount: money(g.amount) })) : [],
    amountDue: money(order.total - order.giftCardTotal),
    taxIncluded: order.taxIncluded,
    shippingMethod: order.shippingMethodId,
    holdExpiresAt: (order.holdExpiresAt ?? order.createdAt).toISOString(),
    payment: payment ?? {
      provider: order.paymentProvider ?? "unknown",
      id: order.paymentId,
      status: order.paymentProvider === GIFT_CARD_TENDER || paid ? "succeeded" : "requires_payment",
      redirectUrl: order.paymentUrl ?? "",
    },
  };
}

/** An in-progress attempt older than this is taken to have died and may be resumed. */
const ABANDONED_AFTER_MS = 5 * 60_000;

type Claim = { attempt: number; owner: string; resumed: boolean } | { replay: Omit<CheckoutResult, "orderToken"> };

async function claimKey(db: Db, key: string, requestHash: string, now: Date): Promise<Claim> {
  const owner = crypto.randomUUID();
  if (await insertKey(db, key, requestHash, owner, now)) return { attempt: 1, owner, resumed: false };
  const row = await findKey(db, key);
  if (!row) return claimKey(db, key, requestHash, now);
  if (row.requestHash !== requestHash) {
    throw new DomainError("unprocessable", "idempotency_key_reused", "This Idempotency-Key was used for this cart with a different body.");
  }
  if (row.state === "completed") {
    return {
      replay: JSON.parse(row.responseBody ?? "{}") as Omit<CheckoutResult, "orderToken">,
    };
  }
  if (row.state === "needs_attention") {
    throw conflict(
      "checkout_needs_attention",
      "This checkout could not be cleanly undone; the shop has been alerted. Start a new checkout.",
    );
  }
  const stale = row.state === "in_progress" && now.getTime() - row.updatedAt.getTime() > ABANDONED_AFTER_MS;
  if (row.state === "failed" || stale) {
    const attempt = row.state === "failed" ? row.attempt + 1 : row.attempt;
    if (await takeOverKey(db, row, owner, attempt, now)) return { attempt, owner, resumed: stale };
  }
  throw conflict("idempotency_in_progress", "A checkout with this Idempotency-Key is still running; retry in a moment.");
}

export interface CheckoutOnceOptions extends CheckoutDeps {
  cartId: string;
  key: string;
  input: CheckoutInput;
  customerId?: string | null;
  now: Date;
}

/**
 * Checkout behind an Idempotency-Key, scoped to the cart: the same key and request return the same
 * order and never reserve twice; the key with another body for the cart is refused (422), while the
 * same key on another cart is a checkout of its own; after a failed attempt the key
 * may be retried; an attempt that died is resumed (or, if its order was cancelled, replaced).
 */
export async function checkoutOnce(options: CheckoutOnceOptions): Promise<{ body: CheckoutResult; replayed: boolean }> {
  const { env, db, cartId, input, now } = options;
  const key = idempotencyKeyFor(cartId, options.key);
  const secret = configOf(env).sessionSecret;
  const requestHash = await sha256Hex(JSON.stringify({ cartId, input }));
  const claim = await claimKey(db, key, requestHash, now);
  if ("replay" in claim) {
    // The stored answer has no token (only its hash is kept anywhere); it is derived again.
    const orderToken = await orderTokenFor(secret, claim.replay.orderId);
    return { body: { ...claim.replay, orderToken }, replayed: true };
  }
  const { owner } = claim;
  let attempt = claim.attempt;
  let orderId = await orderIdFor(key, attempt);
  let body: CheckoutResult | undefined;
  if (claim.resumed) {
    if ((await orderStatus(db, orderId)) === "cancelled") {
      attempt += 1;
      orderId = await orderIdFor(key, attempt);
      await updateOwnedKey(db, key, owner, { attempt });
    } else {
      body = await resultFromOrder(env, db, orderId);
      // A card-paid order whose first run died before settling it is settled now.
      if (body?.payment.provider === GIFT_CARD_TENDER && body.status === "pending_payment") {
        await settleCoveredOrder(env, db, orderId, input.email, now);
        body = await resultFromOrder(env, db, orderId);
      }
    }
  }
  if (!body) {
    let compensationFailed = false;
    try {
      body = await runCheckout({
        ...options,
        orderId,
        saga: {
          mayCompensate: async () => (await keyOwner(db, key)) === owner,
          onCompensationError: () => {
            compensationFailed = true;
          },
        },
      });
    } catch (err) {
      await updateOwnedKey(db, key, owner, { state: compensationFailed ? "needs_attention" : "failed" });
      throw err;
    }
  }
  // If this write fails the key stays in progress; a later retry resumes and answers from the order.
  const { orderToken: _token, ...stored } = body;
  await updateOwnedKey(db, key, owner, { state: "completed", responseBody: JSON.stringify(stored), orderId });
  return { body, replayed: false };
}
