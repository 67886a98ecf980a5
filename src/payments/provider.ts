import type { Bindings } from "../env";

/** What a client needs to complete a payment. */
export interface PaymentHandle {
  provider: string;
  id: string;
  status: "requires_payment" | "succeeded" | "failed" | "canceled";
  clientSecret?: string;
}

/** The order facts a provider needs. */
export interface PaymentRequest {
  orderId: string;
  amount: number;
  currency: string;
  email: string;
}

/** A payment provider adapter; every call is idempotent by order id. */
export interface PaymentProvider {
  readonly name: string;
  createPayment(request: PaymentRequest): Promise<PaymentHandle>;
  cancelPayment(paymentId: string): Promise<void>;
}

/** The local provider: no network; payments are settled by an admin or a test through the webhook path. */
export const testProvider: PaymentProvider = {
  name: "test",
  async createPayment(request) {
    return { provider: "test", id: `test_pi_${request.orderId}`, status: "requires_payment" };
  },
  async cancelPayment() {},
};

/** The configured provider (Stripe arrives with the payments work; `test` is the local default). */
export function paymentProvider(_env: Bindings): PaymentProvider {
  return testProvider;
}
