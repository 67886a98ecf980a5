import { configOf } from "../config";
import { randomToken } from "../crypto";
import type { Bindings } from "../env";
import { misconfigured } from "../errors";

/** Where the shopper goes to pay, and the payment's state. */
export interface PaymentHandle {
  provider: string;
  id: string;
  status: "requires_payment" | "processing" | "succeeded" | "canceled";
  redirectUrl: string;
}

/** One line of what the shopper pays for, already net of its discount; amounts in minor units. */
export interface PaymentLine {
  name: string;
  quantity: number;
  /** The whole line's amount (unit amount × quantity when it divides evenly). */
  amount: number;
}

/** The order facts a provider needs to take payment. */
export interface PaymentRequest {
  orderId: string;
  amount: number;
  currency: string;
  email: string;
  lines: PaymentLine[];
  shipping: { name: string; amount: number } | null;
  /** Tax to add as its own line; null when it is included in the prices (or zero). */
  addedTax: { name: string; amount: number } | null;
  successUrl: string;
  cancelUrl: string;
  /** When the payment page must stop taking payment (no later than the stock hold). */
  expiresAt: Date;
}

/** What the provider says about a payment now. */
export interface PaymentState {
  status: PaymentHandle["status"];
  paymentIntentId?: string;
}

/** A payment provider adapter; every call is idempotent by order, payment or refund id. */
export interface PaymentProvider {
  readonly name: string;
  /** How long checkout holds stock for this provider's payments (covers its payment page's lifetime). */
  readonly holdMs: number;
  /** How long its payment page stays open. */
  readonly pageMs: number;
  /** The smallest amount it will charge (minor units); gift cards leave at least this much for it, or nothing. */
  readonly minimumCharge?: number;
  createPayment(request: PaymentRequest): Promise<PaymentHandle>;
  retrievePayment(paymentId: string): Promise<PaymentState>;
  /** Gives `amount` back; `refundId` makes repeats of the same refund a no-op at the provider. */
  refund(
    payment: { paymentId: string; paymentIntentId: string | null },
    amount: number,
    refundId: string,
  ): Promise<{ id: string; status: string }>;
  cancelPayment(paymentId: string): Promise<void>;
}

/** A provider call that failed; `retryable` for network trouble and 5xx/429 answers. */
export class PaymentProviderError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = "PaymentProviderError";
  }
}

/**
 * The local provider: no network. Its hosted page (/pay/test/:paymentId) has Pay and Decline
 * buttons; paying sends a signed event through the same webhook and queue as Stripe's.
 */
export function testProvider(baseUrl = "http://localhost:8787"): PaymentProvider {
  return {
    name: "test",
    holdMs: 15 * 60_000,
    pageMs: 15 * 60_000,
    async createPayment() {
      const id = `test_cs_${randomToken(18).replace(/[-_]/g, "x")}`;
      return { provider: "test", id, status: "requires_payment", redirectUrl: new URL(`/pay/test/${id}`, baseUrl).toString() };
    },
    async retrievePayment() {
      return { status: "requires_payment" };
    },
    async refund(_payment, _amount, refundId) {
      return { id: `test_re_${refundId}`, status: "succeeded" };
    },
    async cancelPayment() {},
  };
}

const STRIPE_API = "https://api.stripe.com/v1";

/** Hosted Checkout pages must stay open at least 30 minutes; the stock hold outlasts the page by a margin for its last webhook. */
const STRIPE_PAGE_MS = 31 * 60_000;
const STRIPE_HOLD_MS = 35 * 60_000;

/** A Checkout Session line for a payment line: unit × quantity when it divides evenly, else the whole line once. */
function sessionLine(line: PaymentLine): { name: string; unitAmount: number; quantity: number } {
  if (line.quantity > 0 && line.amount % line.quantity === 0)
    return { name: line.name, unitAmount: line.amount / line.quantity, quantity: line.quantity };
  return { name: `${line.quantity} × ${line.name}`, unitAmount: line.amount, quantity: 1 };
}

/** The form fields of a Checkout Session for a payment request. */
export function checkoutSessionParams(request: PaymentRequest): Record<string, string> {
  const currency = request.currency.toLowerCase();
  const params: Record<string, string> = {
    mode: "payment",
    customer_email: request.email,
    client_reference_id: request.orderId,
    "metadata[order_id]": request.orderId,
    "payment_intent_data[metadata][order_id]": request.orderId,
    success_url: request.successUrl,
    cancel_url: request.cancelUrl,
    expires_at: String(Math.floor(request.expiresAt.getTime() / 1000)),
  };
  const items = request.lines.filter((l) => l.amount > 0).map(sessionLine);
  if (request.addedTax && request.addedTax.amount > 0)
    items.push({ name: request.addedTax.name, unitAmount: request.addedTax.amount, quantity: 1 });
  items.forEach((item, i) => {
    params[`line_items[${i}][quantity]`] = String(item.quantity);
    params[`line_items[${i}][price_data][currency]`] = currency;
    params[`line_items[${i}][price_data][unit_amount]`] = String(item.unitAmount);
    params[`line_items[${i}][price_data][product_data][name]`] = item.name;
  });
  if (request.shipping) {
    params["shipping_options[0][shipping_rate_data][type]"] = "fixed_amount";
    params["shipping_options[0][shipping_rate_data][display_name]"] = request.shipping.name;
    params["shipping_options[0][shipping_rate_data][fixed_amount][amount]"] = String(request.shipping.amount);
    params["shipping_options[0][shipping_rate_data][fixed_amount][currency]"] = currency;
  }
  return params;
}

const SESSION_STATUS = (session: { status?: string; payment_status?: string }): PaymentHandle["status"] => {
  if (session.payment_status === "paid" || session.payment_status === "no_payment_required") return "succeeded";
  if (session.status === "expired") return "canceled";
  if (session.status === "complete") return "processing";
  return "requires_payment";
};

/** Stripe's REST API over fetch: hosted Checkout Sessions in minor units with `metadata[order_id]`, idempotency keys on every POST. */
export function stripeProvider(secretKey: string): PaymentProvider {
  async function call<T>(method: "GET" | "POST", path: string, params?: Record<string, string>, idempotencyKey?: string): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${STRIPE_API}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${secretKey}`,
          ...(params ? { "Content-Type": "application/x-www-form-urlencoded" } : {}),
          ...(idempotencyKey ? { "Idempotency-Key": idempotencyKey } : {}),
        },
        body: params ? new URLSearchParams(params).toString() : undefined,
      });
    } catch (err) {
      throw new PaymentProviderError(`Stripe unreachable: ${String(err)}`, 0, true);
    }
    const body = (await res.json().catch(() => ({}))) as T & { error?: { message?: string } };
    if (!res.ok) {
      throw new PaymentProviderError(
        body.error?.message ?? `Stripe answered ${res.status}`,
        res.status,
        res.status >= 500 || res.status === 429,
      );
    }
    return body;
  }
  type Session = { id: string; url?: string | null; status?: string; payment_status?: string; payment_intent?: string | null };
  return {
    name: "stripe",
    holdMs: STRIPE_HOLD_MS,
    pageMs: STRIPE_PAGE_MS,
    // Stripe refuses charges under about 0.50 in most currencies.
    minimumCharge: 50,
    async createPayment(request) {
      const session = await call<Session>(
        "POST",
        "/checkout/sessions",
        checkoutSessionParams(request),
        `checkout-session-${request.orderId}`,
      );
      return { provider: "stripe", id: session.id, status: SESSION_STATUS(session), redirectUrl: session.url ?? "" };
    },
    async retrievePayment(paymentId) {
      const session = await call<Session>("GET", `/checkout/sessions/${encodeURIComponent(paymentId)}`);
      return { status: SESSION_STATUS(session), ...(session.payment_intent ? { paymentIntentId: session.payment_intent } : {}) };
    },
    async refund(payment, amount, refundId) {
      let intent = payment.paymentIntentId;
      if (!intent) intent = (await this.retrievePayment(payment.paymentId)).paymentIntentId ?? null;
      if (!intent) throw new PaymentProviderError("This payment has no charge to refund yet.", 409, false);
      const refund = await call<{ id: string; status: string }>(
        "POST",
        "/refunds",
        { payment_intent: intent, amount: String(amount), "metadata[refund_id]": refundId },
        `refund-${refundId}`,
      );
      return { id: refund.id, status: refund.status };
    },
    async cancelPayment(paymentId) {
      try {
        await call("POST", `/checkout/sessions/${encodeURIComponent(paymentId)}/expire`, {}, `expire-${paymentId}`);
      } catch (err) {
        // A session that already completed or expired cannot be expired again; its webhook says what happened.
        if (!(err instanceof PaymentProviderError) || err.retryable) throw err;
      }
    },
  };
}

/** Whether the test provider may take payments: on a local shop (http or localhost), or where ops allowed it. */
function testPaymentsAllowed(env: Bindings): boolean {
  const config = configOf(env);
  if (config.allowTestPayments === "true") return true;
  const url = new URL(config.publicBaseUrl);
  return url.protocol === "http:" || ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
}

/**
 * Stripe when STRIPE_SECRET_KEY is set, else the local test provider where it is allowed; a public
 * shop with neither refuses to take orders (503 naming STRIPE_SECRET_KEY) rather than give them away.
 */
export function paymentProvider(env: Bindings): PaymentProvider {
  const config = configOf(env);
  if (config.stripeSecretKey) return stripeProvider(config.stripeSecretKey);
  if (testPaymentsAllowed(env)) return testProvider(config.publicBaseUrl);
  throw misconfigured("STRIPE_SECRET_KEY", "missing (test payments are only taken on a local shop or with ALLOW_TEST_PAYMENTS=true)");
}

/** The tender name of orders the gift cards paid in full (no provider took any money). */
export const GIFT_CARD_TENDER = "gift_card";

/**
 * The "provider" of an order gift cards paid in full: its payment succeeded at checkout, and it has
 * nothing to refund or cancel (the cards are credited by the refund itself).
 */
const giftCardTender: PaymentProvider = {
  name: GIFT_CARD_TENDER,
  holdMs: 15 * 60_000,
  pageMs: 15 * 60_000,
  async createPayment() {
    throw new PaymentProviderError("Gift cards take no payment page.", 400, false);
  },
  async retrievePayment() {
    return { status: "succeeded" };
  },
  async refund(_payment, amount, refundId) {
    if (amount > 0) throw new PaymentProviderError("Nothing was paid through a payment provider.", 409, false);
    return { id: `gift_card_${refundId}`, status: "succeeded" };
  },
  async cancelPayment() {},
};

/** The provider an existing payment was made with (refunds and cancellations go back to it). */
export function providerOf(env: Bindings, name: string | null): PaymentProvider {
  if (name === GIFT_CARD_TENDER) return giftCardTender;
  const config = configOf(env);
  if (name === "stripe") {
    if (!config.stripeSecretKey) throw misconfigured("STRIPE_SECRET_KEY");
    return stripeProvider(config.stripeSecretKey);
  }
  if (name === "test") return testProvider(config.publicBaseUrl);
  return paymentProvider(env);
}
