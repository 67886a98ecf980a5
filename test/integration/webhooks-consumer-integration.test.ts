import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { failingBatches } from "../helpers/d1-faults";
import { addLine, checkout, makeCart, makeStockedProduct } from "../helpers/factories";
import { drain, shippingEvent, shuffle, stripeEvent } from "../helpers/queues";
import { ADMIN, call } from "../helpers/worker";

async function placeOrder(stock: number, quantity: number) {
  const { sku } = await makeStockedProduct(stock);
  const cart = await makeCart();
  await addLine(cart, sku, quantity);
  const body = await (await checkout(cart)).json<{ orderId: string; payment: { id: string } }>();
  return { sku, orderId: body.orderId, paymentId: body.payment.id };
}

const statusOf = async (orderId: string) =>
  (await env.DB.prepare("select status from orders where id = ?").bind(orderId).first<{ status: string }>())!.status;
const stock = (sku: string) => env.INVENTORY.getByName(sku).snapshot();
/** The emails queued about an order after it was placed (the order-received email is checked with checkout). */
const notificationTypes = async (orderId: string) =>
  (
    await env.DB.prepare(
      "select type from notifications where json_extract(data, '$.orderId') = ? and type != 'order.received' order by type",
    )
      .bind(orderId)
      .all<{ type: string }>()
  ).results.map((r) => r.type);

describe("webhook consumer", () => {
  it("applies each event once when every event arrives three times in shuffled order", async () => {
    const paid = await placeOrder(10, 2);
    const failed = await placeOrder(10, 3);
    const refunded = await placeOrder(10, 4);
    const events = [
      stripeEvent("payment_intent.succeeded", paid.orderId, paid.paymentId),
      stripeEvent("payment_intent.payment_failed", failed.orderId, failed.paymentId),
      stripeEvent("payment_intent.succeeded", refunded.orderId, refunded.paymentId),
      stripeEvent("charge.refunded", refunded.orderId, refunded.paymentId),
    ];
    const deliveries = shuffle(
      events.flatMap((e) => [e, e, e].map((x) => ({ ...x, id: crypto.randomUUID() }))),
      7,
    );
    const { deadLettered } = await drain(deliveries);
    expect(deadLettered).toEqual([]);

    expect(await statusOf(paid.orderId)).toBe("paid");
    expect(await stock(paid.sku)).toMatchObject({ onHand: 8, reserved: 0 });
    expect(await statusOf(failed.orderId)).toBe("cancelled");
    expect(await stock(failed.sku)).toMatchObject({ onHand: 10, reserved: 0, available: 10 });
    expect(await statusOf(refunded.orderId)).toBe("refunded");
    expect(await stock(refunded.sku)).toMatchObject({ onHand: 10, reserved: 0 });

    expect(await notificationTypes(paid.orderId)).toEqual(["order.confirmation"]);
    expect(await notificationTypes(failed.orderId)).toEqual([]);
    expect(await notificationTypes(refunded.orderId)).toEqual(["order.confirmation", "order.refunded"]);
    const applied = await env.DB.prepare("select count(*) as n from webhook_events where order_id in (?, ?, ?)")
      .bind(paid.orderId, failed.orderId, refunded.orderId)
      .first<{ n: number }>();
    expect(applied!.n).toBe(4);
  });

  it("ignores a backward move (a failure reported after the payment succeeded)", async () => {
    const order = await placeOrder(5, 1);
    await drain([stripeEvent("payment_intent.succeeded", order.orderId, order.paymentId)]);
    await drain([stripeEvent("payment_intent.payment_failed", order.orderId, order.paymentId, "evt_late_failure")]);
    expect(await statusOf(order.orderId)).toBe("paid");
    const row = await env.DB.prepare("select status from webhook_events where event_id = 'evt_late_failure'").first();
    expect(row).toEqual({ status: "ignored" });
  });

  it("retries an event for an order it cannot see yet, then dead-letters it where admins can replay it", async () => {
    const ghost = `ord_${"9".repeat(24)}`;
    const { deadLettered } = await drain([stripeEvent("payment_intent.succeeded", ghost, "pi_ghost", "evt_for_ghost")], { maxRetries: 2 });
    expect(deadLettered).toHaveLength(1);
    const list = await (await call("/admin/api/webhook-events?status=failed", { headers: ADMIN })).json<{
      items: { id: number; eventId: string }[];
    }>();
    const failed = list.items.find((e) => e.eventId === "evt_for_ghost");
    expect(failed).toBeDefined();
    const replay = await call(`/admin/api/webhook-events/${failed!.id}/replay`, { method: "POST", headers: ADMIN });
    expect(replay.status).toBe(202);
    expect((await call(`/admin/api/webhook-events/${failed!.id}/replay`, { method: "POST", headers: ADMIN })).status).toBe(409);
  });

  it("loses no event when D1 fails for a share of deliveries", async () => {
    const orders = await Promise.all([1, 2, 3, 4, 5, 6].map(() => placeOrder(10, 1)));
    const events = orders.map((o) => stripeEvent("payment_intent.succeeded", o.orderId, o.paymentId));
    let calls = 0;
    // Every other batch (the writes that apply an event) fails, as in a D1 outage.
    const flaky = failingBatches(env.DB, () => calls++ % 2 === 0);
    const { deadLettered } = await drain(shuffle([...events, ...events].map((e) => ({ ...e, id: crypto.randomUUID() }))), {
      batchSize: 3,
      maxRetries: 4,
      overrides: () => ({ DB: flaky }),
    });
    for (const [i, o] of orders.entries()) {
      const eventId = (events[i]!.body as { event: { id: string } }).event.id;
      const row = await env.DB.prepare("select status from webhook_events where event_id = ?").bind(eventId).first<{ status: string }>();
      // Applied (paid, once) or, if it ran out of retries, stored as failed for replay: never lost.
      if (row?.status === "failed") expect(deadLettered.length).toBeGreaterThan(0);
      else {
        expect(row?.status).toBe("processed");
        expect(await statusOf(o.orderId)).toBe("paid");
        expect((await stock(o.sku)).onHand).toBe(9);
      }
    }
  });

  it("moves a paid order through shipped to delivered from carrier events, emailing once per step", async () => {
    const order = await placeOrder(5, 1);
    await drain([stripeEvent("payment_intent.succeeded", order.orderId, order.paymentId)]);
    const transit = shippingEvent(order.orderId, "in_transit");
    await drain(shuffle([transit, { ...transit, id: crypto.randomUUID() }, shippingEvent(order.orderId, "out_for_delivery")]));
    expect(await statusOf(order.orderId)).toBe("shipped");
    await drain([shippingEvent(order.orderId, "delivered"), shippingEvent(order.orderId, "delivered")]);
    expect(await statusOf(order.orderId)).toBe("delivered");
    const steps = (
      await env.DB.prepare("select to_status from order_events where order_id = ? and applied = 1 order by id")
        .bind(order.orderId)
        .all<{ to_status: string }>()
    ).results.map((r) => r.to_status);
    expect(steps).toEqual(["pending_payment", "paid", "fulfilled", "shipped", "delivered"]);
    const tracking = await env.DB.prepare("select count(*) as n from shipment_events where order_id = ?")
      .bind(order.orderId)
      .first<{ n: number }>();
    expect(tracking!.n).toBe(4);
    expect(await notificationTypes(order.orderId)).toEqual(["order.confirmation", "order.delivered", "order.shipped"]);
  });

  it("ignores a carrier event for an order that is not paid (it cannot have shipped)", async () => {
    const order = await placeOrder(5, 1);
    const { deadLettered } = await drain([shippingEvent(order.orderId, "in_transit")], { maxRetries: 1 });
    expect(deadLettered).toEqual([]);
    expect(await statusOf(order.orderId)).toBe("pending_payment");
  });

  it("applies a dead-lettered event when an admin replays it after the outage", async () => {
    const order = await placeOrder(5, 1);
    const down = failingBatches(env.DB, () => true);
    const event = stripeEvent("payment_intent.succeeded", order.orderId, order.paymentId, `evt_outage_${order.orderId}`);
    const { deadLettered } = await drain([event], { maxRetries: 1, overrides: () => ({ DB: down }) });
    expect(deadLettered).toHaveLength(1);
    const failed = await env.DB.prepare("select id from webhook_events where event_id = ? and status = 'failed'")
      .bind(`evt_outage_${order.orderId}`)
      .first<{ id: number }>();
    expect(failed).not.toBeNull();
    expect(await statusOf(order.orderId)).toBe("pending_payment");

    expect((await call(`/admin/api/webhook-events/${failed!.id}/replay`, { method: "POST", headers: ADMIN })).status).toBe(202);
    await expect.poll(() => statusOf(order.orderId), { timeout: 10_000, interval: 200 }).toBe("paid");
  });

  it("records a partial refund without refunding the order or restocking", async () => {
    const order = await placeOrder(5, 2);
    await drain([stripeEvent("payment_intent.succeeded", order.orderId, order.paymentId)]);
    await drain([
      stripeEvent("charge.refunded", order.orderId, order.paymentId, `evt_partial_${order.orderId}`, {
        refunded: false,
        amount: 5000,
        amount_refunded: 500,
      }),
    ]);
    expect(await statusOf(order.orderId)).toBe("paid");
    expect((await stock(order.sku)).onHand).toBe(3);
    expect(
      await env.DB.prepare("select status from webhook_events where event_id = ?").bind(`evt_partial_${order.orderId}`).first(),
    ).toEqual({ status: "processed" });
  });

  it("refunds a payment that succeeds for an order already cancelled, instead of dropping it", async () => {
    const order = await placeOrder(5, 1);
    await drain([stripeEvent("payment_intent.payment_failed", order.orderId, order.paymentId)]);
    expect(await statusOf(order.orderId)).toBe("cancelled");
    await drain([stripeEvent("payment_intent.succeeded", order.orderId, order.paymentId, `evt_paid_late_${order.orderId}`)]);
    expect(await statusOf(order.orderId)).toBe("cancelled");
    expect((await stock(order.sku)).onHand).toBe(5);
    expect(
      await env.DB.prepare("select status from webhook_events where event_id = ?").bind(`evt_paid_late_${order.orderId}`).first(),
    ).toEqual({ status: "ignored" });
  });

  it("never matches a charge with neither order id nor payment intent to some other order", async () => {
    const order = await placeOrder(5, 1);
    await drain([stripeEvent("payment_intent.succeeded", order.orderId, order.paymentId)]);
    const orphan = stripeEvent("charge.refunded", order.orderId, order.paymentId, `evt_orphan_${order.orderId}`);
    const event = (orphan.body as { event: { data: { object: Record<string, unknown> } } }).event;
    event.data.object = { id: "ch_legacy", object: "charge", payment_intent: null, metadata: {}, refunded: true };
    await drain([orphan]);
    expect(await statusOf(order.orderId)).toBe("paid");
  });

  it("on refund, releases units still only held instead of restocking them", async () => {
    const order = await placeOrder(5, 2);
    // Paid, but the commits never ran (a crash): the units are still a live hold.
    await env.DB.prepare("update orders set status = 'paid' where id = ?").bind(order.orderId).run();
    await drain([stripeEvent("charge.refunded", order.orderId, order.paymentId)]);
    expect(await statusOf(order.orderId)).toBe("refunded");
    expect(await stock(order.sku)).toMatchObject({ onHand: 5, reserved: 0, available: 5 });
  });
});
