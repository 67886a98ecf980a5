import { Hono } from "hono";
import { z } from "zod";
import { configOf } from "../config";
import { ORDER_ID_PATTERN } from "../domain/ids";
import type { AppEnv } from "../env";
import { invalid, tooLarge } from "../errors";
import type { ShippingEvent, WebhookJob } from "../queues/messages";
import { acceptStripeEvent } from "../services/webhook-intake";
import { fieldErrors } from "../validation";
import { verifyShippingSignature } from "../webhooks/signatures";

const MAX_BODY = 512 * 1024;

const shippingEvent = z
  .object({
    eventId: z.string().min(1).max(200),
    trackingNumber: z.string().min(1).max(100),
    orderId: z.string().regex(ORDER_ID_PATTERN),
    status: z.enum(["in_transit", "out_for_delivery", "delivered", "exception"]),
    occurredAt: z.iso.datetime({ offset: true }),
    location: z.string().max(200).optional(),
  })
  .strict();

async function rawBody(req: Request): Promise<string> {
  const text = await req.text();
  if (text.length > MAX_BODY) throw tooLarge("Webhook bodies are limited to 512 KiB.");
  return text;
}

function json(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw invalid("invalid_request", "The body is not JSON.");
  }
}

/** Provider webhooks: verify the signature on the raw body, queue the event, answer 200 at once. */
export const webhooks = new Hono<AppEnv>()
  .post("/stripe", async (c) => {
    await acceptStripeEvent(c.env, await rawBody(c.req.raw), c.req.header("Stripe-Signature"), Math.floor(Date.now() / 1000));
    return c.json({ received: true });
  })
  .post("/shipping/:carrier{[a-z0-9-]{1,40}}", async (c) => {
    const secret = configOf(c.env).shippingWebhookSecret;
    const body = await rawBody(c.req.raw);
    const carrier = c.req.param("carrier");
    const check = await verifyShippingSignature(body, carrier, c.req.header("X-Signature"), secret, Math.floor(Date.now() / 1000));
    if (!check.ok) throw invalid("invalid_signature", `Shipping signature rejected: ${check.reason}.`);
    const parsed = shippingEvent.safeParse(json(body));
    if (!parsed.success) throw invalid("invalid_request", "Not a shipping event.", fieldErrors(parsed.error, "json"));
    await c.env.WEBHOOKS.send({
      type: "shipping.event",
      carrier,
      event: parsed.data as ShippingEvent,
    } satisfies WebhookJob);
    return c.json({ received: true });
  });
