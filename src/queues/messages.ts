/** A Stripe event as received (only the fields Edgefront reads are typed). */
export interface StripeEvent {
  id: string;
  type: string;
  created?: number;
  data: {
    object: {
      id: string;
      object?: string;
      metadata?: Record<string, string>;
      payment_intent?: string | null;
      last_payment_error?: { message?: string } | null;
      /** Charges: true only when fully refunded. */
      refunded?: boolean;
      amount?: number;
      amount_refunded?: number;
      /** Charges: the refunds made so far, when the API version lists them. */
      refunds?: { data?: { id: string; amount: number; status?: string; metadata?: Record<string, string> }[] } | null;
      /** Checkout Sessions: `paid`, `unpaid` (an async method still settling) or `no_payment_required`. */
      payment_status?: string;
      status?: string;
    };
  };
}

/** A carrier's tracking update (the /webhooks/shipping/:carrier body). */
export interface ShippingEvent {
  eventId: string;
  trackingNumber: string;
  orderId: string;
  status: "in_transit" | "out_for_delivery" | "delivered" | "exception";
  occurredAt: string;
  location?: string;
}

/** Messages on the WEBHOOKS queue (verified before they are sent). */
export type WebhookJob = { type: "stripe.event"; event: StripeEvent } | { type: "shipping.event"; carrier: string; event: ShippingEvent };

/**
 * Messages on the EMAILS queue: an email to send (its notification row holds what), the next batch of
 * a campaign's recipients to expand, or a segment export to write.
 */
export type EmailJob =
  | { type: "email.send"; notificationId: string }
  | { type: "campaign.expand"; campaignId: string; after: string }
  | { type: "segment.export"; exportId: string };
