import { afterEach, describe, expect, it, vi } from "vitest";
import { addLine, checkoutBody, makeCart, makeStockedProduct } from "../helpers/factories";
import { intercept } from "../helpers/intercept";
import { call } from "../helpers/worker";

afterEach(() => vi.restoreAllMocks());

describe("Stripe payment provider", () => {
  it("checks out with Stripe when STRIPE_SECRET_KEY is set, returning the client secret; else with the local provider", async () => {
    const calls = intercept("https://api.stripe.com/", () =>
      Response.json({ id: "pi_123", status: "requires_payment_method", client_secret: "pi_123_secret_abc" }),
    );
    const { sku } = await makeStockedProduct(5, { variants: [{ sku: `STR-${Date.now()}`, price: { amount: 2599, currency: "USD" } }] });
    const us = checkoutBody({ shippingAddress: { ...checkoutBody().shippingAddress, country: "US" } });
    const checkoutWith = async (overrides: Record<string, unknown>) => {
      const cart = await makeCart();
      await addLine(cart, sku, 2);
      const res = await call(
        `/api/carts/${cart}/checkout`,
        {
          method: "POST",
          headers: { "Content-Type": "application/json", "Idempotency-Key": crypto.randomUUID() },
          body: JSON.stringify(us),
        },
        overrides,
      );
      expect(res.status).toBe(201);
      return res.json<{ orderId: string; total: { amount: number }; payment: Record<string, string> }>();
    };

    const local = await checkoutWith({});
    expect(local.payment).toEqual({ provider: "test", id: `test_pi_${local.orderId}`, status: "requires_payment" });
    expect(calls).toHaveLength(0);

    const viaStripe = await checkoutWith({ STRIPE_SECRET_KEY: "sk_test_key" });
    expect(viaStripe.payment).toEqual({ provider: "stripe", id: "pi_123", status: "requires_payment", clientSecret: "pi_123_secret_abc" });
    expect(calls).toHaveLength(1);
    expect(Object.fromEntries(new URLSearchParams(calls[0]!.body))).toMatchObject({
      amount: String(viaStripe.total.amount),
      currency: "usd",
      "metadata[order_id]": viaStripe.orderId,
    });
    expect(calls[0]!.headers.get("Idempotency-Key")).toBe(`create-payment-${viaStripe.orderId}`);
  });

  it("speaks Stripe's REST API: form-encoded PaymentIntents and refunds with idempotency keys", async () => {
    const { stripeProvider } = await import("../../src/payments/provider");
    const calls = intercept("https://api.stripe.com/", (request) =>
      request.url.endsWith("/refunds")
        ? Response.json({ id: "re_1", status: "succeeded" })
        : Response.json({ id: "pi_123", status: "requires_payment_method", client_secret: "pi_123_secret_abc" }),
    );
    const provider = stripeProvider("sk_test_key");
    const handle = await provider.createPayment({ orderId: "ord_abc", amount: 5698, currency: "USD", email: "a@b.co" });
    expect(handle).toEqual({ provider: "stripe", id: "pi_123", status: "requires_payment", clientSecret: "pi_123_secret_abc" });
    const [create] = calls;
    expect(create!.url).toBe("https://api.stripe.com/v1/payment_intents");
    expect(create!.headers.get("Authorization")).toBe("Bearer sk_test_key");
    expect(create!.headers.get("Idempotency-Key")).toBe("create-payment-ord_abc");
    expect(Object.fromEntries(new URLSearchParams(create!.body))).toMatchObject({
      amount: "5698",
      currency: "usd",
      "metadata[order_id]": "ord_abc",
    });
    expect(await provider.refund("pi_123")).toEqual({ id: "re_1", status: "succeeded" });
    expect(calls[1]!.headers.get("Idempotency-Key")).toBe("refund-pi_123");
  });

  it("reports Stripe errors, marking 5xx and 429 as retryable", async () => {
    const { stripeProvider, PaymentProviderError } = await import("../../src/payments/provider");
    vi.spyOn(globalThis, "fetch").mockImplementation(async () => Response.json({ error: { message: "try later" } }, { status: 503 }));
    const error = await stripeProvider("sk")
      .createPayment({ orderId: "o", amount: 1, currency: "USD", email: "a@b.co" })
      .catch((e) => e);
    expect(error).toBeInstanceOf(PaymentProviderError);
    expect(error).toMatchObject({ status: 503, retryable: true, message: "try later" });
  });
});
