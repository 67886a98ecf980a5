import { configOf } from "../config";
import type { Db } from "../db";
import type { CartOutcome, CartState, CartView, LineItem } from "../domain/cart";
import { normaliseCode } from "../domain/discounts";
import { unwrap } from "../domain/outcomes";
import type { Quote } from "../domain/pricing";
import type { Bindings } from "../env";
import { conflict, notFound } from "../errors";
import { checkCode, discountsFor, type PricedDiscounts } from "./discounts";
import { inventoryOf } from "./inventory";
import { loyaltySettingsOf, withPoints } from "./loyalty";
import { lineItemsFor } from "./pricing";
import { type Destination, type DiscountLineView, type QuoteOptions, quote } from "./quote";

/** The cart's object. */
export const cartOf = (env: Bindings, cartId: string) => env.CART.getByName(cartId);

/** The client view of a cart's state. */
export function cartView(cart: CartState): CartView {
  const money = (amount: number) => ({ amount, currency: cart.currency });
  return {
    id: cart.id,
    status: cart.status,
    currency: cart.currency,
    email: cart.email,
    remindMe: cart.remindMe,
    orderId: cart.orderId,
    codes: cart.codes ?? [],
    lines: cart.lines.map((l) => ({
      sku: l.sku,
      productSlug: l.productSlug,
      title: l.title,
      variantTitle: l.variantTitle,
      quantity: l.quantity,
      unitPrice: money(l.unitPrice),
      lineTotal: money(l.lineTotal),
    })),
    itemCount: cart.itemCount,
    subtotal: money(cart.subtotal),
    updatedAt: new Date(cart.updatedAt).toISOString(),
    expiresAt: new Date(cart.expiresAt).toISOString(),
  };
}

/** The cart state of an outcome, or the domain error its failure means. */
export const unwrapCart = (outcome: CartOutcome<{ cart: CartState }>): CartState => unwrap(outcome).cart;

/** The settings a cart object relies on, read here so a malformed one answers `misconfigured` at the route. */
const cartSettings = (env: Bindings) => {
  const config = configOf(env);
  return { currency: config.shopCurrency, ttlDays: config.cartTtlDays };
};

/** Creates a cart in the shop currency; `remindMe` is the shopper's consent to one reminder email about it. */
export async function createCart(env: Bindings, email: string | null, remindMe = false): Promise<CartState> {
  const id = crypto.randomUUID();
  return cartOf(env, id).create(id, cartSettings(env).currency, email, remindMe);
}

/** The cart (not found if it never existed or has expired). */
export async function loadCart(env: Bindings, cartId: string): Promise<CartState> {
  return unwrapCart(await cartOf(env, cartId).get());
}

const insufficient = (sku: string, requested: number, available: number) =>
  conflict("insufficient_inventory", `Only ${Math.max(0, available)} of ${sku} available.`, {
    items: [{ sku, requested, available: Math.max(0, available) }],
  });

/** The cart state of an outcome; a line the stock cannot fill is 409 `insufficient_inventory` naming the SKU. */
function stocked(sku: string, outcome: CartOutcome<{ cart: CartState }>): CartState {
  if (!outcome.ok && outcome.code === "insufficient_inventory") throw insufficient(sku, outcome.requested ?? 0, outcome.available ?? 0);
  return unwrapCart(outcome);
}

/**
 * What a new line of `quantity` units of `sku` would be, if the SKU is on sale and has that many
 * available now; throws otherwise. Lets a caller refuse before it creates anything (a cart, a cookie).
 */
export async function addableLine(env: Bindings, db: Db, sku: string, quantity: number): Promise<LineItem> {
  const item = (await lineItemsFor(db, [sku]))[sku];
  if (!item) throw notFound("SKU", sku);
  const available = await inventoryOf(env, sku).available();
  if (quantity > available) throw insufficient(sku, quantity, available);
  return item;
}

/**
 * Adds units of a published SKU at its current price, if that many are available now. The cart's
 * object compares the line's new total with the available units and writes it in one step, so
 * concurrent adds cannot put more in the cart than there is.
 */
export async function addToCart(env: Bindings, db: Db, cartId: string, sku: string, quantity: number): Promise<CartState> {
  cartSettings(env);
  await loadCart(env, cartId);
  const item = (await lineItemsFor(db, [sku]))[sku];
  if (!item) throw notFound("SKU", sku);
  const available = await inventoryOf(env, sku).available();
  return stocked(sku, await cartOf(env, cartId).addLine(item, quantity, available));
}

/** Sets a line's quantity (0 removes it); raising it above the available units is refused by the cart's object. */
export async function setLineQuantity(env: Bindings, cartId: string, sku: string, quantity: number): Promise<CartState> {
  cartSettings(env);
  const cart = await loadCart(env, cartId);
  const line = cart.lines.find((l) => l.sku === sku);
  if (!line) throw notFound("Cart line", sku);
  // The object decides against its own current quantity (another request may have changed the line since it was read).
  const available = quantity > 0 ? await inventoryOf(env, sku).available() : undefined;
  return stocked(sku, await cartOf(env, cartId).setQuantity(sku, quantity, available));
}

/**
 * What the cart would cost sent to `destination`: lines re-priced from the catalog (as checkout will
 * price them), shipping per method, tax and total. `fields` names the inputs for per-field errors.
 */
export async function quoteCart(
  env: Bindings,
  db: Db,
  cartId: string,
  destination: Destination,
  methodId?: string,
  fields: QuoteOptions["fields"] = { in: "query", country: "country", region: "region", method: "shippingMethod" },
  email?: string,
  /** Loyalty points to show spent (checked against the balance only at checkout). */
  points?: number,
): Promise<Quote & { discounts: DiscountLineView[] }> {
  const cart = await loadCart(env, cartId);
  const items = await lineItemsFor(
    db,
    cart.lines.map((l) => l.sku),
  );
  const lines = cart.lines.flatMap((l) => {
    const item = items[l.sku];
    return item ? [{ sku: l.sku, quantity: l.quantity, unitPrice: item.unitPrice, productId: item.productId }] : [];
  });
  const priced = await discountsFor(env, db, { lines, codes: cart.codes }, { email: email ?? cart.email, now: new Date() });
  const spent = points
    ? withPoints(
        points,
        lines.map((l) => ({ lineTotal: l.unitPrice * l.quantity })),
        priced.lineDiscounts,
        await loyaltySettingsOf(db),
      )
    : null;
  const q = await quote(db, { currency: cart.currency, lines }, destination, {
    methodId,
    fields,
    lineDiscounts: spent?.lineDiscounts ?? priced.lineDiscounts,
    freeShipping: priced.freeShipping,
  });
  return { ...q, discounts: [...discountLines(priced, q), ...(spent ? [spent.discount] : [])] };
}

/** The discounts of a quote as lists show them (free shipping worth the chosen method's price). */
export function discountLines(priced: PricedDiscounts, q: Pick<Quote, "shippingDiscount">): DiscountLineView[] {
  // Shipping is free once: the first free-shipping discount is credited with it.
  const first = priced.applied.findIndex((a) => a.kind === "free_shipping");
  return priced.applied.map((a, i) => ({
    code: a.code,
    title: a.title,
    amount: a.kind === "free_shipping" ? (i === first ? q.shippingDiscount : 0) : a.amount,
  }));
}

/** A cart as clients see it, with its codes and the discounts they (and automatic ones) give. */
export async function cartWithDiscounts(env: Bindings, db: Db, cart: CartState) {
  const view = cartView(cart);
  if (!cart.lines.length && !cart.codes.length)
    return { ...view, discount: { amount: 0, currency: cart.currency }, discounts: [], refusedCodes: [] };
  const priced = await discountsFor(env, db, cart, { email: cart.email, now: new Date() });
  const money = (amount: number) => ({ amount, currency: cart.currency });
  const lineTotal = priced.lineDiscounts.reduce((a, b) => a + b, 0);
  return {
    ...view,
    discount: money(lineTotal),
    discounts: priced.applied.map((a) => ({
      code: a.code,
      title: a.title,
      amount: money(a.amount),
      freeShipping: a.kind === "free_shipping",
    })),
    refusedCodes: [...priced.refusals, ...priced.outranked.map((code) => ({ code, reason: "not_applicable" as const }))],
  };
}

/** Adds a discount code to a cart once it is checked against the cart (404 unknown, 409/422 with the reason it does not apply). */
export async function applyCode(env: Bindings, db: Db, cartId: string, code: string): Promise<CartState> {
  const cart = await loadCart(env, cartId);
  const checked = await checkCode(env, db, cart, code);
  return unwrapCart(await cartOf(env, cartId).addCode(checked));
}

/** Takes a discount code out of a cart. */
export async function removeCode(env: Bindings, cartId: string, code: string): Promise<CartState> {
  return unwrapCart(await cartOf(env, cartId).removeCode(normaliseCode(code)));
}
