import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createDb } from "../../src/db";
import { flashOf, signedIn } from "../helpers/admin-session";
import { checkoutBody, placeOrder, unique } from "../helpers/factories";
import { payOrder } from "../helpers/queues";
import { ADMIN, call, callJson } from "../helpers/worker";

interface OrderJson {
  status: string;
  refunded: { amount: number };
  total: { amount: number };
  shipments: { carrier: string; trackingNumber: string }[];
  refunds: { amount: { amount: number } }[];
}

const orderJson = async (id: string) => (await call(`/admin/api/orders/${id}`, { headers: ADMIN })).json<OrderJson>();
const onHand = async (sku: string) =>
  (await (await call(`/admin/api/inventory/${sku}`, { headers: ADMIN })).json<{ onHand: number }>()).onHand;

async function paidOrder(quantity = 2, email = `${unique("buyer")}@example.com`) {
  const o = await placeOrder(10, quantity, checkoutBody({ email }));
  await payOrder(o.orderId, o.paymentId);
  return { ...o, email };
}

describe("orders in the admin", () => {
  it("finds an order by the customer's email and by its number, and filters by status and date", async () => {
    const browser = await signedIn("viewer");
    const o = await paidOrder(1);
    const byEmail = await (await browser.get(`/admin/orders?q=${encodeURIComponent(o.email)}`)).text();
    expect(byEmail).toContain(`/admin/orders/${o.orderId}`);
    const byNumber = await (await browser.get(`/admin/orders?q=${o.orderId.slice(4)}`)).text();
    expect(byNumber).toContain(`/admin/orders/${o.orderId}`);
    const cancelled = await (await browser.get(`/admin/orders?q=${encodeURIComponent(o.email)}&status=cancelled`)).text();
    expect(cancelled).not.toContain(`/admin/orders/${o.orderId}`);
    const today = new Date().toISOString().slice(0, 10);
    expect(await (await browser.get(`/admin/orders?q=${encodeURIComponent(o.email)}&from=${today}&to=${today}`)).text()).toContain(
      o.orderId,
    );
    expect(await (await browser.get(`/admin/orders?q=${encodeURIComponent(o.email)}&to=2020-01-01`)).text()).not.toContain(
      `/admin/orders/${o.orderId}`,
    );
  });

  it("offers only the actions the order allows now", async () => {
    const browser = await signedIn("staff");
    const unpaid = await placeOrder(10, 1);
    const unpaidPage = await (await browser.get(`/admin/orders/${unpaid.orderId}`)).text();
    expect(unpaidPage).toContain("Cancel order");
    expect(unpaidPage).not.toContain("Mark shipped");
    expect(unpaidPage).not.toContain(">Refund<");
    const paid = await paidOrder(1);
    const paidPage = await (await browser.get(`/admin/orders/${paid.orderId}`)).text();
    expect(paidPage).toContain("Mark shipped");
    expect(paidPage).toContain(">Refund<");
    expect(paidPage).toContain("Cancel order");
    expect(paidPage).toContain("paid");
  });

  it("fulfils part of an order with tracking, then the rest, emailing the tracking link", async () => {
    const browser = await signedIn("staff");
    const o = await paidOrder(3);
    const first = await browser.post(`/admin/orders/${o.orderId}/fulfil`, {
      sku: o.sku,
      quantity: "1",
      carrier: "ups",
      trackingNumber: "1Z999",
      notify: "1",
    });
    expect(flashOf(first)?.kind).toBe("ok");
    expect((await orderJson(o.orderId)).status).toBe("paid");
    await browser.post(`/admin/orders/${o.orderId}/fulfil`, { sku: o.sku, quantity: "2", carrier: "dhl", trackingNumber: "JD0002" });
    const after = await orderJson(o.orderId);
    expect(after.status).toBe("shipped");
    expect(after.shipments.map((s) => [s.carrier, s.trackingNumber])).toEqual([
      ["ups", "1Z999"],
      ["dhl", "JD0002"],
    ]);
    const emails = await (await call(`/admin/api/notifications?orderId=${o.orderId}&type=order.shipped`, { headers: ADMIN })).json<{
      items: unknown[];
    }>();
    expect(emails.items).toHaveLength(1);
    const page = await (await browser.get(`/admin/orders/${o.orderId}`)).text();
    expect(page).not.toContain("Mark shipped");
    expect(page).not.toContain("Cancel order");
  });

  it("refunds once even when the refund form is sent twice", async () => {
    const browser = await signedIn("staff");
    const o = await paidOrder(2);
    const key = crypto.randomUUID().replace(/-/g, "");
    const fields = { amount: "7.50", reason: "late parcel", key };
    const first = await browser.post(`/admin/orders/${o.orderId}/refund`, fields);
    const second = await browser.post(`/admin/orders/${o.orderId}/refund`, fields);
    expect(flashOf(first)?.kind).toBe("ok");
    expect(flashOf(second)?.kind).toBe("ok");
    const after = await orderJson(o.orderId);
    expect(after.refunded.amount).toBe(750);
    expect(after.refunds).toHaveLength(1);
    const tooMuch = await browser.post(`/admin/orders/${o.orderId}/refund`, {
      amount: "9999",
      reason: "x",
      key: crypto.randomUUID().replace(/-/g, ""),
    });
    expect(flashOf(tooMuch)).toMatchObject({ kind: "error" });
    expect((await orderJson(o.orderId)).refunded.amount).toBe(750);
  });

  it("cancels a paid order from its page: refunded in full, stock back", async () => {
    const browser = await signedIn("staff");
    const o = await paidOrder(2);
    expect(await onHand(o.sku)).toBe(8);
    const res = await browser.post(`/admin/orders/${o.orderId}/cancel`, { reason: "customer asked" });
    expect(flashOf(res)?.kind).toBe("ok");
    const after = await orderJson(o.orderId);
    expect(after).toMatchObject({ status: "cancelled", refunded: { amount: after.total.amount } });
    expect(await onHand(o.sku)).toBe(10);
  });

  it("sends an order email again as a new notification", async () => {
    const browser = await signedIn("staff");
    const o = await paidOrder(1);
    const log = async () =>
      (
        await (
          await call(`/admin/api/notifications?orderId=${o.orderId}`, { headers: ADMIN })
        ).json<{ items: { id: string; type: string }[] }>()
      ).items;
    const before = await log();
    const confirmation = before.find((n) => n.type === "order.paid") ?? before[0]!;
    const res = await browser.post(`/admin/orders/${o.orderId}/emails/resend`, { id: confirmation.id });
    expect(flashOf(res)?.kind).toBe("ok");
    const after = await log();
    expect(after.length).toBe(before.length + 1);
    expect(after.filter((n) => n.type === confirmation.type)).toHaveLength(2);
    const foreign = await browser.post(`/admin/orders/${(await placeOrder(5, 1)).orderId}/emails/resend`, { id: confirmation.id });
    expect(flashOf(foreign)?.kind).toBe("error");
  });

  it("takes a return through approve, receive and refund from the returns page", async () => {
    const browser = await signedIn("staff");
    const o = await paidOrder(2);
    await callJson(`/admin/api/orders/${o.orderId}/fulfil`, "POST", { carrier: "ups", trackingNumber: `R${Date.now()}`, notify: false });
    const asked = await callJson(
      `/api/orders/${o.orderId}/returns?token=${encodeURIComponent(o.orderToken)}`,
      "POST",
      { lines: [{ sku: o.sku, quantity: 1 }], reason: "too small" },
      {},
    );
    const { id } = await asked.json<{ id: string }>();
    const list = await (await browser.get("/admin/returns?status=requested")).text();
    expect(list).toContain("too small");
    expect(flashOf(await browser.post(`/admin/returns/${id}/approve`, { note: "Use the prepaid label" }))?.kind).toBe("ok");
    expect(flashOf(await browser.post(`/admin/returns/${id}/refund`, {}))?.kind).toBe("error");
    expect(flashOf(await browser.post(`/admin/returns/${id}/receive`, {}))?.kind).toBe("ok");
    expect(await onHand(o.sku)).toBe(9);
    expect(flashOf(await browser.post(`/admin/returns/${id}/refund`, {}))?.kind).toBe("ok");
    expect((await orderJson(o.orderId)).refunded.amount).toBe(2500);
  });
});

describe("the dashboard", () => {
  it("counts today's paid sales live and lists orders to fulfil", async () => {
    const browser = await signedIn("viewer");
    const before = await (await browser.get("/admin")).text();
    const figure = (html: string) => Number(/aria-label="Today"[\s\S]*?class="stat">\$([\d,.]+)/.exec(html)?.[1]?.replace(/,/g, ""));
    const o = await paidOrder(2);
    const after = await (await browser.get("/admin")).text();
    expect(Math.round((figure(after) - figure(before)) * 100)).toBe(o.total);
    expect(after).toContain("<svg");
    expect(after).toContain("Paid sales per day net of refunds, last 30 days");
  });
});

describe("operations pages", () => {
  it("runs a job now and shows its last run", async () => {
    const browser = await signedIn("owner");
    const res = await browser.post("/admin/jobs/cleanup/run", {});
    expect(flashOf(res)?.text).toMatch(/ran/);
    const page = await (await browser.get("/admin/jobs")).text();
    expect(page).toMatch(/cleanup<\/td>\s*<td><span class="badge ok">ok<\/span>/);
  });

  it("lists failed webhook events and queues a replay", async () => {
    const browser = await signedIn("staff");
    const db = createDb(env.DB);
    const { webhookEvents } = await import("../../src/db/schema");
    const [row] = await db
      .insert(webhookEvents)
      .values({
        provider: "stripe",
        eventId: unique("evt"),
        type: "charge.refunded",
        status: "failed",
        message: { type: "stripe.event", event: { id: "x", type: "charge.refunded", data: { object: {} } } },
        error: "boom",
        receivedAt: new Date(),
        updatedAt: new Date(),
      })
      .returning();
    const page = await (await browser.get("/admin/events")).text();
    expect(page).toContain("stripe charge.refunded");
    const res = await browser.post(`/admin/events/webhooks/${row!.id}/replay`, {});
    expect(flashOf(res)?.kind).toBe("ok");
  });

  it("shows the effective settings without any secret's value", async () => {
    const browser = await signedIn("owner");
    const html = await (await browser.get("/admin/settings")).text();
    expect(html).toContain("SHOP_CURRENCY");
    expect(html).toContain("ADMIN_TOKEN");
    expect(html).not.toContain("test-admin-token");
    expect(html).not.toContain("test-session-secret");
    expect(html).not.toContain("whsec_test_secret");
  });

  it("lets an owner create a token in the page, showing the secret once", async () => {
    const browser = await signedIn("owner");
    const res = await browser.post("/admin/tokens", { name: "label printer", scopes: ["orders:read", "orders:write"] });
    expect(res.status, await res.clone().text()).toBe(200);
    const secret = /data-token[^>]*>\s*(eft_[A-Za-z0-9_-]+)/.exec(await res.text())?.[1];
    expect(secret).toBeDefined();
    expect((await call("/admin/api/orders", { headers: { Authorization: `Bearer ${secret}` } })).status).toBe(200);
    expect(await (await browser.get("/admin/staff")).text()).not.toContain(secret as string);
  });

  it("lets an owner add staff, change a role and disable them, ending their sessions", async () => {
    const owner = await signedIn("owner");
    const member = await signedIn("staff");
    const email = `${unique("new")}@shop.test`;
    expect(
      flashOf(await owner.post("/admin/staff", { email, name: "New Person", role: "viewer", password: "a perfectly fine password" }))?.kind,
    ).toBe("ok");
    expect(flashOf(await owner.post(`/admin/staff/${member.id}/role`, { role: "viewer" }))?.kind).toBe("ok");
    expect((await member.get("/admin")).status).toBe(303);
    expect(flashOf(await owner.post(`/admin/staff/${member.id}/disable`, {}))?.kind).toBe("ok");
  });

  it("lets anyone signed in change their own password, keeping this session and ending the others", async () => {
    const browser = await signedIn("viewer");
    const wrong = await browser.post("/admin/account/password", { current: "nope nope nope", password: "a brand new password" });
    expect(flashOf(wrong)?.kind).toBe("error");
    const ok = await browser.post("/admin/account/password", { current: "correct horse battery staple", password: "a brand new password" });
    expect(flashOf(ok)?.kind).toBe("ok");
    expect((await browser.get("/admin")).status).toBe(200);
  });
});
