import type { Bindings } from "../env";
import { misconfigured } from "../errors";
import { hmac, safeEqual } from "./tokens";

const secret = (env: Bindings) => {
  if (!env.SESSION_SECRET) throw misconfigured("SESSION_SECRET");
  return env.SESSION_SECRET;
};

/** A link that puts a saved cart back into the shopper's browser. */
export async function restoreLink(env: Bindings, cartId: string): Promise<string> {
  const sig = await hmac(secret(env), `restore:${cartId}`);
  return new URL(`/cart/restore/${cartId}?sig=${encodeURIComponent(sig)}`, env.PUBLIC_BASE_URL).toString();
}

/** A one-click link that stops reminder emails to an address. */
export async function unsubscribeLink(env: Bindings, email: string): Promise<string> {
  const sig = await hmac(secret(env), `unsubscribe:${email.toLowerCase()}`);
  return new URL(`/unsubscribe?email=${encodeURIComponent(email)}&sig=${encodeURIComponent(sig)}`, env.PUBLIC_BASE_URL).toString();
}

/** Whether `sig` signs `purpose:value`. */
export async function linkValid(env: Bindings, purpose: "restore" | "unsubscribe", value: string, sig: string): Promise<boolean> {
  return safeEqual(sig, await hmac(secret(env), `${purpose}:${purpose === "unsubscribe" ? value.toLowerCase() : value}`));
}
