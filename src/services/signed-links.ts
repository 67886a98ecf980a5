import { configOf } from "../config";
import { hmac, safeEqual } from "../crypto";
import type { Bindings } from "../env";

const secretOf = (env: Bindings) => configOf(env).sessionSecret;

/** The shopper's capability token for an order (only its hash is stored). */
export const orderTokenFor = (secret: string, orderId: string) => hmac(secret, `order-token:${orderId}`);

/** The absolute link to an order's page, with its token. */
export async function orderLink(env: Bindings, orderId: string): Promise<string> {
  const token = await orderTokenFor(secretOf(env), orderId);
  return new URL(`/orders/${orderId}?token=${encodeURIComponent(token)}`, configOf(env).publicBaseUrl).toString();
}

/** A link that puts a saved cart back into the shopper's browser. */
export async function restoreLink(env: Bindings, cartId: string): Promise<string> {
  const sig = await hmac(secretOf(env), `restore:${cartId}`);
  return new URL(`/cart/restore/${cartId}?sig=${encodeURIComponent(sig)}`, configOf(env).publicBaseUrl).toString();
}

/** A one-click link that stops reminder emails to an address. */
export async function unsubscribeLink(env: Bindings, email: string): Promise<string> {
  const sig = await hmac(secretOf(env), `unsubscribe:${email.toLowerCase()}`);
  return new URL(`/unsubscribe?email=${encodeURIComponent(email)}&sig=${encodeURIComponent(sig)}`, configOf(env).publicBaseUrl).toString();
}

/** Whether `sig` signs `purpose:value`. */
export async function linkValid(env: Bindings, purpose: "restore" | "unsubscribe", value: string, sig: string): Promise<boolean> {
  return safeEqual(sig, await hmac(secretOf(env), `${purpose}:${purpose === "unsubscribe" ? value.toLowerCase() : value}`));
}

/** Where a payment page sends the shopper back: paid (`/checkout/return`) or left (`/checkout/cancel`, signed). */
export async function paymentReturnUrls(env: Bindings, orderId: string): Promise<{ successUrl: string; cancelUrl: string }> {
  const base = configOf(env).publicBaseUrl;
  const sig = await hmac(secretOf(env), `checkout-cancel:${orderId}`);
  return {
    successUrl: new URL(`/checkout/return?order=${orderId}`, base).toString(),
    cancelUrl: new URL(`/checkout/cancel?order=${orderId}&sig=${encodeURIComponent(sig)}`, base).toString(),
  };
}

/** Whether `sig` is the payment page's cancel-link signature for an order. */
export async function cancelLinkValid(env: Bindings, orderId: string, sig: string): Promise<boolean> {
  return safeEqual(sig, await hmac(secretOf(env), `checkout-cancel:${orderId}`));
}
