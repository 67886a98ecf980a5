import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createDb } from "../../src/db";
import { notifications } from "../../src/db/schema";
import worker from "../../src/index";
import { renderNotification } from "../../src/queues/emails-consumer";
import { addLine, checkout, makeCart, makeStockedProduct } from "../helpers/factories";
import { intercept } from "../helpers/intercept";
import { drain, shippingEvent, stripeEvent } from "../helpers/queues";
import { ADMIN, call } from "../helpers/worker";

const resend = { RESEND_API_KEY: "re_test_key" };

async function orderWithEmail(title = "Plain Mug") {
  const { sku } = await makeStockedProduct(5, { title });
  const cart = await makeCart();
  await addLine(cart, sku, 1);
  const { orderId } = await (await checkout(cart)).json<{ orderId: string }>();
  const id = `order.confirmation:${orderId}`;
  // The log row alone (no queue message), so only this test's deliveries touch it.
  await createDb(env.DB).insert(notifications).values({
    id,
    type: "order.confirmation",
    recipient: "shopper@example.com",
    status: "queued",
    data: { orderId },
    orderId,
    createdAt: new Date(),
    updatedAt: new Date(),
  });
  return { orderId, id };
}

async function sendJob(queue: string, notificationId: string, overrides: Record<string, unknown> = resend, attempts = 1) {
  const batch = createMessageBatch(queue, [
    { id: crypto.randomUUID(), timestamp: new Date(), attempts, body: { type: "email.send", notificationId } },
  ]);
  const ctx = createExecutionContext();
  await worker.queue(batch, { ...env, ...overrides } as typeof env, ctx);
  return getQueueResult(batch, ctx);
}

const row = (id: string) =>
  env.DB.prepare("select status, attempts, provider, provider_message_id, error from notifications where id = ?").bind(id).first();

/** Calls to Resend, intercepted at the fetch boundary, as { body, idempotencyKey }. */
function interceptResend(answer: () => Response) {
  const seen = intercept("https://api.resend.com/emails", answer);
  return {
    get length() {
      return seen.length;
    },
    at: (i: number) => ({
      body: JSON.parse(seen[i]!.body) as Record<string, unknown>,
      idempotencyKey: seen[i]!.headers.get("Idempotency-Key"),
    }),
  };
}

afterEach(() => vi.restoreAllMocks());

describe("transactional email", () => {
  it("keeps the sent text in the log, without the order token its link carries", async () => {
    const sent = interceptResend(() => Response.json({ id: "re_msg_log" }));
    const { orderId, id } = await orderWithEmail();
    await sendJob("edgefront-emails", id);
    const emailed = String(sent.at(0).body.text);
    const token = /token=([^&\s]+)/.exec(emailed)?.[1];
    expect(token).toBeDefined();
    const { items } = await (await call(`/admin/api/notifications?orderId=${orderId}`, { headers: ADMIN })).json<{
      items: { id: string; text: string | null }[];
    }>();
    const logged = items.find((n) => n.id === id)?.text ?? "";
    expect(logged).toContain(`/orders/${orderId}?token=[hidden]`);
    expect(logged).not.toContain(decodeURIComponent(token as string));
    expect(logged).not.toContain(token as string);
  });

  it("sends a confirmation once, however often the job is delivered", async () => {
    const sent = interceptResend(() => Response.json({ id: "re_msg_1" }));
    const { orderId, id } = await orderWithEmail();
    await sendJob("edgefront-emails", id);
    await sendJob("edgefront-emails", id);
    await Promise.all([sendJob("edgefront-emails", id), sendJob("edgefront-emails", id)]);
    expect(sent.length).toBe(1);
    expect(sent.at(0).idempotencyKey).toBe(id);
    expect(sent.at(0).body).toMatchObject({ to: ["shopper@example.com"], subject: `Order ${orderId} confirmed` });
    expect(String(sent.at(0).body.text)).toContain("Total");
    expect(await row(id)).toMatchObject({ status: "sent", provider: "resend", provider_message_id: "re_msg_1" });
  });

  it("escapes order content in the HTML and links to the order page", async () => {
    const sent = interceptResend(() => Response.json({ id: "re_msg_2" }));
    const { orderId, id } = await orderWithEmail(`<img src=x onerror=alert(1)> Kettle`);
    await sendJob("edgefront-emails", id);
    const html = String(sent.at(0).body.html);
    expect(html).not.toContain("<img src=x");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt; Kettle");
    expect(html).toContain(`https://shop.test/orders/${orderId}?token=`);
  });

  it("retries after a provider failure and records the error, then sends", async () => {
    let fail = true;
    const sent = interceptResend(() =>
      fail ? new Response(JSON.stringify({ message: "rate limited" }), { status: 429 }) : Response.json({ id: "re_msg_3" }),
    );
    const { id } = await orderWithEmail();
    const first = await sendJob("edgefront-emails", id);
    expect(first.retryMessages).toHaveLength(1);
    expect(await row(id)).toMatchObject({ status: "queued", attempts: 1, error: expect.stringContaining("429") });
    fail = false;
    await sendJob("edgefront-emails", id, resend, 2);
    expect(await row(id)).toMatchObject({ status: "sent", attempts: 2 });
    expect(sent.length).toBe(2);
  });

  it("marks jobs that reach the dead-letter queue as failed, visible to admins", async () => {
    const { id } = await orderWithEmail();
    await sendJob("edgefront-emails-dlq", id);
    expect(await row(id)).toMatchObject({ status: "failed" });
    const list = await (await call("/admin/api/notifications?status=failed", { headers: ADMIN })).json<{ items: { id: string }[] }>();
    expect(list.items.map((n) => n.id)).toContain(id);
  });

  it("sends through the send_email binding when no HTTP provider is configured", async () => {
    const { id } = await orderWithEmail();
    await sendJob("edgefront-emails", id, {});
    expect(await row(id)).toMatchObject({ status: "sent", provider: "send_email" });
  });

  it("sends the shipping update with the tracking number and a link to the order's tracking", async () => {
    const { orderId } = await orderWithEmail();
    await drain([stripeEvent("payment_intent.succeeded", orderId, `test_pi_${orderId}`), shippingEvent(orderId, "in_transit")]);
    // Rendered directly: the queued job may already be on its way through the local email queue.
    const email = await renderNotification(env, createDb(env.DB), "order.shipped", { orderId, trackingNumber: "1Z999" });
    expect(email.subject).toContain("on its way");
    expect(email.text).toContain("Tracking number: 1Z999");
    expect(email.text).toContain(`/orders/${orderId}?token=`);
    expect(email.html).toContain("Track your parcel");
    const link = /(\/orders\/[^\s#]+)#tracking/.exec(email.text)![1]!;
    const page = await (await call(link, { headers: { Accept: "text/html" } })).text();
    expect(page).toContain("1Z999");
    expect(page).toContain("in transit (Lisbon)");
  });

  it("keeps a sent email sent when a stray duplicate job is dead-lettered", async () => {
    interceptResend(() => Response.json({ id: "re_msg_dup" }));
    const { id } = await orderWithEmail();
    await sendJob("edgefront-emails", id);
    await sendJob("edgefront-emails-dlq", id);
    expect(await row(id)).toMatchObject({ status: "sent" });
  });
});
