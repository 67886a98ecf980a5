import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { addLine, checkout, makeCart, makeStockedProduct, placeOrder } from "../helpers/factories";
import { payOrder } from "../helpers/queues";
import { ADMIN, call, callJson } from "../helpers/worker";

interface OrderBody {
  status: string;
  fulfilmentStatus: string;
  shipments: { carrier: string; trackingNumber: string; trackingUrl: string | null; lines: { sku: string; quantity: number }[] }[];
  events: { kind: string; to: string }[];
}

const order = async (id: string) => (await call(`/admin/api/orders/${id}`, { headers: ADMIN })).json<OrderBody>();
const fulfil = (id: string, body: unknown) => callJson(`/admin/api/orders/${id}/fulfil`, "POST", body);
const shippedEmails = async (orderId: string) =>
  (
    await env.DB.prepare("select data from notifications where type = 'order.shipped' and json_extract(data, '$.orderId') = ?")
      .bind(orderId)
      .all<{ data: string }>()
  ).results.map((r) => JSON.parse(r.data) as { trackingUrl: string | null; trackingNumber: string });

/** A paid order of two SKUs (2 and 1 units). */
async function paidTwoLineOrder() {
  const a = await makeStockedProduct(10);
  const b = await makeStockedProduct(10);
  const cart = await makeCart();
  await addLine(cart, a.sku, 2);
  await addLine(cart, b.sku, 1);
  const placed = await (await checkout(cart)).json<{ orderId: string; payment: { id: string } }>();
  await payOrder(placed.orderId, placed.payment.id);
  return { orderId: placed.orderId, a: a.sku, b: b.sku };
}

describe("fulfilment", () => {
  it("ships part of an order, then the rest: partially fulfilled, then fulfilled and shipped, one email per shipment with the carrier's tracking link", async () => {
    const o = await paidTwoLineOrder();
    const first = await fulfil(o.orderId, { lines: [{ sku: o.a, quantity: 1 }], carrier: "ups", trackingNumber: "1Z 999" });
    expect(first.status).toBe(201);
    expect(await order(o.orderId)).toMatchObject({ status: "paid", fulfilmentStatus: "partially_fulfilled" });
    const second = await fulfil(o.orderId, { carrier: "dhl", trackingNumber: "JD0001" });
    expect(second.status).toBe(201);
    const after = await order(o.orderId);
    expect(after).toMatchObject({ status: "shipped", fulfilmentStatus: "fulfilled" });
    expect(after.shipments).toEqual([
      expect.objectContaining({
        carrier: "ups",
        trackingUrl: "https://www.ups.com/track?loc=en_US&tracknum=1Z%20999",
        lines: [{ sku: o.a, quantity: 1 }],
      }),
      expect.objectContaining({
        carrier: "dhl",
        trackingUrl: expect.stringContaining("tracking-id=JD0001"),
        lines: expect.arrayContaining([
          { sku: o.a, quantity: 1 },
          { sku: o.b, quantity: 1 },
        ]),
      }),
    ]);
    expect(after.events.filter((e) => e.kind === "status").map((e) => e.to)).toEqual(["pending_payment", "paid", "fulfilled", "shipped"]);
    expect(after.events.filter((e) => e.kind === "shipment")).toHaveLength(2);
    const mails = await shippedEmails(o.orderId);
    expect(mails.map((m) => m.trackingNumber).sort()).toEqual(["1Z 999", "JD0001"]);
  });

  it("uses a custom tracking URL for other carriers, and sends no email when told not to", async () => {
    const o = await paidTwoLineOrder();
    await fulfil(o.orderId, {
      carrier: "acme-freight",
      trackingNumber: "AF-1",
      trackingUrl: "https://track.acme.test/AF-1",
      notify: false,
    });
    expect((await order(o.orderId)).shipments[0]).toMatchObject({ trackingUrl: "https://track.acme.test/AF-1" });
    expect(await shippedEmails(o.orderId)).toEqual([]);
  });

  it("refuses to ship more than is owed, unpaid orders, and bad bodies, writing nothing", async () => {
    const o = await paidTwoLineOrder();
    const tooMany = await fulfil(o.orderId, { lines: [{ sku: o.a, quantity: 3 }], carrier: "ups", trackingNumber: "1" });
    expect(tooMany.status).toBe(409);
    expect(await tooMany.json()).toMatchObject({ code: "exceeds_unfulfilled" });
    for (const body of [
      {},
      { carrier: "ups" },
      { carrier: "", trackingNumber: "1" },
      { carrier: "ups", trackingNumber: "1", trackingUrl: "javascript:alert(1)" },
      { carrier: "ups", trackingNumber: "1", lines: [{ sku: o.a, quantity: 0 }] },
    ]) {
      expect((await fulfil(o.orderId, body)).status, JSON.stringify(body)).toBe(400);
    }
    expect((await fulfil(o.orderId, { lines: [{ sku: "NOPE", quantity: 1 }], carrier: "ups", trackingNumber: "1" })).status).toBe(400);
    expect(await order(o.orderId)).toMatchObject({ fulfilmentStatus: "unfulfilled", shipments: [] });
    const unpaid = await placeOrder(5, 1);
    expect((await fulfil(unpaid.orderId, { carrier: "ups", trackingNumber: "1" })).status).toBe(409);
  });

  it("lets only one of two shipments racing for the same units through", async () => {
    const o = await paidTwoLineOrder();
    const body = { lines: [{ sku: o.a, quantity: 2 }], carrier: "ups", trackingNumber: "R1" };
    const [x, y] = await Promise.all([fulfil(o.orderId, body), fulfil(o.orderId, { ...body, trackingNumber: "R2" })]);
    expect([x.status, y.status].sort()).toEqual([201, 409]);
    expect((await order(o.orderId)).shipments).toHaveLength(1);
  });
});
