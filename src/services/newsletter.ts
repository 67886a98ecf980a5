import { configOf } from "../config";
import { hmac, safeEqual, sha256Hex } from "../crypto";
import type { Db } from "../db";
import { markCampaignUnsubscribe } from "../db/campaign-store";
import { liveCustomerByEmail, setConsentByEmail } from "../db/customer-store";
import { newCustomerId, normaliseEmail } from "../domain/customer";
import type { Bindings } from "../env";
import { queueEmail } from "./notifications";

/** How long a subscription confirmation link works. */
export const CONFIRM_LINK_MS = 7 * 86_400_000;

const signature = (env: Bindings, email: string, at: number) => hmac(configOf(env).sessionSecret, `newsletter:${email}:${at}`);

/** The link that confirms a subscription (double opt-in). */
export async function confirmUrl(env: Bindings, email: string, now = new Date()): Promise<string> {
  const at = now.getTime();
  const url = new URL("/newsletter/confirm", configOf(env).publicBaseUrl);
  url.searchParams.set("email", email);
  url.searchParams.set("t", String(at));
  url.searchParams.set("sig", await signature(env, email, at));
  return url.toString();
}

/**
 * Emails a confirmation link to an address (at most one a day per address, however often it is asked):
 * nobody is subscribed until they follow it.
 */
export async function requestSubscription(env: Bindings, db: Db, email: string, now = new Date()): Promise<void> {
  const address = normaliseEmail(email);
  const day = now.toISOString().slice(0, 10);
  const id = `newsletter.confirm:${(await sha256Hex(address)).slice(0, 24)}:${day}`;
  await queueEmail(
    env,
    db,
    { id, type: "newsletter.confirm", to: address, data: { confirmUrl: await confirmUrl(env, address, now) } },
    now,
  );
}

/** Confirms a subscription from its link; false when the link is forged, too old, or older than the last consent decision. */
export async function confirmSubscription(
  env: Bindings,
  db: Db,
  email: string,
  t: string,
  sig: string,
  now = new Date(),
): Promise<boolean> {
  const address = normaliseEmail(email);
  const at = Number(t);
  if (!address || !/^\d{1,15}$/.test(t) || now.getTime() - at > CONFIRM_LINK_MS || at > now.getTime() + 60_000) return false;
  if (!(await safeEqual(sig, await signature(env, address, at)))) return false;
  // A link older than the address's last consent decision (an unsubscribe since) no longer counts.
  const changed = (await liveCustomerByEmail(db, address))?.consentChangedAt;
  if (changed && changed.getTime() >= at) return false;
  await setConsentByEmail(db, address, true, newCustomerId(), now);
  return true;
}

/** Stops reminders and marketing email to an address (idempotent); counted against the campaign whose link it was. */
export async function unsubscribeAddress(db: Db, email: string, campaignId: string | undefined, now = new Date()): Promise<void> {
  const address = normaliseEmail(email);
  await setConsentByEmail(db, address, false, newCustomerId(), now);
  if (campaignId) await markCampaignUnsubscribe(db, campaignId, address, now);
}
