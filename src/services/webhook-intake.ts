import { z } from "zod";
import { configOf } from "../config";
import type { Bindings } from "../env";
import { invalid } from "../errors";
import type { StripeEvent, WebhookJob } from "../queues/messages";
import { verifyStripeSignature } from "../webhooks/signatures";

/** What a Stripe event must look like before it is queued (the consumer reads these fields). */
const stripeEventShape = z.object({
  id: z.string().min(1).max(255),
  type: z.string().min(1).max(255),
  data: z.object({
    object: z.looseObject({ id: z.string().min(1).max(255) }),
  }),
});

/**
 * Verifies a Stripe event on its raw body, checks its shape, and queues it on WEBHOOKS; anything
 * wrong is refused (invalid) and nothing is queued. The local test provider's pay page comes this way too.
 */
export async function acceptStripeEvent(env: Bindings, rawBody: string, signature: string | undefined, nowSeconds: number): Promise<void> {
  const check = await verifyStripeSignature(rawBody, signature, configOf(env).stripeWebhookSecret, nowSeconds);
  if (!check.ok) throw invalid("invalid_signature", `Stripe signature rejected: ${check.reason}.`);
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    throw invalid("invalid_request", "The body is not JSON.");
  }
  const parsed = stripeEventShape.safeParse(body);
  if (!parsed.success) throw invalid("invalid_request", "Not a Stripe event: data.object must be an object with an id.");
  await env.WEBHOOKS.send({ type: "stripe.event", event: body as StripeEvent } satisfies WebhookJob);
}
