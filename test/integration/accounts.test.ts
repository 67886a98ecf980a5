import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { freshAddress, signIn, signInLinkFor } from "../helpers/accounts";
import { Browser } from "../helpers/browser";
import { addLine, checkoutBody, makeCart, makeStockedProduct, placeOrder, unique } from "../helpers/factories";
import { intercept } from "../helpers/intercept";
import { payOrder } from "../helpers/queues";
import { ADMIN, call } from "../helpers/worker";

afterEach(() => vi.restoreAllMocks());

const shopper = () => new Browser({}, { "CF-Connecting-IP": freshAddress() });
const emailFor = (name: string) => `${unique(name)}@example.com`;

/** A checkout through the store API from a browser (its cookies, so a signed-in shopper's session goes along). */
async function apiCheckout(browser: Browser, email: string, address = checkoutBody().shippingAddress) {
  const { sku } = await makeStockedProduct(5);
  const cart = await makeCart();
  await addLine(cart, sku, 1);
  const res = await browser.request(`/api/carts/${cart}/checkout`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "Idempotency-Key": crypto.randomUUID(), Accept: "application/json" },
    body: JSON.stringify({ email, shippingAddress: address }),
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return res.json<{ orderId: string; payment: { id: string } }>();
}

const customerRow = (email: string) =>
  env.DB.prepare("select * from customers where email = ?").bind(email.toLowerCase()).first<Record<string, unknown>>();

describe("passwordless sign-in", () => {
  it("answers the same for a known and an unknown address, and the emailed link signs in once", async () => {
    const known = emailFor("known");
    await placeOrder(5, 1, checkoutBody({ email: known }));
    const unknown = emailFor("unknown");
    const pages = [];
    for (const email of [known, unknown]) {
      const res = await shopper().post("/account/login", { email });
      expect(res.status).toBe(200);
      pages.push((await res.text()).replaceAll(email, "ADDRESS"));
    }
    expect(pages[0]).toBe(pages[1]);
    expect(pages[0]).toContain("Check your email");

    const browser = shopper();
    await browser.post("/account/login", { email: known });
    const link = new URL(await signInLinkFor(known));
    const first = await browser.request(`${link.pathname}${link.search}`);
    expect(first.status).toBe(303);
    expect(first.headers.get("Location")).toBe("/account");
    const cookie = first.headers.getSetCookie().find((c) => c.startsWith("account="));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(await browser.page("/account")).toContain(known);

    const reused = await shopper().request(`${link.pathname}${link.search}`);
    expect(reused.status).toBe(400);
    expect(reused.headers.getSetCookie().some((c) => c.startsWith("account="))).toBe(false);
    expect(await reused.text()).toContain("expired or was already used");
  });

  it("refuses forged and expired links", async () => {
    const email = emailFor("forge");
    const browser = shopper();
    await browser.post("/account/login", { email });
    const link = new URL(await signInLinkFor(email));
    const token = link.searchParams.get("token")!;
    const [id, mac] = token.split(".");
    const forgedMac = `${mac!.slice(0, -2)}${mac!.endsWith("AA") ? "BB" : "AA"}`;
    for (const forged of [`${id}.${forgedMac}`, `${id}`, "x".repeat(300), `other.${mac}`]) {
      const res = await shopper().request(`/account/verify?token=${encodeURIComponent(forged)}`);
      expect(res.status, forged).toBe(400);
    }
    await env.DB.prepare("update customer_login_links set expires_at = ? where email = ?")
      .bind(Date.now() - 1000, email)
      .run();
    expect((await browser.request(`${link.pathname}${link.search}`)).status).toBe(400);
    expect((await browser.request("/account")).status).toBe(303);
  });

  it("keeps only a hash of the link at rest and hides the token in the sent email's log", async () => {
    const email = emailFor("hash");
    await shopper().post("/account/login", { email });
    const link = new URL(await signInLinkFor(email));
    const token = link.searchParams.get("token")!;
    const stored = await env.DB.prepare("select * from customer_login_links where email = ?").bind(email).first<Record<string, unknown>>();
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(JSON.stringify(stored)).not.toContain(token.split(".")[1]);
    const logged = await env.DB.prepare("select id, data from notifications where type = 'account.login' and recipient = ?")
      .bind(email)
      .first<{ id: string; data: string }>();
    expect(logged!.data).not.toContain(token.split(".")[1]);

    const seen = intercept("https://api.resend.com/emails", () => Response.json({ id: "re_login" }));
    const { createExecutionContext, createMessageBatch } = await import("cloudflare:test");
    const worker = (await import("../../src/index")).default;
    const batch = createMessageBatch("edgefront-emails", [
      { id: crypto.randomUUID(), timestamp: new Date(), attempts: 1, body: { type: "email.send", notificationId: logged!.id } },
    ]);
    await worker.queue(batch, { ...env, RESEND_API_KEY: "re_test" } as typeof env, createExecutionContext());
    expect(JSON.parse(seen[0]!.body).text).toContain(token);
    const sent = await env.DB.prepare("select status, text from notifications where id = ?")
      .bind(logged!.id)
      .first<{ status: string; text: string }>();
    expect(sent!.status).toBe("sent");
    expect(sent!.text).toContain("/account/verify?token=[hidden]");
    expect(sent!.text).not.toContain(token.split(".")[1]);
  });

  it("limits sign-in links per address with 429 and Retry-After", async () => {
    const email = emailFor("limited");
    const statuses = [];
    for (let i = 0; i < 7; i++) statuses.push((await shopper().post("/account/login", { email })).status);
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    const refused = await shopper().post("/account/login", { email });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("Retry-After")).toBe("60");
    const links = await env.DB.prepare("select count(*) as n from customer_login_links where email = ?").bind(email).first<{ n: number }>();
    expect(links!.n).toBe(5);
  });

  it("refuses an address that is not an email, naming the field", async () => {
    const res = await shopper().post("/account/login", { email: "not-an-email" });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('aria-invalid="true"');
    expect(html).toContain("Enter a valid email address");
  });

  it("sends a shopper without a session from /account to /account/login", async () => {
    const res = await call("/account", { headers: { Accept: "text/html" }, redirect: "manual" });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/account/login");
    const forged = await call("/account", {
      headers: { Accept: "text/html", Cookie: "account=abcdefghijklmnopqrstuvwxyz123456" },
      redirect: "manual",
    });
    expect(forged.status).toBe(303);
  });
});

describe("the account", () => {
  it("lists guest orders placed earlier with the same email once the address is verified", async () => {
    const email = emailFor("Guest.Person");
    const placed = await placeOrder(5, 1, checkoutBody({ email: email.replace("guest", "GUEST") }));
    await payOrder(placed.orderId, placed.paymentId);
    const browser = shopper();
    await signIn(browser, email);
    const page = await browser.page("/account");
    expect(page).toContain(placed.orderId);
    const orderLink = new RegExp(`href="(/orders/${placed.orderId}\\?token=[^"]+)"`).exec(page)?.[1]?.replaceAll("&amp;", "&");
    expect(orderLink).toBeTruthy();
    const order = await browser.request(orderLink!);
    expect(order.status).toBe(200);
    expect(await order.text()).toContain("Return");
  });

  it("links a signed-in checkout to the customer, saves its address and prefills the next checkout", async () => {
    const email = emailFor("signedin");
    const browser = shopper();
    await signIn(browser, email);
    const address = { name: "Rui Costa", line1: "9 Rua Nova", city: "Porto", postalCode: "4000-001", country: "PT" };
    const { orderId } = await apiCheckout(browser, email.toUpperCase(), address);
    const owner = await env.DB.prepare("select customer_id from orders where id = ?").bind(orderId).first<{ customer_id: string }>();
    expect(owner!.customer_id).toBe((await customerRow(email))!.id);
    const page = await browser.page("/account");
    expect(page).toContain(orderId);
    expect(page).toContain("9 Rua Nova");
    const cart = await makeCart();
    const { sku } = await makeStockedProduct(3);
    await addLine(cart, sku, 1);
    // The checkout page of this browser's cart starts from the saved address.
    const { restoreLink } = await import("../../src/services/signed-links");
    const restore = new URL(await restoreLink(env, cart));
    await browser.request(`${restore.pathname}${restore.search}`);
    const form = await browser.page("/checkout");
    expect(form).toContain('value="9 Rua Nova"');
    expect(form).toContain(`value="${email}"`);
  });

  it("keeps a checkout under another email out of the signed-in account (and its address book)", async () => {
    const owner = emailFor("owner");
    const browser = shopper();
    await signIn(browser, owner);
    const other = emailFor("victim");
    const { orderId } = await apiCheckout(browser, other, {
      name: "Vic Tim",
      line1: "1 Secret Lane",
      city: "Faro",
      postalCode: "8000-001",
      country: "PT",
    });
    const row = await env.DB.prepare("select customer_id from orders where id = ?").bind(orderId).first<{ customer_id: string }>();
    expect(row!.customer_id).toBe((await customerRow(other))!.id);
    const page = await browser.page("/account");
    expect(page).not.toContain(orderId);
    expect(page).not.toContain("1 Secret Lane");
  });

  it("saves profile, consent and addresses only with the session's form token", async () => {
    const email = emailFor("profile");
    const browser = shopper();
    const csrf = await signIn(browser, email);
    const forged = await browser.post("/account/profile", { _csrf: "forged", name: "Mallory", marketingConsent: "yes" });
    expect(forged.status).toBe(403);
    expect((await customerRow(email))!.name).toBe("");
    const saved = await browser.post("/account/profile", {
      _csrf: csrf,
      name: "Ines <b>Silva</b>",
      phone: "+351 900",
      marketingConsent: "yes",
    });
    expect(saved.status).toBe(303);
    const row = (await customerRow(email))!;
    expect(row).toMatchObject({ name: "Ines <b>Silva</b>", phone: "+351 900", marketing_consent: 1 });
    expect(row.consent_changed_at).toBeTypeOf("number");
    const page = await browser.page("/account");
    expect(page).toContain("Ines &lt;b&gt;Silva&lt;/b&gt;");
    expect(page).not.toContain("<b>Silva</b>");

    const bad = await browser.post("/account/addresses", { _csrf: csrf, name: "", line1: "", city: "X", postalCode: "1", country: "ZZ" });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Enter the recipient");
    const added = await browser.post("/account/addresses", {
      _csrf: csrf,
      name: "Ines",
      line1: "2 Rua Velha",
      city: "Faro",
      postalCode: "8000-001",
      country: "PT",
    });
    expect(added.status).toBe(303);
    const id = /action="\/account\/addresses\/(\d+)\/delete"/.exec(await browser.page("/account"))?.[1];
    expect(id).toBeTruthy();
    // Another shopper cannot remove it.
    const other = shopper();
    const otherCsrf = await signIn(other, emailFor("other"));
    await other.post(`/account/addresses/${id}/delete`, { _csrf: otherCsrf });
    expect(await browser.page("/account")).toContain("2 Rua Velha");
    await browser.post(`/account/addresses/${id}/delete`, { _csrf: csrf });
    expect(await browser.page("/account")).not.toContain("2 Rua Velha");
  });

  it("downloads the shopper's data as JSON", async () => {
    const email = emailFor("export");
    const placed = await placeOrder(5, 2, checkoutBody({ email }));
    const browser = shopper();
    await signIn(browser, email);
    const res = await browser.request("/account/export");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Disposition")).toContain("attachment");
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const data = await res.json<{ profile: { email: string }; orders: { id: string; lines: { quantity: number }[] }[] }>();
    expect(data.profile.email).toBe(email);
    expect(data.orders.map((o) => o.id)).toEqual([placed.orderId]);
    expect(data.orders[0]!.lines[0]!.quantity).toBe(2);
  });

  it("deletes the account: signed out, personal fields gone, orders kept for the books", async () => {
    const email = emailFor("delete");
    const placed = await placeOrder(
      5,
      1,
      checkoutBody({ email, shippingAddress: { ...checkoutBody().shippingAddress, phone: "+351 911" } }),
    );
    await payOrder(placed.orderId, placed.paymentId);
    const browser = shopper();
    const csrf = await signIn(browser, email);
    const unconfirmed = await browser.post("/account/delete", { _csrf: csrf });
    expect(unconfirmed.status).toBe(400);
    expect(await customerRow(email)).toBeTruthy();
    const done = await browser.post("/account/delete", { _csrf: csrf, confirm: "yes" });
    expect(done.status).toBe(303);
    expect(done.headers.get("Location")).toBe("/account/login?notice=deleted");
    expect((await browser.request("/account")).status).toBe(303);
    expect(await customerRow(email)).toBeNull();
    const order = await env.DB.prepare("select email, shipping_address, total from orders where id = ?")
      .bind(placed.orderId)
      .first<{ email: string; shipping_address: string; total: number }>();
    expect(order!.email).not.toContain(email);
    const address = JSON.parse(order!.shipping_address);
    expect(address).toMatchObject({ name: "", line1: "", country: "PT", postalCode: "1000-001" });
    expect(order!.shipping_address).not.toContain("+351");
    expect(Number(order!.total)).toBe(placed.total);
    const mail = await env.DB.prepare("select count(*) as n from notifications where recipient = ?").bind(email).first<{ n: number }>();
    expect(mail!.n).toBe(0);
    const admin = await (await call(`/admin/api/customers?q=${encodeURIComponent(email)}`, { headers: ADMIN })).json<{
      items: unknown[];
    }>();
    expect(admin.items).toEqual([]);
  });

  it("signs out: the session no longer opens the account", async () => {
    const browser = shopper();
    const csrf = await signIn(browser, emailFor("logout"));
    const session = browser.cookies.get("account")!;
    expect((await browser.post("/account/logout", { _csrf: csrf })).status).toBe(303);
    const again = await call("/account", { headers: { Accept: "text/html", Cookie: `account=${session}` }, redirect: "manual" });
    expect(again.status).toBe(303);
  });
});
