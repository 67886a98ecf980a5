import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { checkoutBody, placeOrder, unique } from "../helpers/factories";
import { payOrder } from "../helpers/queues";
import { ADMIN, call, callJson, VIEWER } from "../helpers/worker";

afterEach(() => vi.restoreAllMocks());

interface Summary {
  id: string;
  email: string;
  name: string;
  ordersCount: number;
  lifetimeValue: { amount: number; currency: string };
  averageOrderValue: { amount: number; currency: string };
  firstOrderAt: string | null;
  lastOrderAt: string | null;
  segment: string | null;
}

const search = async (q: string) =>
  (await (await call(`/admin/api/customers?q=${encodeURIComponent(q)}`, { headers: ADMIN })).json<{ items: Summary[] }>()).items;
const detail = (id: string) => call(`/admin/api/customers/${id}`, { headers: ADMIN });
const refund = (orderId: string, body: unknown) => callJson(`/admin/api/orders/${orderId}/refund`, "POST", body);

/** A paid order for `email` (one line, Oregon: no sales tax; 25.00 a unit, shipping 5.00). */
async function paidOrder(email: string, quantity = 1, name = "Ada Shopper") {
  const placed = await placeOrder(
    10,
    quantity,
    checkoutBody({ email, shippingAddress: { ...checkoutBody().shippingAddress, name, country: "US", region: "OR", postalCode: "97201" } }),
  );
  await payOrder(placed.orderId, placed.paymentId);
  return placed;
}

describe("customer records", () => {
  it("keeps one customer per trimmed, lower-cased email; plus tags and dots stay separate people", async () => {
    const base = unique("mia");
    await placeOrder(5, 1, checkoutBody({ email: `${base.toUpperCase()}@Example.com` }));
    await placeOrder(5, 1, checkoutBody({ email: `${base}@example.com` }));
    await placeOrder(5, 1, checkoutBody({ email: `${base}+shop@example.com` }));
    const found = await search(base);
    expect(found.map((c) => c.email).sort()).toEqual([`${base}+shop@example.com`, `${base}@example.com`]);
    // Unpaid orders count for nothing yet.
    expect(found.every((c) => c.ordersCount === 0 && c.lifetimeValue.amount === 0)).toBe(true);
  });

  it("keeps order count, lifetime value and average in step as orders are paid and refunded", async () => {
    const email = `${unique("ltv")}@example.com`;
    const first = await paidOrder(email, 1); // 30.00
    const second = await paidOrder(email, 3); // 80.00
    await placeOrder(5, 1, checkoutBody({ email })); // never paid
    let [c] = await search(email);
    expect(c).toMatchObject({ ordersCount: 2, lifetimeValue: { amount: first.total + second.total, currency: "USD" } });
    expect(c!.averageOrderValue.amount).toBe(Math.round((first.total + second.total) / 2));
    expect(c!.firstOrderAt).not.toBeNull();
    expect(Date.parse(c!.lastOrderAt!)).toBeGreaterThanOrEqual(Date.parse(c!.firstOrderAt!));
    expect((await refund(second.orderId, { amount: 1234, reason: "scratched" })).status).toBe(201);
    [c] = await search(email);
    expect(c!.lifetimeValue.amount).toBe(first.total + second.total - 1234);
    expect((await refund(first.orderId, { reason: "changed mind" })).status).toBe(201);
    [c] = await search(email);
    expect(c!.lifetimeValue.amount).toBe(second.total - 1234);
    expect(c!.ordersCount).toBe(2);
  });

  it("fills a missing name from checkout but never rewrites one the customer has", async () => {
    const email = `${unique("name")}@example.com`;
    await placeOrder(5, 1, checkoutBody({ email, shippingAddress: { ...checkoutBody().shippingAddress, name: "Real Name" } }));
    await placeOrder(5, 1, checkoutBody({ email, shippingAddress: { ...checkoutBody().shippingAddress, name: "Someone Else" } }));
    expect((await search(email))[0]!.name).toBe("Real Name");
  });
});

describe("merging duplicates", () => {
  it("moves orders and figures to the survivor with an audit row; repeating it changes nothing", async () => {
    const survivorEmail = `${unique("keep")}@example.com`;
    const dupEmail = `${unique("dup")}@example.com`;
    const a = await paidOrder(survivorEmail, 1);
    const b = await paidOrder(dupEmail, 2);
    const [survivor] = await search(survivorEmail);
    const [dup] = await search(dupEmail);
    const merged = await callJson(`/admin/api/customers/${survivor!.id}/merge`, "POST", { from: dupEmail });
    expect(merged.status, await merged.clone().text()).toBe(200);
    const body = await merged.json<{ merged: boolean; customer: Summary & { orders: { id: string }[]; merged: { email: string }[] } }>();
    expect(body.merged).toBe(true);
    expect(body.customer).toMatchObject({ ordersCount: 2, lifetimeValue: { amount: a.total + b.total } });
    expect(body.customer.orders.map((o) => o.id).sort()).toEqual([a.orderId, b.orderId].sort());
    expect(body.customer.merged.map((m) => m.email)).toEqual([dupEmail]);
    expect(await search(dupEmail)).toEqual([]);

    for (const from of [dupEmail, dup!.id]) {
      const again = await callJson(`/admin/api/customers/${survivor!.id}/merge`, "POST", { from });
      expect(again.status).toBe(200);
      expect(await again.json()).toMatchObject({
        merged: false,
        customer: { ordersCount: 2, lifetimeValue: { amount: a.total + b.total } },
      });
    }
    const audits = await env.DB.prepare(
      "select count(*) as n from audit_log where entity = 'customers' and action = 'merge' and entity_id = ?",
    )
      .bind(survivor!.id)
      .first<{ n: number }>();
    expect(audits!.n).toBe(1);
    // The duplicate's email now finds the survivor: a later checkout and its payment land there.
    const c = await paidOrder(dupEmail, 1);
    const after = await (await detail(survivor!.id)).json<Summary & { orders: { id: string }[] }>();
    expect(after.orders.map((o) => o.id)).toContain(c.orderId);
    expect(after.lifetimeValue.amount).toBe(a.total + b.total + c.total);
    expect((await detail(dup!.id)).status).toBe(409);
  });

  it("refuses a merge into itself, of an unknown customer, or without the right", async () => {
    const email = `${unique("self")}@example.com`;
    await paidOrder(email);
    const [c] = await search(email);
    const self = await callJson(`/admin/api/customers/${c!.id}/merge`, "POST", { from: email });
    expect(self.status).toBe(400);
    expect(await self.json()).toMatchObject({ code: "same_customer" });
    const unknown = await callJson(`/admin/api/customers/${c!.id}/merge`, "POST", { from: "nobody@example.com" });
    expect(unknown.status).toBe(404);
    const empty = await callJson(`/admin/api/customers/${c!.id}/merge`, "POST", {});
    expect(empty.status).toBe(400);
    expect(await empty.json()).toMatchObject({ errors: [{ field: "from" }] });
    const viewer = await callJson(`/admin/api/customers/${c!.id}/merge`, "POST", { from: "x@example.com" }, VIEWER);
    expect(viewer.status).toBe(403);
    expect((await call("/admin/api/customers")).status).toBe(401);
    expect((await call("/admin/api/customers/not-an-id", { headers: ADMIN })).status).toBe(400);
  });
});

describe("admin customer pages", () => {
  it("lists and shows customers with hostile names escaped", async () => {
    const email = `${unique("hostile")}@example.com`;
    await paidOrder(email, 1, '<script>alert("x")</script>');
    const [c] = await search(email);
    const list = await (
      await call(`/admin/customers?q=${encodeURIComponent(email)}`, { headers: { ...ADMIN, Accept: "text/html" } })
    ).text();
    expect(list).toContain(email);
    expect(list).not.toContain('<script>alert("x")</script>');
    expect(list).toContain("&lt;script&gt;");
    const page = await call(`/admin/customers/${c!.id}`, { headers: { ...ADMIN, Accept: "text/html" } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Lifetime value");
    expect(html).not.toContain('<script>alert("x")</script>');
    expect(html).toContain("Merge a duplicate");
  });
});
