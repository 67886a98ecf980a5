import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { addLine, checkoutBody, makeCart, makeStockedProduct } from "../helpers/factories";
import { intercept } from "../helpers/intercept";
import { call } from "../helpers/worker";

afterEach(() => vi.restoreAllMocks());

const session = { id: "cs_test_123", url: "https://checkout.stripe.com/c/pay/cs_test_123", status: "open", payment_status: "unpaid" };

async function checkoutWith(sku: string, quantity: number, body: unknown, overrides: Record<string, unknown>) {
  const cart = await makeCart();
  await addLine(cart, sku, quantity);
  const res = await call(
    `/api/carts/${cart}/checkout`,
    { method: "POST", headers: { "Content-Type": "application/json", "Idempotency-Key": crypto.randomUUID() }, body: JSON.stringify(body) },
    overrides,
  );
  expect(res.status, await res.clone().text()).toBe(201);
  return res.json<{
    orderId: string;
    total: { amount: number };
    tax: { amount: number };
    holdExpiresAt: string;
    payment: Record<string, string>;
  }>();
}

describe("Stripe payment provider", () => {
  it("sends the shopper to a hosted Checkout Session with the quoted lines, shipping and tax, an idempotency key and an expiry inside the hold", async () => {
    const calls = intercept("https://api.stripe.com/", () => Response.json(session));
    const { sku } = await makeStockedProduct(5, { variants: [{ sku: `STR-${Date.now()}`, price: { amount: 2599, currency: "USD" } }] });
    // New York: 4 % sales tax added, shipping taxed; 2 × 25.99 = 51.98 ships Standard for 5.00.
    const ny = checkoutBody({ shippingAddress: { ...checkoutBody().shippingAddress, country: "US", region: "NY", postalCode: "10001" } });
    const before = Date.now();
    const order = await checkoutWith(sku, 2, ny, { STRIPE_SECRET_KEY: "sk_test_key" });
    expect(order.payment).toEqual({ provider: "stripe", id: "cs_test_123", status: "requires_payment", redirectUrl: session.url });
    expect(calls).toHaveLength(1);
    const [create] = calls;
    expect(create!.url).toBe("https://api.stripe.com/v1/checkout/sessions");
    expect(create!.headers.get("Authorization")).toBe("Bearer sk_test_key");
    expect(create!.headers.get("Idempotency-Key")).toBe(`checkout-session-${order.orderId}`);
    const form = Object.fromEntries(new URLSearchParams(create!.body));
    expect(form).toMatchObject({
      mode: "payment",
      customer_email: "shopper@example.com",
      "metadata[order_id]": order.orderId,
      "payment_intent_data[metadata][order_id]": order.orderId,
      "line_items[0][quantity]": "2",
      "line_items[0][price_data][unit_amount]": "2599",
      "line_items[0][price_data][currency]": "usd",
      "line_items[1][price_data][unit_amount]": String(order.tax.amount),
      "line_items[1][price_data][product_data][name]": "Sales tax",
      "shipping_options[0][shipping_rate_data][fixed_amount][amount]": "500",
      success_url: `https://shop.test/checkout/return?order=${order.orderId}`,
    });
    expect(form.cancel_url).toMatch(new RegExp(`^https://shop\\.test/checkout/cancel\\?order=${order.orderId}&sig=.+$`));
    // What Stripe will charge is exactly the order's total.
    expect(2 * 2599 + 500 + order.tax.amount).toBe(order.total.amount);
    expect(order.tax.amount).toBe(Math.round(((2 * 2599 + 500) * 400) / 10_000));
    // The page closes (Stripe's minimum: 30 minutes) before the stock hold lapses.
    const expiresAt = Number(form.expires_at) * 1000;
    expect(expiresAt - before).toBeGreaterThanOrEqual(30 * 60_000);
    expect(Date.parse(order.holdExpiresAt)).toBeGreaterThan(expiresAt);
  });

  it("pays with the local test provider, which needs no network, when no Stripe key is set", async () => {
    const calls = intercept("https://api.stripe.com/", () => Response.json(session));
    const { sku } = await makeStockedProduct(5);
    const order = await checkoutWith(sku, 1, checkoutBody(), {});
    expect(order.payment).toMatchObject({ provider: "test", status: "requires_payment" });
    expect(order.payment.redirectUrl).toBe(`https://shop.test/pay/test/${order.payment.id}`);
    expect(calls).toHaveLength(0);
  });

  it("refunds against the payment intent with the refund's own idempotency key", async () => {
    const { stripeProvider } = await import("../../src/payments/provider");
    const calls = intercept("https://api.stripe.com/", (request) =>
      request.url.endsWith("/refunds")
        ? Response.json({ id: "re_1", status: "succeeded" })
        : Response.json({ ...session, payment_intent: "pi_9" }),
    );
    const provider = stripeProvider("sk_test_key");
    expect(await provider.refund({ paymentId: "cs_1", paymentIntentId: null }, 700, "ref_a")).toEqual({ id: "re_1", status: "succeeded" });
    const refund = calls.find((c) => c.url.endsWith("/refunds"))!;
    expect(Object.fromEntries(new URLSearchParams(refund.body))).toMatchObject({
      payment_intent: "pi_9",
      amount: "700",
      "metadata[refund_id]": "ref_a",
    });
    expect(refund.headers.get("Idempotency-Key")).toBe("refund-ref_a");
  });

  it("reports Stripe errors, marking 5xx and 429 as retryable", async () => {
    const { stripeProvider, PaymentProviderError } = await import("../../src/payments/provider");
    vi.spyOn(globalThis, "fetch").mockImplementation(async () => Response.json({ error: { message: "try later" } }, { status: 503 }));
    const error = await stripeProvider("sk")
      .retrievePayment("cs_1")
      .catch((e) => e);
    expect(error).toBeInstanceOf(PaymentProviderError);
    expect(error).toMatchObject({ status: 503, retryable: true, message: "try later" });
  });

  it("refuses a malformed Stripe key as misconfigured instead of calling Stripe", async () => {
    const calls = intercept("https://api.stripe.com/", () => Response.json(session));
    const { sku } = await makeStockedProduct(5);
    const cart = await makeCart();
    await addLine(cart, sku, 1);
    const res = await call(
      `/api/carts/${cart}/checkout`,
      {
        method: "POST",
        headers: { "Content-Type": "application/json", "Idempotency-Key": crypto.randomUUID() },
        body: JSON.stringify(checkoutBody()),
      },
      { STRIPE_SECRET_KEY: "pk_live_wrong_kind" },
    );
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ code: "misconfigured", setting: "STRIPE_SECRET_KEY" });
    expect(calls).toHaveLength(0);
    void env;
  });
});
