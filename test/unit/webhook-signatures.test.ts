import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { shippingSignatureHeader, signHex, verifyShippingSignature, verifyStripeSignature } from "../../src/webhooks/signatures";

const stripe = new Stripe("sk_test_unused", { httpClient: Stripe.createFetchHttpClient() });
const secret = "whsec_signing_secret";
const payload = JSON.stringify({ id: "evt_1", type: "payment_intent.succeeded", data: { object: { id: "pi_1" } } });
const now = () => Math.floor(Date.now() / 1000);

describe("Stripe signatures (checked against the official SDK)", () => {
  it("accepts a header the SDK generates", async () => {
    const header = await stripe.webhooks.generateTestHeaderStringAsync({ payload, secret });
    expect(await verifyStripeSignature(payload, header, secret, now())).toEqual({ ok: true });
  });

  it("rejects a tampered body, a wrong secret and a missing header", async () => {
    const header = await stripe.webhooks.generateTestHeaderStringAsync({ payload, secret });
    expect((await verifyStripeSignature(payload.replace("pi_1", "pi_2"), header, secret, now())).ok).toBe(false);
    expect((await verifyStripeSignature(payload, header, "whsec_other", now())).ok).toBe(false);
    expect((await verifyStripeSignature(payload, undefined, secret, now())).ok).toBe(false);
    expect((await verifyStripeSignature(payload, "garbage", secret, now())).ok).toBe(false);
  });

  it("rejects timestamps older than five minutes", async () => {
    const timestamp = now() - 301;
    const header = await stripe.webhooks.generateTestHeaderStringAsync({ payload, secret, timestamp });
    expect(await verifyStripeSignature(payload, header, secret, now())).toEqual({ ok: false, reason: "timestamp outside the tolerance" });
    const fresh = await stripe.webhooks.generateTestHeaderStringAsync({ payload, secret, timestamp: now() - 290 });
    expect((await verifyStripeSignature(payload, fresh, secret, now())).ok).toBe(true);
  });

  it("accepts any of several v1 signatures (secret rotation)", async () => {
    const header = await stripe.webhooks.generateTestHeaderStringAsync({ payload, secret });
    const [t, v1] = header.split(",");
    const rotated = `${t},v1=${"0".repeat(64)},${v1}`;
    expect((await verifyStripeSignature(payload, rotated, secret, now())).ok).toBe(true);
    expect((await verifyStripeSignature(payload, `${t},v1=${"0".repeat(64)}`, secret, now())).ok).toBe(false);
  });
});

describe("shipping signatures", () => {
  it("accepts t=<unix>,v1=<hex HMAC of t.carrier.body> for that carrier, within five minutes, and nothing else", async () => {
    const body = '{"eventId":"e1"}';
    const t = now();
    const good = await shippingSignatureHeader("s3cret", "acme", body, t);
    expect(good).toBe(`t=${t},v1=${await signHex("s3cret", `${t}.acme.${body}`)}`);
    expect((await verifyShippingSignature(body, "acme", good, "s3cret", t)).ok).toBe(true);
    expect((await verifyShippingSignature(body, "acme", good, "s3cret", t + 300)).ok).toBe(true);
    expect((await verifyShippingSignature(body, "acme", good, "s3cret", t + 301)).ok).toBe(false);
    expect((await verifyShippingSignature(body, "other", good, "s3cret", t)).ok).toBe(false);
    expect((await verifyShippingSignature(`${body} `, "acme", good, "s3cret", t)).ok).toBe(false);
    expect((await verifyShippingSignature(body, "acme", good, "other", t)).ok).toBe(false);
    expect((await verifyShippingSignature(body, "acme", `sha256=${await signHex("s3cret", body)}`, "s3cret", t)).ok).toBe(false);
    expect((await verifyShippingSignature(body, "acme", undefined, "s3cret", t)).ok).toBe(false);
  });
});
