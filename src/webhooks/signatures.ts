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

/** The shipping carriers' scheme: `X-Signature: sha256=<hex HMAC-SHA256 of the raw body>`. */
export async function verifyShippingSignature(rawBody: string, header: string | undefined, secret: string): Promise<SignatureCheck> {
  const given = /^sha256=([0-9a-f]{64})$/i.exec(header?.trim() ?? "")?.[1];
  if (!given) return { ok: false, reason: "missing or malformed X-Signature header" };
  return (await safeEqual(given.toLowerCase(), await hmacHex(secret, rawBody)))
    ? { ok: true }
    : { ok: false, reason: "signature mismatch" };
}

/** HMAC-SHA256 hex (used by tests and the test payment provider to sign like a carrier would). */
export const signHex = hmacHex;

/** A `Stripe-Signature` header for a payload, as Stripe would send it (the local test provider signs its events so). */
export async function stripeSignatureHeader(secret: string, rawBody: string, timestampSeconds: number): Promise<string> {
  return `t=${timestampSeconds},v1=${await hmacHex(secret, `${timestampSeconds}.${rawBody}`)}`;
}
