import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { signedIn } from "../helpers/admin-session";
import { addLine, checkoutBody, makeCart, makeStockedProduct } from "../helpers/factories";
import { intercept } from "../helpers/intercept";
import { drain, sessionEvent, stripeEvent } from "../helpers/queues";
import { ADMIN, call } from "../helpers/worker";

afterEach(() => vi.restoreAllMocks());

const STRIPE = { STRIPE_SECRET_KEY: "sk_test_key" };

/** Stripe at the fetch boundary: a new Checkout Session per order, refunds succeed. */
function fakeStripe() {
  let n = 0;
  return intercept("https://api.stripe.com/", (request) => {
    n++;
    if (request.url.endsWith("/refunds")) return Response.json({ id: `re_${n}`, status: "succeeded" });
    const id = `cs_race_${n}_${Date.now().toString(36)}`;
    return Response.json({ id, url: `https://checkout.stripe.com/c/pay/${id}`, status: "open", payment_status: "unpaid" });
  });
}

async function checkoutOne(sku: string) {
  const cart = await makeCart();
  await addLine(cart, sku, 1);
  const res = await call(
    `/api/carts/${cart}/checkout`,
    {
      method: "POST",
      headers: { "Content-Type": "application/json", "Idempotency-Key": crypto.randomUUID() },
      body: JSON.stringify(checkoutBody()),
    },
    STRIPE,
  );
  expect(res.status, await res.clone().text()).toBe(201);
  return res.json<{ orderId: string; total: { amount: number }; payment: { id: string } }>();
}

const paySession = (order: { orderId: string; payment: { id: string } }) =>
  drain([sessionEvent("checkout.session.completed", order.orderId, order.payment.id, { status: "complete", payment_status: "paid" })], {
    overrides: () => STRIPE,
  });

const orderRow = (orderId: string) =>
  env.DB.prepare("select status, cancel_reason, paid_at from orders where id = ?")
    .bind(orderId)
    .first<{ status: string; cancel_reason: string | null; paid_at: number | null }>();

const emails = async (orderId: string, type: string) =>
  (await env.DB.prepare("select count(*) as n from notifications where order_id = ? and type = ?")
    .bind(orderId, type)
    .first<{ n: number }>())!.n;

describe("a payment that arrives after its hold lapsed and the last unit was sold", () => {
  it("cancels the late order (stock_lost), refunds it through the provider once, emails once, and never pays two orders for one unit", async () => {
    const stripe = fakeStripe();
    const { sku } = await makeStockedProduct(1);
    const first = await checkoutOne(sku);
    // The first shopper's hold lapses while the payment page is still open.
    await env.INVENTORY.getByName(sku).releaseExpired(Date.now() + 36 * 60_000);
    const second = await checkoutOne(sku);
    await paySession(second);
    expect((await orderRow(second.orderId))?.status).toBe("paid");

    await paySession(first);
    expect(await orderRow(first.orderId)).toMatchObject({ status: "cancelled", cancel_reason: "stock_lost", paid_at: null });
    expect(await orderRow(second.orderId)).toMatchObject({ status: "paid" });
    expect(await env.INVENTORY.getByName(sku).snapshot()).toMatchObject({ onHand: 0, reserved: 0, available: 0 });
    const refunds = () => stripe.filter((c) => c.url.endsWith("/refunds"));
    expect(refunds()).toHaveLength(1);
    expect(refunds()[0]!.headers.get("Idempotency-Key")).toBe(`refund-late-${first.orderId}`);
    expect(Object.fromEntries(new URLSearchParams(refunds()[0]!.body))).toMatchObject({
      payment_intent: `pi_${first.payment.id}`,
      amount: String(first.total.amount),
    });
    expect(await emails(first.orderId, "order.stock_lost")).toBe(1);
    expect(await emails(first.orderId, "order.confirmation")).toBe(0);

    // Stripe reports the same payment again (its intent's event): nothing more happens.
    await drain([stripeEvent("payment_intent.succeeded", first.orderId, `pi_${first.payment.id}`)], { overrides: () => STRIPE });
    expect(refunds()).toHaveLength(1);
    expect(await emails(first.orderId, "order.stock_lost")).toBe(1);
    const paid = await env.DB.prepare(
      "select count(*) as n from orders o join order_lines l on l.order_id = o.id where l.sku = ? and o.paid_at is not null",
    )
      .bind(sku)
      .first<{ n: number }>();
    expect(paid!.n).toBe(1);

    const detail = await (await call(`/admin/api/orders/${first.orderId}`, { headers: ADMIN })).json<{
      cancelReason: string;
      events: { kind: string; detail: { status?: string } | null }[];
    }>();
    expect(detail.cancelReason).toBe("stock_lost");
    expect(detail.events.filter((e) => e.kind === "payment" && e.detail?.status === "refunded_stock_lost")).toHaveLength(1);

    const owner = await signedIn("owner");
    const page = await (await owner.get("/admin/events")).text();
    expect(page).toContain("Orders cancelled after payment (stock lost)");
    expect(page).toContain(first.orderId);
    expect(page).not.toContain(second.orderId);
  });

  it("takes the unit again and pays the order when stock is still there", async () => {
    fakeStripe();
    const { sku } = await makeStockedProduct(2);
    const first = await checkoutOne(sku);
    await env.INVENTORY.getByName(sku).releaseExpired(Date.now() + 36 * 60_000);
    const second = await checkoutOne(sku);
    await paySession(second);
    await paySession(first);
    expect((await orderRow(first.orderId))?.status).toBe("paid");
    expect((await orderRow(second.orderId))?.status).toBe("paid");
    expect(await env.INVENTORY.getByName(sku).snapshot()).toMatchObject({ onHand: 0, reserved: 0 });
    expect(await emails(first.orderId, "order.confirmation")).toBe(1);
  });

  it("keeps retrying the refund when the provider is down, and refunds once it answers", async () => {
    let down = true;
    let n = 0;
    const stripe = intercept("https://api.stripe.com/", (request) => {
      n++;
      if (request.url.endsWith("/refunds")) {
        return down
          ? Response.json({ error: { message: "try later" } }, { status: 503 })
          : Response.json({ id: `re_${n}`, status: "succeeded" });
      }
      const id = `cs_down_${n}_${Date.now().toString(36)}`;
      return Response.json({ id, url: `https://checkout.stripe.com/c/pay/${id}`, status: "open", payment_status: "unpaid" });
    });
    const { sku } = await makeStockedProduct(1);
    const first = await checkoutOne(sku);
    await env.INVENTORY.getByName(sku).releaseExpired(Date.now() + 36 * 60_000);
    const second = await checkoutOne(sku);
    await paySession(second);
    const { deadLettered } = await drain(
      [sessionEvent("checkout.session.completed", first.orderId, first.payment.id, { status: "complete", payment_status: "paid" })],
      {
        maxRetries: 3,
        overrides: () => {
          const attempts = stripe.filter((c) => c.url.endsWith("/refunds")).length;
          if (attempts >= 2) down = false;
          return STRIPE;
        },
      },
    );
    expect(deadLettered).toEqual([]);
    expect(stripe.filter((c) => c.url.endsWith("/refunds")).length).toBeGreaterThanOrEqual(3);
    expect(await orderRow(first.orderId)).toMatchObject({ status: "cancelled", cancel_reason: "stock_lost" });
    const steps = await env.DB.prepare(
      "select count(*) as n from order_events where order_id = ? and json_extract(detail, '$.status') = 'refunded_stock_lost'",
    )
      .bind(first.orderId)
      .first<{ n: number }>();
    expect(steps!.n).toBe(1);
    expect(await emails(first.orderId, "order.stock_lost")).toBe(1);
  });
});
