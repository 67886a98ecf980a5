import type { Context } from "hono";
import { deleteCookie, getSignedCookie, setCookie, setSignedCookie } from "hono/cookie";
import { configOf } from "../config";
import { hmac, safeEqual } from "../crypto";
import type { CartState, CartView } from "../domain/cart";
import { ORDER_ID_PATTERN, UUID_PATTERN } from "../domain/ids";
import type { AppEnv } from "../env";
import { DomainError, forbidden, invalid } from "../errors";
import { cartView, loadCart } from "../services/carts";

const CART_COOKIE = "cart";
const ORDER_COOKIE = "order";
const CART_COUNT_COOKIE = "cart_count";

/** Pages with a shopper's own data are never stored by caches. */
export const NO_STORE = { "Cache-Control": "no-store" } as const;

const secretOf = (c: Context<AppEnv>) => configOf(c.env).sessionSecret;

const cookieOptions = (c: Context<AppEnv>, maxAge: number) => ({
  httpOnly: true,
  sameSite: "Lax" as const,
  secure: new URL(c.req.url).protocol === "https:",
  path: "/",
  maxAge,
});

/** The cart id from the signed cookie, if the signature holds. */
export async function cookieCartId(c: Context<AppEnv>): Promise<string | undefined> {
  const id = await getSignedCookie(c, secretOf(c), CART_COOKIE);
  return typeof id === "string" && UUID_PATTERN.test(id) ? id : undefined;
}

/** Puts a cart into this browser (signed, HttpOnly, SameSite=Lax). */
export async function rememberCart(c: Context<AppEnv>, cartId: string) {
  await setSignedCookie(c, CART_COOKIE, cartId, secretOf(c), cookieOptions(c, 30 * 86_400));
}

/** Takes the cart out of this browser (it became an order). */
export function forgetCart(c: Context<AppEnv>) {
  deleteCookie(c, CART_COOKIE, { path: "/" });
  deleteCookie(c, CART_COUNT_COOKIE, { path: "/" });
}

/**
 * How many items the browser's cart holds, readable by the page script: the header shows it on
 * cached pages, which are the same for every shopper. Not a secret and never trusted by the server.
 */
export function showCartCount(c: Context<AppEnv>, cart: CartView | null) {
  const count = cart?.lines.reduce((n, l) => n + l.quantity, 0) ?? 0;
  if (count === 0) {
    deleteCookie(c, CART_COUNT_COOKIE, { path: "/" });
    return;
  }
  setCookie(c, CART_COUNT_COOKIE, String(count), { ...cookieOptions(c, 30 * 86_400), httpOnly: false });
}

/** Remembers the order this browser just placed, so the payment page's return and cancel links can find it. */
export async function rememberOrder(c: Context<AppEnv>, orderId: string) {
  await setSignedCookie(c, ORDER_COOKIE, orderId, secretOf(c), cookieOptions(c, 86_400));
}

/** The order this browser placed last, if the signed cookie holds. */
export async function cookieOrderId(c: Context<AppEnv>): Promise<string | undefined> {
  const id = await getSignedCookie(c, secretOf(c), ORDER_COOKIE);
  return typeof id === "string" && ORDER_ID_PATTERN.test(id) ? id : undefined;
}

/** The form token of a cart's forms: bound to the cart, so another site cannot forge it. */
export const csrfToken = (c: Context<AppEnv>, cartId: string) => hmac(secretOf(c), `csrf:${cartId}`);

/** Refuses a form whose token does not belong to this browser's cart. */
export async function requireCsrf(c: Context<AppEnv>, cartId: string | undefined, form: Record<string, unknown>) {
  const given = typeof form._csrf === "string" ? form._csrf : "";
  if (!cartId || !given || !(await safeEqual(given, await csrfToken(c, cartId)))) {
    throw forbidden("The form has expired or did not come from this shop. Reload the page and try again.");
  }
}

/** The open cart with this id, or null if there is none (expired, checked out, never existed). */
export async function openCart(c: Context<AppEnv>, cartId: string | undefined): Promise<CartView | null> {
  const cart = await openCartState(c, cartId);
  return cart ? cartView(cart) : null;
}

/** The open cart's state as its object holds it (lines with product ids, codes), or null. */
export async function openCartState(c: Context<AppEnv>, cartId: string | undefined): Promise<CartState | null> {
  if (!cartId) return null;
  try {
    const cart = await loadCart(c.env, cartId);
    return cart.status === "open" ? cart : null;
  } catch (err) {
    if (err instanceof DomainError && err.kind === "not_found") return null;
    throw err;
  }
}

/** The posted form; a body that is not a form is a 400, not a 500. */
export async function formOf(c: Context<AppEnv>): Promise<Record<string, unknown>> {
  try {
    return (await c.req.parseBody()) as Record<string, unknown>;
  } catch {
    throw invalid("invalid_request", "The form could not be read.");
  }
}

/** A form field as text ("" when absent or a file). */
export const text = (v: unknown) => (typeof v === "string" ? v : "");

/** A form field as text, or undefined when empty. */
export const optional = (v: unknown) => (typeof v === "string" && v.trim() ? v : undefined);
