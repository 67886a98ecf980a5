import { hmacHex, safeEqual } from "../crypto";

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

/** Stripe's scheme: `t=<unix>,v1=<hex>[,v1=…]`, HMAC-SHA256 of `t.rawBody`, within `toleranceSeconds` of now. */
export async function verifyStripeSignature(
  rawBody: string,
  header: string | undefined,
  secret: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): Promise<SignatureCheck> {
  if (!header) return { ok: false, reason: "missing Stripe-Signature header" };
  const parts = header.split(",").map((p) => p.trim().split("="));
  const timestamp = parts.find(([k]) => k === "t")?.[1];
  const signatures = parts.filter(([k, v]) => k === "v1" && v).map(([, v]) => v as string);
  if (!timestamp || !/^\d+$/.test(timestamp) || !signatures.length) return { ok: false, reason: "malformed Stripe-Signature header" };
  if (Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) return { ok: false, reason: "timestamp outside the tolerance" };
  const expected = await hmacHex(secret, `${timestamp}.${rawBody}`);
  let match = false;
  // Compare against every v1 (no early exit), each in constant time.
  for (const signature of signatures) if (await safeEqual(signature, expected)) match = true;
  return match ? { ok: true } : { ok: false, reason: "no matching signature" };
}

/** What a carrier signs: the timestamp, the carrier the event is for, and the raw body. */
const shippingSigned = (timestamp: string | number, carrier: string, rawBody: string) => `${timestamp}.${carrier}.${rawBody}`;

/**
 * The shipping carriers' scheme: `X-Signature: t=<unix>,v1=<hex>[,v1=…]`, HMAC-SHA256 of
 * `t.carrier.rawBody`, within `toleranceSeconds` of now; so a body signed for one carrier, or an old
 * delivery, cannot be replayed.
 */
export async function verifyShippingSignature(
  rawBody: string,
  carrier: string,
  header: string | undefined,
  secret: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): Promise<SignatureCheck> {
  if (!header) return { ok: false, reason: "missing X-Signature header" };
  const parts = header.split(",").map((p) => p.trim().split("="));
  const timestamp = parts.find(([k]) => k === "t")?.[1];
  const signatures = parts.filter(([k, v]) => k === "v1" && v).map(([, v]) => (v as string).toLowerCase());
  if (!timestamp || !/^\d{1,12}$/.test(timestamp) || !signatures.length) return { ok: false, reason: "malformed X-Signature header" };
  if (Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) return { ok: false, reason: "timestamp outside the tolerance" };
  const expected = await hmacHex(secret, shippingSigned(timestamp, carrier, rawBody));
  let match = false;
  for (const signature of signatures) if (await safeEqual(signature, expected)) match = true;
  return match ? { ok: true } : { ok: false, reason: "no matching signature" };
}

/** An `X-Signature` header for a carrier's event, as a carrier would send it (tests, tools). */
export async function shippingSignatureHeader(secret: string, carrier: string, rawBody: string, timestampSeconds: number): Promise<string> {
  return `t=${timestampSeconds},v1=${await hmacHex(secret, shippingSigned(timestampSeconds, carrier, rawBody))}`;
}

/** HMAC-SHA256 hex (used by tests and the test payment provider to sign like a carrier would). */
export const signHex = hmacHex;

/** A `Stripe-Signature` header for a payload, as Stripe would send it (the local test provider signs its events so). */
export async function stripeSignatureHeader(secret: string, rawBody: string, timestampSeconds: number): Promise<string> {
  return `t=${timestampSeconds},v1=${await hmacHex(secret, `${timestampSeconds}.${rawBody}`)}`;
}
