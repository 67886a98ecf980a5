import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createDb } from "../../src/db";
import { renderNotification } from "../../src/queues/emails-consumer";
import { freshAddress, signIn } from "../helpers/accounts";
import { Browser, csrfOf } from "../helpers/browser";
import { addLine, checkout, checkoutBody, makeCart, makeStockedProduct, unique } from "../helpers/factories";
import { payOrder } from "../helpers/queues";
import { ADMIN, call, VIEWER } from "../helpers/worker";

afterEach(() => vi.restoreAllMocks());

const HOSTILE_TITLE = '<script>alert("t")</script> Great';
const HOSTILE_BODY = "</script><img src=x onerror=alert(1)> Honestly the best mug I own, keeps tea hot.";

/** A product bought (and paid) by a new customer, who is signed in in the returned browser. */
async function buyer(name = "Ines Silva") {
  const email = `${unique("buyer")}@example.com`;
  const { product, sku } = await makeStockedProduct(5);
  const cart = await makeCart();
  await addLine(cart, sku, 1);
  const res = await checkout(
    cart,
    crypto.randomUUID(),
    checkoutBody({ email, shippingAddress: { ...checkoutBody().shippingAddress, name } }),
  );
  const placed = await res.json<{ orderId: string; payment: { id: string } }>();
  await payOrder(placed.orderId, placed.payment.id);
  const browser = new Browser({}, { "CF-Connecting-IP": freshAddress() });
  const csrf = await signIn(browser, email);
  return { browser, product, email, csrf };
}

async function writeReview(browser: Browser, slug: string, fields: Record<string, string>) {
  const form = await browser.page(`/p/${slug}/review`);
  return browser.post(`/p/${slug}/review`, { _csrf: csrfOf(form), ...fields });
}

const queue = async (status = "pending") =>
  (
    await (
      await call(`/admin/api/reviews?status=${status}`, { headers: ADMIN })
    ).json<{ items: { id: string; title: string; flags: string[]; productId: number }[] }>()
  ).items;

describe("reviews", () => {
  it("lets only a signed-in buyer review a product, once, into the moderation queue", async () => {
    const { browser, product, csrf } = await buyer();
    const anonymous = await call(`/p/${product.slug}/review`, { headers: { Accept: "text/html" }, redirect: "manual" });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get("Location")).toBe("/account/login?notice=review");

    const stranger = new Browser({}, { "CF-Connecting-IP": freshAddress() });
    const strangerCsrf = await signIn(stranger, `${unique("stranger")}@example.com`);
    expect(await stranger.page(`/p/${product.slug}/review`)).toContain("Only customers who bought");
    const refused = await stranger.post(`/p/${product.slug}/review`, {
      _csrf: strangerCsrf,
      rating: "5",
      title: "Fake",
      body: "Never bought it but love it anyway.",
    });
    expect(refused.status).toBe(409);

    const bad = await writeReview(browser, product.slug, { rating: "9", title: "", body: "" });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Choose from 1 to 5 stars.");
    const sent = await writeReview(browser, product.slug, {
      rating: "4",
      title: "Solid mug",
      body: "Heavy, keeps the heat, survives the dishwasher.",
    });
    expect(sent.status).toBe(303);
    expect(await browser.page(`/p/${product.slug}/review?thanks=1`)).toContain("waiting for a quick check");
    const forged = await browser.post(`/p/${product.slug}/review`, {
      _csrf: "x",
      rating: "1",
      title: "Forged",
      body: "A form from elsewhere is refused.",
    });
    expect(forged.status).toBe(403);
    const again = await browser.post(`/p/${product.slug}/review`, {
      _csrf: csrf,
      rating: "1",
      title: "Again",
      body: "A second review should not be taken.",
    });
    expect(again.status).toBe(409);
    const rows = await env.DB.prepare("select count(*) as n from reviews where product_id = ?").bind(product.id).first<{ n: number }>();
    expect(rows!.n).toBe(1);
    expect((await queue()).find((r) => r.productId === product.id)).toMatchObject({ title: "Solid mug", flags: [] });
  });

  it("flags links, banned words and very short reviews for attention, flagged first", async () => {
    const { browser, product } = await buyer();
    await writeReview(browser, product.slug, { rating: "5", title: "Cheap", body: "Visit www.cheap-mugs.example.com casino" });
    const mine = (await queue()).find((r) => r.productId === product.id);
    expect(mine!.flags).toEqual(["link", "banned_word"]);
    const other = await buyer();
    await writeReview(other.browser, other.product.slug, { rating: "3", title: "ok", body: "fine" });
    expect((await queue()).find((r) => r.productId === other.product.id)!.flags).toEqual(["too_short"]);
    const items = await queue();
    const firstUnflagged = items.findIndex((r) => r.flags.length === 0);
    if (firstUnflagged >= 0) expect(items.slice(firstUnflagged).every((r) => r.flags.length === 0)).toBe(true);
  });

  it("shows an approved review on the next product page view, with its rating in JSON-LD, everything escaped", async () => {
    const { browser, product, email } = await buyer();
    const before = await (await call(`/p/${product.slug}`, { headers: { Accept: "text/html" } })).text();
    expect(before).toContain("No reviews yet.");
    await writeReview(browser, product.slug, { rating: "5", title: HOSTILE_TITLE, body: HOSTILE_BODY });
    const review = (await queue()).find((r) => r.productId === product.id)!;

    expect((await call(`/admin/api/reviews/${review.id}/approve`, { method: "POST", headers: VIEWER })).status).toBe(403);
    const admin = await (await call("/admin/reviews", { headers: { ...ADMIN, Accept: "text/html" } })).text();
    expect(admin).toContain("&lt;script&gt;alert");
    expect(admin).not.toContain('<script>alert("t")</script>');
    expect(admin).not.toContain("<img src=x");

    const approved = await call(`/admin/api/reviews/${review.id}/approve`, { method: "POST", headers: ADMIN });
    expect(approved.status).toBe(200);
    expect(await approved.json()).toMatchObject({ status: "approved", moderatedBy: expect.any(String) });

    const page = await (await call(`/p/${product.slug}`, { headers: { Accept: "text/html" } })).text();
    expect(page).toContain("5.0 out of 5 (1 review)");
    expect(page).toContain("&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt; Great");
    expect(page).not.toContain('<script>alert("t")</script>');
    expect(page).not.toContain("<img src=x");
    expect(page).toContain("Ines S.");
    const ld = [...page.matchAll(/<script type="application\/ld\+json">([^<]*)<\/script>/g)].map((m) => JSON.parse(m[1]!));
    const productLd = ld.find((d) => d["@type"] === "Product");
    expect(productLd.aggregateRating).toMatchObject({ "@type": "AggregateRating", ratingValue: 5, reviewCount: 1 });
    expect(productLd.review[0]).toMatchObject({ name: HOSTILE_TITLE, reviewBody: HOSTILE_BODY, author: { name: "Ines S." } });

    const notice = await env.DB.prepare("select type, data from notifications where id = ?")
      .bind(`review.published:${review.id}`)
      .first<{ type: string; data: string }>();
    expect(notice).toBeTruthy();
    const mail = await renderNotification(env, createDb(env.DB), "review.published", JSON.parse(notice!.data));
    expect(mail.html).not.toContain('<script>alert("t")</script>');
    expect(mail.html).toContain("&lt;script&gt;");
    expect(
      await env.DB.prepare("select recipient from notifications where id = ?").bind(`review.published:${review.id}`).first("recipient"),
    ).toBe(email);

    // Rejecting takes it off the page on the next view; the decision is audited.
    expect((await call(`/admin/api/reviews/${review.id}/reject`, { method: "POST", headers: ADMIN })).status).toBe(200);
    expect(await (await call(`/p/${product.slug}`, { headers: { Accept: "text/html" } })).text()).toContain("No reviews yet.");
    const audits = await env.DB.prepare("select action from audit_log where entity = 'reviews' and entity_id = ? order by id")
      .bind(review.id)
      .all<{ action: string }>();
    expect(audits.results.map((a) => a.action)).toEqual(["approve", "reject"]);
    expect((await call("/admin/api/reviews/rev_00000000000000000000/approve", { method: "POST", headers: ADMIN })).status).toBe(404);
  });

  it("takes a deleted customer's reviews off the product page", async () => {
    const { browser, product, csrf } = await buyer();
    await writeReview(browser, product.slug, { rating: "5", title: "Gone soon", body: "A review whose writer will delete their account." });
    const review = (await queue()).find((r) => r.productId === product.id)!;
    await call(`/admin/api/reviews/${review.id}/approve`, { method: "POST", headers: ADMIN });
    expect(await (await call(`/p/${product.slug}`, { headers: { Accept: "text/html" } })).text()).toContain("Gone soon");
    expect((await browser.post("/account/delete", { _csrf: csrf, confirm: "yes" })).status).toBe(303);
    const page = await (await call(`/p/${product.slug}`, { headers: { Accept: "text/html" } })).text();
    expect(page).not.toContain("Gone soon");
    expect(page).toContain("No reviews yet.");
  });
});
