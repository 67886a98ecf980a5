import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { Browser } from "../helpers/browser";
import { placeOrder } from "../helpers/factories";
import { payOrder } from "../helpers/queues";
import { ADMIN, call, callJson } from "../helpers/worker";

const ORIGIN = "https://shop.test";

/** A paid, shipped order of `quantity` units (shipment recorded `daysAgo` days ago). */
async function shippedOrder(quantity: number, daysAgo = 0) {
  const o = await placeOrder(10, quantity);
  await payOrder(o.orderId, o.paymentId);
  const res = await callJson(`/admin/api/orders/${o.orderId}/fulfil`, "POST", { carrier: "ups", trackingNumber: "1Z1", notify: false });
  expect(res.status).toBe(201);
  if (daysAgo) {
    const at = Date.now() - daysAgo * 86_400_000;
    await env.DB.batch([
      env.DB.prepare("update shipments set created_at = ? where order_id = ?").bind(at, o.orderId),
      env.DB.prepare("update order_events set at = ? where order_id = ? and to_status = 'shipped'").bind(at, o.orderId),
    ]);
  }
  return o;
}

const ask = (o: { orderId: string; orderToken: string }, body: unknown) =>
  callJson(`/api/orders/${o.orderId}/returns?token=${encodeURIComponent(o.orderToken)}`, "POST", body, {});
const admin = (path: string, body?: unknown) => callJson(`/admin/api/returns${path}`, "POST", body ?? {});
const stock = (sku: string) => env.INVENTORY.getByName(sku).snapshot();
const emailTypes = async (orderId: string) =>
  (
    await env.DB.prepare(
      "select type from notifications where type like 'return.%' and json_extract(data, '$.orderId') = ? order by created_at",
    )
      .bind(orderId)
      .all<{ type: string }>()
  ).results.map((r) => r.type);

describe("returns", () => {
  it("takes a request, and staff approve, receive (restocking) and refund it, each step on the timeline and emailed once", async () => {
    const o = await shippedOrder(3);
    const req = await ask(o, { lines: [{ sku: o.sku, quantity: 2 }], reason: "Too small" });
    expect(req.status).toBe(201);
    const created = await req.json<{ id: string; status: string; lines: unknown }>();
    expect(created).toMatchObject({ status: "requested", lines: [{ sku: o.sku, quantity: 2 }] });
    const listed = await (await call("/admin/api/returns?status=requested", { headers: ADMIN })).json<{ items: { id: string }[] }>();
    expect(listed.items.map((r) => r.id)).toContain(created.id);

    expect((await admin(`/${created.id}/approve`, { note: "Use the enclosed label." })).status).toBe(200);
    expect((await admin(`/${created.id}/approve`)).status).toBe(409);
    expect((await stock(o.sku)).onHand).toBe(7);
    expect(await (await admin(`/${created.id}/receive`)).json()).toMatchObject({ status: "received" });
    expect((await stock(o.sku)).onHand).toBe(9);
    const refunded = await admin(`/${created.id}/refund`);
    expect(refunded.status).toBe(201);
    expect(await refunded.json()).toMatchObject({ return: { status: "refunded" }, refund: { amount: { amount: 5000 } } });
    // Received units were restocked once; the refund does not restock them again.
    expect((await stock(o.sku)).onHand).toBe(9);
    expect(await emailTypes(o.orderId)).toEqual(["return.approved", "return.received"]);
    const detail = await (await call(`/admin/api/orders/${o.orderId}`, { headers: ADMIN })).json<{
      events: { kind: string }[];
      paymentStatus: string;
    }>();
    expect(detail.events.filter((e) => e.kind === "return")).toHaveLength(4);
    expect(detail.paymentStatus).toBe("partially_refunded");
  });

  it("refuses a request outside RETURN_WINDOW_DAYS with 409", async () => {
    const o = await shippedOrder(1, 31);
    const res = await ask(o, { lines: [{ sku: o.sku, quantity: 1 }], reason: "Changed my mind" });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ code: "return_window_closed" });
    const longer = await call(
      `/api/orders/${o.orderId}/returns?token=${encodeURIComponent(o.orderToken)}`,
      {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ lines: [{ sku: o.sku, quantity: 1 }], reason: "x" }),
      },
      { RETURN_WINDOW_DAYS: "60" },
    );
    expect(longer.status).toBe(201);
  });

  it("refuses unshipped orders, more units than shipped, a wrong token and bad bodies, writing nothing", async () => {
    const unshipped = await placeOrder(5, 1);
    expect((await ask(unshipped, { lines: [{ sku: unshipped.sku, quantity: 1 }], reason: "x" })).status).toBe(409);
    const o = await shippedOrder(2);
    expect((await ask(o, { lines: [{ sku: o.sku, quantity: 3 }], reason: "x" })).status).toBe(409);
    expect(
      (await callJson(`/api/orders/${o.orderId}/returns?token=wrong`, "POST", { lines: [{ sku: o.sku, quantity: 1 }], reason: "x" }, {}))
        .status,
    ).toBe(404);
    for (const body of [
      {},
      { lines: [], reason: "x" },
      { lines: [{ sku: o.sku, quantity: 1 }] },
      { lines: [{ sku: o.sku, quantity: -1 }], reason: "x" },
      { lines: [{ sku: o.sku, quantity: 1 }], reason: "x", extra: 1 },
    ]) {
      const res = await ask(o, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.headers.get("Content-Type")).toBe("application/problem+json");
    }
    const count = await env.DB.prepare("select count(*) as n from returns where order_id = ?").bind(o.orderId).first<{ n: number }>();
    expect(count!.n).toBe(0);
  });

  it("lets staff reject with a reason, after which the units can be asked back again", async () => {
    const o = await shippedOrder(1);
    const { id } = await (await ask(o, { lines: [{ sku: o.sku, quantity: 1 }], reason: "Broken" })).json<{ id: string }>();
    expect((await ask(o, { lines: [{ sku: o.sku, quantity: 1 }], reason: "Again" })).status).toBe(409);
    expect((await admin(`/${id}/reject`, {})).status).toBe(400);
    expect(await (await admin(`/${id}/reject`, { note: "Used items cannot be returned." })).json()).toMatchObject({
      status: "rejected",
      note: "Used items cannot be returned.",
    });
    expect((await admin(`/${id}/receive`)).status).toBe(409);
    expect((await ask(o, { lines: [{ sku: o.sku, quantity: 1 }], reason: "Really broken" })).status).toBe(201);
  });

  it("offers the return form on the order page and takes a request from it", async () => {
    const o = await shippedOrder(2);
    const browser = new Browser();
    const page = await browser.page(`/orders/${o.orderId}?token=${encodeURIComponent(o.orderToken)}`);
    expect(page).toContain("Return items");
    const posted = await browser.post(
      `/orders/${o.orderId}/returns`,
      { token: o.orderToken, [`qty:${o.sku}`]: "1", reason: "Wrong colour" },
      ORIGIN,
    );
    expect(posted.status).toBe(303);
    const after = await browser.page(posted.headers.get("Location")!);
    expect(after).toContain("we have your return request");
    expect(after).toContain("Requested");
    const empty = await browser.post(`/orders/${o.orderId}/returns`, { token: o.orderToken, reason: "" }, ORIGIN);
    expect(empty.status).toBe(400);
  });
});
