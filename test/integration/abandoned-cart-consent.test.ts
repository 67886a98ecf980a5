import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { checkoutBody, makeStockedProduct, placeOrder, unique } from "../helpers/factories";
import { inMinutes, runNamed } from "../helpers/jobs";
import { drain, stripeEvent } from "../helpers/queues";
import { callJson } from "../helpers/worker";

/** A cart with one item for `email`, idle from now on, as its index row shows it. */
async function idleCart(email: string, remindMe?: boolean) {
  const { sku } = await makeStockedProduct(5);
  const res = await callJson("/api/carts", "POST", remindMe === undefined ? { email } : { email, remindMe }, {});
  expect(res.status, await res.clone().text()).toBe(201);
  const cartId = (await res.json<{ id: string }>()).id;
  await callJson(`/api/carts/${cartId}/lines`, "POST", { sku, quantity: 1 }, {});
  await expect
    .poll(() => env.DB.prepare("select item_count from cart_index where cart_id = ?").bind(cartId).first())
    .toEqual({ item_count: 1 });
  return cartId;
}

const remindersTo = async (email: string) =>
  (await env.DB.prepare("select count(*) as n from notifications where type = 'cart.abandoned' and lower(recipient) = ?")
    .bind(email.toLowerCase())
    .first<{ n: number }>())!.n;

const reminded = async (cartId: string) =>
  (await env.DB.prepare("select 1 as one from notifications where id = ?").bind(`cart.abandoned:${cartId}`).first()) !== null;

describe("abandoned-cart reminders need consent", () => {
  it("sends nothing to an address typed into a cart without asking for reminders", async () => {
    const stranger = `stranger-${unique("s")}@example.com`;
    await idleCart(stranger);
    await idleCart(stranger, false);
    await runNamed("abandoned-carts", inMinutes(25 * 60));
    expect(await remindersTo(stranger)).toBe(0);
  });

  it("reminds a shopper who ticked 'email me about this cart', and an address that paid for an order before", async () => {
    const consenting = `consent-${unique("c")}@example.com`;
    const consentingCart = await idleCart(consenting, true);
    const customer = `customer-${unique("p")}@example.com`;
    const order = await placeOrder(5, 1, checkoutBody({ email: customer }));
    await drain([stripeEvent("payment_intent.succeeded", order.orderId, order.paymentId)]);
    expect(await env.DB.prepare("select status from orders where id = ?").bind(order.orderId).first()).toEqual({ status: "paid" });
    const customerCart = await idleCart(customer.toUpperCase());
    await runNamed("abandoned-carts", inMinutes(25 * 60));
    expect(await reminded(consentingCart)).toBe(true);
    expect(await reminded(customerCart)).toBe(true);
  });

  it("sends one address at most one reminder a day, however many carts it has", async () => {
    const email = `many-${unique("m")}@example.com`;
    const carts = [await idleCart(email, true), await idleCart(email.toUpperCase(), true), await idleCart(email, true)];
    await runNamed("abandoned-carts", inMinutes(25 * 60));
    await runNamed("abandoned-carts", inMinutes(26 * 60));
    expect(await remindersTo(email)).toBe(1);
    await runNamed("abandoned-carts", inMinutes(50 * 60));
    expect(await remindersTo(email)).toBe(2);
    expect((await Promise.all(carts.map(reminded))).filter(Boolean)).toHaveLength(2);
  });

  it("refuses remindMe without an email", async () => {
    const res = await callJson("/api/carts", "POST", { remindMe: true }, {});
    expect(res.status).toBe(400);
  });
});
