import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { normaliseEmail } from "../domain/customer";
import type { AppEnv } from "../env";
import { requestDb } from "../request-db";
import { ACCOUNT_SESSION_MAX_MS, type Customer, sessionCustomer } from "../services/accounts";

/** The shopper's session cookie (HttpOnly, SameSite=Lax: following the emailed link from a mail app keeps it). */
export const ACCOUNT_COOKIE = "account";

const secure = (c: Context<AppEnv>) => new URL(c.req.url).protocol === "https:";

/** Puts a session into this browser. */
export function rememberSession(c: Context<AppEnv>, session: string) {
  setCookie(c, ACCOUNT_COOKIE, session, {
    path: "/",
    httpOnly: true,
    sameSite: "Lax",
    secure: secure(c),
    maxAge: Math.floor(ACCOUNT_SESSION_MAX_MS / 1000),
  });
}

/** Takes the session out of this browser. */
export function forgetSession(c: Context<AppEnv>) {
  deleteCookie(c, ACCOUNT_COOKIE, { path: "/", secure: secure(c) });
}

/** The session token this browser sends, if it looks like one. */
export function sessionToken(c: Context<AppEnv>): string | undefined {
  const token = getCookie(c, ACCOUNT_COOKIE);
  return token && /^[A-Za-z0-9_-]{20,100}$/.test(token) ? token : undefined;
}

/** The signed-in shopper, if this browser has a live session. */
export async function signedInCustomer(c: Context<AppEnv>): Promise<Customer | undefined> {
  const token = sessionToken(c);
  return token ? sessionCustomer(requestDb(c), token) : undefined;
}

/**
 * The signed-in customer a checkout belongs to: only when it uses the account's own email. A checkout
 * under another address stays that address's (so a browser signed in through someone else's link
 * never collects this shopper's order or address).
 */
export async function checkoutCustomerId(c: Context<AppEnv>, email: string): Promise<string | null> {
  const customer = await signedInCustomer(c);
  return customer && customer.email === normaliseEmail(email) ? customer.id : null;
}
