import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { Browser, csrfOf, idempotencyKeyOf as keyOf } from "../helpers/browser";
import { makeStockedProduct, placeOrder } from "../helpers/factories";
import { drain, sessionEvent, shuffle, stripeEvent } from "../helpers/queues";

const statusOf = async (orderId: string) =>
  (await env.DB.prepare("select status from orders where id = ?").bind(orderId).first<{ status: string }>())!.status;
const stock = (sku: string) => env.INVENTORY.getByName(sku).snapshot();
const emails = async (orderId: string) =>
  (
    await env.DB.prepare("select type from notifications where json_extract(data, '$.orderId') = ? order by type")
      .bind(orderId)
      .all<{ type: string }>()
  ).results.map((r) => r.type);

const address = {
  email: "grace@example.com",
  name: "Grace Hopper",
  line1: "1 Harbour Rd",
  city: "Lisbon",
  postalCode: "1000-001",
  country: "PT",
};

/** A browser with one product in its cart, through checkout to the test provider's page. */
async function toPaymentPage(quantity = 2) {
  const { sku } = await makeStockedProduct(5);
  const browser = new Browser();
  await browser.post("/cart/lines", { sku, quantity: String(quantity) });
  const form = await browser.page("/checkout");
  const placed = await browser.post("/checkout", {
    ...address,
    _csrf: csrfOf(form),
    idempotencyKey: keyOf(form),
    shippingMethod: "eu-standard",
  });
  expect(placed.status).toBe(303);
  const payPath = new URL(placed.headers.get("Location")!).pathname;
  const page = await browser.page(payPath);
  const orderId = /ord_[0-9a-f]{24}/.exec(page)![0];
  return { browser, sku, payPath, page, orderId };
}

describe("paying on the test provider's page", () => {
  it("pays through a signed event on the webhook queue; the order page shows processing, then paid", async () => {
    const { browser, sku, payPath, page, orderId } = await toPaymentPage();
    expect(page).toContain("Pay $65.00");
    expect(await emails(orderId)).toEqual(["order.received"]);
    const paid = await browser.post(payPath, { outcome: "pay" });
    expect(paid.status).toBe(303);
    expect(paid.headers.get("Location")).toBe(`/checkout/return?order=${orderId}`);
    const back = await browser.request(paid.headers.get("Location")!);
    const orderPath = back.headers.get("Location")!;
    // The real local queue applies the event; the order becomes paid and the units are sold.
    await expect.poll(() => statusOf(orderId), { timeout: 10_000, interval: 200 }).toBe("paid");
    expect(await stock(sku)).toMatchObject({ onHand: 3, reserved: 0 });
    const order = await browser.page(orderPath);
    expect(order).toContain("Paid — we are preparing your order");
    expect(await emails(orderId)).toEqual(["order.confirmation", "order.received"]);
    const events = await env.DB.prepare("select type, status from webhook_events where order_id = ?").bind(orderId).all();
    expect(events.results).toEqual([{ type: "checkout.session.completed", status: "processed" }]);
  });

  it("declining cancels the order, releases the hold and puts the same lines back in the cart", async () => {
    const { browser, sku, payPath, orderId } = await toPaymentPage(3);
    expect((await stock(sku)).reserved).toBe(3);
    const declined = await browser.post(payPath, { outcome: "decline" });
    const cancel = declined.headers.get("Location")!;
    expect(cancel).toMatch(new RegExp(`^/checkout/cancel\\?order=${orderId}&sig=[^&]+&reason=declined$`));
    const back = await browser.request(cancel);
    expect(back.headers.get("Location")).toBe("/cart?notice=payment-cancelled");
    expect(await statusOf(orderId)).toBe("cancelled");
    expect(await stock(sku)).toMatchObject({ reserved: 0, available: 5 });
    const cart = await browser.page("/cart?notice=payment-cancelled");
    expect(cart).toContain("Your payment was not completed");
    expect(cart).toMatch(/value="3"/);
    const reason = await env.DB.prepare("select cancel_reason from orders where id = ?").bind(orderId).first();
    expect(reason).toEqual({ cancel_reason: "payment declined" });
  });

  it("refuses to cancel an order from a link that is not its payment page's (another browser, or no signature)", async () => {
    const { browser, payPath, orderId } = await toPaymentPage(1);
    const cancelLink = (await browser.post(payPath, { outcome: "decline" })).headers.get("Location")!;
    const stranger = new Browser();
    expect((await stranger.request(cancelLink)).headers.get("Location")).toBe("/cart");
    // A link forged on another site reaches this browser's cookie, but not the signature.
    expect((await browser.request(`/checkout/cancel?order=${orderId}`)).headers.get("Location")).toBe("/cart");
    expect(await statusOf(orderId)).toBe("pending_payment");
  });
});

describe("Checkout Session events", () => {
  it("applies each session event once when every event arrives three times in shuffled order", async () => {
    const completed = await placeOrder(10, 1);
    const expired = await placeOrder(10, 2);
    const asyncPaid = await placeOrder(10, 3);
    const asyncFailed = await placeOrder(10, 4);
    const events = [
      sessionEvent("checkout.session.completed", completed.orderId, completed.paymentId, { payment_status: "paid" }),
      sessionEvent("checkout.session.expired", expired.orderId, expired.paymentId, { status: "expired" }),
      sessionEvent("checkout.session.completed", asyncPaid.orderId, asyncPaid.paymentId, { payment_status: "unpaid" }),
      sessionEvent("checkout.session.async_payment_succeeded", asyncPaid.orderId, asyncPaid.paymentId, { payment_status: "paid" }),
      sessionEvent("checkout.session.completed", asyncFailed.orderId, asyncFailed.paymentId, { payment_status: "unpaid" }),
      sessionEvent("checkout.session.async_payment_failed", asyncFailed.orderId, asyncFailed.paymentId, { payment_status: "unpaid" }),
    ];
    const { deadLettered } = await drain(
      shuffle(
        events.flatMap((e) => [e, e, e].map((x) => ({ ...x, id: crypto.randomUUID() }))),
        11,
      ),
    );
    expect(deadLettered).toEqual([]);
    expect(await statusOf(completed.orderId)).toBe("paid");
    expect(await stock(completed.sku)).toMatchObject({ onHand: 9, reserved: 0 });
    expect(await statusOf(expired.orderId)).toBe("cancelled");
    expect(await stock(expired.sku)).toMatchObject({ onHand: 10, reserved: 0 });
    expect(await statusOf(asyncPaid.orderId)).toBe("paid");
    expect(await stock(asyncPaid.sku)).toMatchObject({ onHand: 7, reserved: 0 });
    expect(await statusOf(asyncFailed.orderId)).toBe("cancelled");
    expect(await stock(asyncFailed.sku)).toMatchObject({ onHand: 10, reserved: 0 });
    for (const o of [completed, asyncPaid]) expect((await emails(o.orderId)).filter((t) => t === "order.confirmation")).toHaveLength(1);
    const rows = await env.DB.prepare("select count(*) as n from webhook_events where order_id in (?, ?, ?, ?)")
      .bind(completed.orderId, expired.orderId, asyncPaid.orderId, asyncFailed.orderId)
      .first<{ n: number }>();
    expect(rows!.n).toBe(events.length);
    const intent = await env.DB.prepare("select payment_intent_id from orders where id = ?").bind(completed.orderId).first();
    expect(intent).toEqual({ payment_intent_id: `pi_${completed.paymentId}` });
  });

  it("never cancels a paid order when a late failure or expiry arrives", async () => {
    const order = await placeOrder(5, 1);
    await drain([sessionEvent("checkout.session.completed", order.orderId, order.paymentId, { payment_status: "paid" })]);
    await drain([
      sessionEvent("checkout.session.expired", order.orderId, order.paymentId),
      stripeEvent("payment_intent.payment_failed", order.orderId, `pi_${order.paymentId}`),
    ]);
    expect(await statusOf(order.orderId)).toBe("paid");
  });
});
