import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { signedIn } from "../helpers/admin-session";
import { placeOrder } from "../helpers/factories";
import { drain, stripeEvent } from "../helpers/queues";
import { ADMIN, call, callJson } from "../helpers/worker";

const count = async (table: string) => (await env.DB.prepare(`select count(*) as n from ${table}`).first<{ n: number }>())!.n;

describe("admin action routes match exactly", () => {
  it("answers 404 to an unknown action on an order and changes nothing", async () => {
    const order = await placeOrder(5, 1);
    await drain([stripeEvent("payment_intent.succeeded", order.orderId, order.paymentId)]);
    const before = await (await call(`/admin/api/orders/${order.orderId}`, { headers: ADMIN })).json<Record<string, unknown>>();
    const [events, audit] = [await count("order_events"), await count("audit_log")];
    const body = { carrier: "ups", trackingNumber: "1Z999AA10123456784", reason: "typo" };
    for (const path of [
      `/admin/api/orders/${order.orderId}/fulfilled`,
      `/admin/api/orders/${order.orderId}/fulfill`,
      `/admin/api/orders/${order.orderId}/x/ship`,
      `/admin/api/orders/${order.orderId}/ship/x`,
      `/admin/api/orders/${order.orderId}/shipped`,
      `/admin/api/orders/${order.orderId}/cancelled`,
      `/admin/api/orders/${order.orderId}/refunds`,
      `/admin/api/payments/test/${order.orderId}/succeeded`,
      `/admin/api/webhook-events/1/replayed`,
    ]) {
      const res = await callJson(path, "POST", body);
      expect(res.status, path).toBe(404);
    }
    const after = await (await call(`/admin/api/orders/${order.orderId}`, { headers: ADMIN })).json<Record<string, unknown>>();
    expect(after).toEqual(before);
    expect(await count("order_events")).toBe(events);
    expect(await count("audit_log")).toBe(audit);
  });

  it("answers 404 to variations of the shipping method page actions", async () => {
    const owner = await signedIn("owner");
    for (const path of [
      "/admin/shipping/methods/m1/offered",
      "/admin/shipping/methods/m1/x/offer",
      "/admin/shipping/methods/m1/withdrawn",
    ]) {
      expect((await owner.post(path, {})).status, path).toBe(404);
    }
  });
});

describe("jobs by name", () => {
  it("answers 404 to object-prototype names, in the API and on the page, and records no run", async () => {
    const owner = await signedIn("owner");
    const runs = await count("job_runs");
    for (const name of ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf", "__defineGetter__"]) {
      const api = await call(`/admin/api/jobs/${name}/run`, { method: "POST", headers: ADMIN });
      expect(api.status, name).toBe(404);
      const page = await owner.post(`/admin/jobs/${name}/run`, {});
      expect(page.status, name).toBe(404);
    }
    expect(await count("job_runs")).toBe(runs);
  });
});

describe("sales report days", () => {
  it("answers 400 to days that do not exist", async () => {
    for (const query of [
      "from=2024-02-30&to=2024-03-01",
      "from=2023-02-29&to=2023-03-01",
      "from=2024-04-31&to=2024-05-01",
      "from=2024-13-01&to=2024-12-31",
      "from=2024-1-01&to=2024-01-02",
      "from=2024-01-01T00:00&to=2024-01-02",
      "from=%202024-01-01&to=2024-01-02",
    ]) {
      const res = await call(`/admin/api/reports/sales?${query}`, { headers: ADMIN });
      expect(res.status, query).toBe(400);
    }
    expect((await call("/admin/api/reports/sales?from=2024-02-29&to=2024-03-01", { headers: ADMIN })).status).toBe(200);
  });
});
