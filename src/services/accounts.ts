import { bumpCatalogVersion } from "../cache/catalog-cache";
import { configOf } from "../config";
import { hmac, randomToken, safeEqual, sha256Hex } from "../crypto";
import type { Db } from "../db";
import {
  addressesOf,
  anonymiseCustomer,
  type CustomerRow,
  customerData,
  customerOrders,
  deleteAddress,
  insertCustomerSession,
  insertLoginLink,
  liveCustomerSession,
  revokeCustomerSession,
  saveAddressStatement,
  setConsentByEmail,
  takeLoginLink,
  touchCustomerSession,
  updateCustomer,
  verifyCustomer,
} from "../db/customer-store";
import { addressFingerprint, newCustomerId, normaliseEmail } from "../domain/customer";
import type { Address } from "../domain/order";
import type { Bindings } from "../env";
import { log } from "../log";
import { queueEmail } from "./notifications";
import { orderTokenFor } from "./signed-links";

/** A customer's record. */
export type Customer = CustomerRow;

/** How long an emailed sign-in link works. */
export const LOGIN_LINK_MS = 15 * 60_000;
/** A shopper's session ends after this long unused, and at the latest this long after sign-in. */
export const ACCOUNT_SESSION_IDLE_MS = 14 * 86_400_000;
export const ACCOUNT_SESSION_MAX_MS = 30 * 86_400_000;
/** Sessions are marked seen at most this often (one write per few minutes, not per page). */
const TOUCH_EVERY_MS = 5 * 60_000;

const secretOf = (env: Bindings) => configOf(env).sessionSecret;

/** A sign-in link's token: its id and an HMAC of it, so the database alone never holds a usable token. */
const loginToken = async (env: Bindings, linkId: string) => `${linkId}.${await hmac(secretOf(env), `account-login:${linkId}`)}`;

/** The absolute sign-in link of a link id (rendered by the email sender). */
export async function loginUrl(env: Bindings, linkId: string): Promise<string> {
  const token = await loginToken(env, linkId);
  return new URL(`/account/verify?token=${encodeURIComponent(token)}`, configOf(env).publicBaseUrl).toString();
}

/**
 * Emails a one-time sign-in link to an address, known or not (following it creates the account), so
 * the answer never tells whether an address has an account.
 */
export async function requestLoginLink(env: Bindings, db: Db, email: string, now = new Date()): Promise<void> {
  const address = normaliseEmail(email);
  const linkId = randomToken(16);
  const token = await loginToken(env, linkId);
  await insertLoginLink(db, {
    id: linkId,
    tokenHash: await sha256Hex(token),
    email: address,
    createdAt: now,
    expiresAt: new Date(now.getTime() + LOGIN_LINK_MS),
  });
  await queueEmail(env, db, { id: `account.login:${linkId}`, type: "account.login", to: address, data: { linkId } }, now);
}

/** Follows a sign-in link: a new session token for its customer, or undefined if the link is forged, used or expired. */
export async function redeemLoginLink(
  env: Bindings,
  db: Db,
  token: string,
  now = new Date(),
): Promise<{ session: string; customerId: string } | undefined> {
  const [linkId, mac] = token.split(".");
  if (!linkId || !mac || token.length > 200) return undefined;
  if (!(await safeEqual(token, await loginToken(env, linkId)))) return undefined;
  const email = await takeLoginLink(db, await sha256Hex(token), now);
  if (!email) return undefined;
  const customerId = await verifyCustomer(db, newCustomerId(), email, now);
  const session = randomToken();
  await insertCustomerSession(db, {
    tokenHash: await sha256Hex(session),
    customerId,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + ACCOUNT_SESSION_MAX_MS),
  });
  log.info("account.signed_in", { customerId });
  return { session, customerId };
}

/** The signed-in customer of a session token, if the session is live. */
export async function sessionCustomer(db: Db, session: string, now = new Date()): Promise<CustomerRow | undefined> {
  const hash = await sha256Hex(session);
  const row = await liveCustomerSession(db, hash, now, ACCOUNT_SESSION_IDLE_MS);
  if (!row) return undefined;
  if (now.getTime() - row.lastSeenAt.getTime() > TOUCH_EVERY_MS) await touchCustomerSession(db, hash, now);
  return row.customer;
}

/** Ends a session. */
export async function signOutCustomer(db: Db, session: string, now = new Date()): Promise<void> {
  await revokeCustomerSession(db, await sha256Hex(session), now);
}

/** The form token of a signed-in shopper's forms, bound to the session. */
export const accountCsrfToken = async (env: Bindings, session: string) => hmac(secretOf(env), `account-csrf:${await sha256Hex(session)}`);

/** What the account page shows: profile, orders (with their page links) and saved addresses. */
export async function accountView(env: Bindings, db: Db, customer: CustomerRow) {
  const [orderRows, addresses] = await Promise.all([customerOrders(db, customer.id), addressesOf(db, customer.id)]);
  const secret = secretOf(env);
  return {
    profile: {
      email: customer.email,
      name: customer.name,
      phone: customer.phone,
      marketingConsent: customer.marketingConsent,
    },
    orders: await Promise.all(
      orderRows.map(async (o) => ({
        id: o.id,
        status: o.status,
        total: { amount: o.total, currency: o.currency },
        refunded: { amount: o.refunded, currency: o.currency },
        createdAt: o.createdAt.toISOString(),
        url: `/orders/${o.id}?token=${encodeURIComponent(await orderTokenFor(secret, o.id))}`,
      })),
    ),
    addresses: addresses.map((a) => ({ id: a.id, address: a.address })),
  };
}

/** The address a signed-in checkout starts from (the one used last), if any. */
export async function lastAddress(db: Db, customerId: string): Promise<Address | undefined> {
  return (await addressesOf(db, customerId))[0]?.address;
}

/** Changes the shopper's name, phone and marketing consent (recording when consent changed). */
export async function updateProfile(
  db: Db,
  customer: CustomerRow,
  change: { name: string; phone: string | null; marketingConsent: boolean },
  now = new Date(),
): Promise<void> {
  await updateCustomer(db, customer.id, { name: change.name, phone: change.phone }, now);
  // Consent goes the same way as a newsletter link or an unsubscribe: the suppression list follows it.
  if (change.marketingConsent !== customer.marketingConsent) {
    await setConsentByEmail(db, customer.email, change.marketingConsent, customer.id, now);
  }
}

/** Saves an address to the shopper's book. */
export async function addAddress(db: Db, customerId: string, address: Address, now = new Date()): Promise<void> {
  await saveAddressStatement(db, customerId, addressFingerprint(address), address, now);
}

/** Removes one of the shopper's saved addresses; whether it was theirs. */
export const removeAddress = (db: Db, customerId: string, id: number) => deleteAddress(db, customerId, id);

const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;

/** Everything the shop keeps about the shopper, as JSON they can download. */
export async function exportAccount(db: Db, customerId: string, now = new Date()) {
  const data = await customerData(db, customerId);
  const p = data.profile as CustomerRow;
  const linesOf = (orderId: string) =>
    data.lines
      .filter((l) => l.orderId === orderId)
      .map((l) => ({
        sku: l.sku,
        title: l.title,
        variant: l.variantTitle,
        quantity: l.quantity,
        unitPrice: l.unitPrice,
        total: l.lineTotal,
      }));
  return {
    exportedAt: now.toISOString(),
    profile: {
      email: p.email,
      name: p.name,
      phone: p.phone,
      marketingConsent: p.marketingConsent,
      consentChangedAt: iso(p.consentChangedAt),
      verifiedAt: iso(p.verifiedAt),
      createdAt: iso(p.createdAt),
    },
    addresses: data.addresses.map((a) => ({ address: a.address, lastUsedAt: iso(a.lastUsedAt) })),
    orders: data.orders.map((o) => ({
      id: o.id,
      status: o.status,
      email: o.email,
      currency: o.currency,
      subtotal: o.subtotal,
      discount: o.discount,
      shipping: o.shipping,
      tax: o.tax,
      total: o.total,
      refunded: o.refunded,
      shippingAddress: o.shippingAddress,
      placedAt: iso(o.createdAt),
      paidAt: iso(o.paidAt),
      lines: linesOf(o.id),
    })),
    segments: data.history.map((h) => ({ segment: h.segment, at: iso(h.at) })),
  };
}

/** Deletes the shopper's account (orders kept for the books, anonymised); whether there was one to delete. */
export async function deleteAccount(env: Bindings, db: Db, customerId: string, now = new Date()): Promise<boolean> {
  const done = await anonymiseCustomer(db, customerId, now);
  if (done) {
    // Their reviews went with the account: product pages show the change on their next view.
    await bumpCatalogVersion(env.CATALOG_CACHE, now);
    log.info("account.deleted", { customerId });
  }
  return done;
}
