import type { Bindings } from "../env";

/** What a client needs to complete a payment. */
export interface PaymentHandle {
  provider: string;
  id: string;
  status: "requires_payment" | "processing" | "succeeded" | "canceled";
  clientSecret?: string;
}

/** The order facts a provider needs. */
export interface PaymentRequest {
  orderId: string;
  amount: number;
  currency: string;
  email: string;
}

/** A payment provider adapter; every call is idempotent by order or payment id. */
export interface PaymentProvider {
  readonly name: string;
  createPayment(request: PaymentRequest): Promise<PaymentHandle>;
  retrievePayment(paymentId: string): Promise<PaymentHandle>;
  refund(paymentId: string): Promise<{ id: string; status: string }>;
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
 * The local provider: no network. Payments stay `requires_payment` until an admin or a test settles
 * them through POST /admin/api/payments/test/:orderId/{succeed,fail}, which goes through the same
 * webhook queue as Stripe's events.
 */
export const testProvider: PaymentProvider = {
  name: "test",
  async createPayment(request) {
    return { provider: "test", id: `test_pi_${request.orderId}`, status: "requires_payment" };
  },
  async retrievePayment(paymentId) {
    return { provider: "test", id: paymentId, status: "requires_payment" };
  },
  async refund(paymentId) {
    return { id: `test_re_${paymentId}`, status: "succeeded" };
  },
  async cancelPayment() {},
};

const STRIPE_API = "https://api.stripe.com/v1";

const STRIPE_STATUS: Record<string, PaymentHandle["status"]> = {
  succeeded: "succeeded",
  processing: "processing",
  canceled: "canceled",
};

/** Stripe's REST API over fetch: PaymentIntents in minor units with `metadata[order_id]`, idempotency keys on every POST. */
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
  type Intent = { id: string; status: string; client_secret?: string };
  const handle = (pi: Intent): PaymentHandle => ({
    provider: "stripe",
    id: pi.id,
    status: STRIPE_STATUS[pi.status] ?? "requires_payment",
    ...(pi.client_secret ? { clientSecret: pi.client_secret } : {}),
  });
  return {
    name: "stripe",
    async createPayment(request) {
      const pi = await call<Intent>(
        "POST",
        "/payment_intents",
        {
          amount: String(request.amount),
          currency: request.currency.toLowerCase(),
          receipt_email: request.email,
          "metadata[order_id]": request.orderId,
          "automatic_payment_methods[enabled]": "true",
        },
        `create-payment-${request.orderId}`,
      );
      return handle(pi);
    },
    async retrievePayment(paymentId) {
      return handle(await call<Intent>("GET", `/payment_intents/${encodeURIComponent(paymentId)}`));
    },
    async refund(paymentId) {
      const refund = await call<{ id: string; status: string }>("POST", "/refunds", { payment_intent: paymentId }, `refund-${paymentId}`);
      return { id: refund.id, status: refund.status };
    },
    async cancelPayment(paymentId) {
      await call("POST", `/payment_intents/${encodeURIComponent(paymentId)}/cancel`, {}, `cancel-${paymentId}`);
    },
  };
}

/** Stripe when STRIPE_SECRET_KEY is set, else the local test provider. */
export function paymentProvider(env: Bindings): PaymentProvider {
  return env.STRIPE_SECRET_KEY ? stripeProvider(env.STRIPE_SECRET_KEY) : testProvider;
}
