import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createDb } from "../../src/db";
import worker from "../../src/index";
import { renderNotification } from "../../src/queues/emails-consumer";
import type { EmailJob } from "../../src/queues/messages";
import { freshAddress } from "../helpers/accounts";
import { Browser } from "../helpers/browser";
import { makeProduct, unique } from "../helpers/factories";
import { intercept } from "../helpers/intercept";
import { ADMIN, call, callJson } from "../helpers/worker";

afterEach(() => vi.restoreAllMocks());

let day = 1;
/** A segment of its own for one test: customers whose last order falls on one far-past day. */
async function audience(consenting: number, others: { unconsented?: number; unsubscribed?: number } = {}) {
  const d = `2001-01-${String(day++).padStart(2, "0")}`;
  const at = Date.parse(`${d}T12:00:00Z`);
  const make = async (n: number, consent: boolean, unsubscribed: boolean) => {
    const rows = [];
    for (let i = 0; i < n; i++) {
      const id = `cus_${crypto.randomUUID().replace(/-/g, "").slice(0, 24)}`;
      const email = `${unique("aud")}@example.com`;
      await env.DB.prepare(
        "insert into customers (id, email, orders_count, lifetime_value, last_order_at, marketing_consent, created_at, updated_at) values (?, ?, 1, 1000, ?, ?, ?, ?)",
      )
        .bind(id, email, at, consent ? 1 : 0, at, at)
        .run();
      if (unsubscribed) await env.DB.prepare("insert into email_unsubscribes (email, at) values (?, ?)").bind(email, at).run();
      rows.push({ id, email });
    }
    return rows;
  };
  const members = await make(consenting, true, false);
  const unconsented = await make(others.unconsented ?? 0, false, false);
  const unsubscribed = await make(others.unsubscribed ?? 0, true, true);
  const slug = `aud-${d}`;
  const next = new Date(at + 86_400_000).toISOString().slice(0, 10);
  const res = await callJson("/admin/api/segments", "POST", {
    slug,
    name: `Audience ${d}`,
    rules: { lastOrderAfter: d, lastOrderBefore: next },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return { slug, members, unconsented, unsubscribed };
}

async function deliver(messages: EmailJob[], overrides: Record<string, unknown> = {}) {
  const batch = createMessageBatch(
    "edgefront-emails",
    messages.map((body) => ({ id: crypto.randomUUID(), timestamp: new Date(), attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, { ...env, ...overrides } as typeof env, ctx);
  return getQueueResult(batch, ctx);
}

interface Campaign {
  id: string;
  status: string;
  recipients: number;
  queued: number;
  sent: number;
  failed: number;
  unsubscribed: number;
}

const campaign = async (id: string) => (await call(`/admin/api/campaigns/${id}`, { headers: ADMIN })).json<Campaign>();
const campaignMail = (id: string) =>
  env.DB.prepare("select id, recipient, status, attempts from notifications where id like ? order by id")
    .bind(`campaign:${id}:%`)
    .all<{ id: string; recipient: string; status: string; attempts: number }>();

describe("campaigns", () => {
  it("refuses a campaign without a subject, for an unknown segment or with unpublished products", async () => {
    const bad = await callJson("/admin/api/campaigns", "POST", { subject: "", body: "", segment: "Not A Slug", extra: 1 });
    expect(bad.status).toBe(400);
    const fields = (await bad.json<{ errors: { field: string }[] }>()).errors.map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(["subject", "body", "segment"]));
    expect((await callJson("/admin/api/campaigns", "POST", { subject: "Hi", body: "Hello", segment: "nobody-here" })).status).toBe(404);
    const missing = await callJson("/admin/api/campaigns", "POST", {
      subject: "Hi",
      body: "Hello",
      segment: "champions",
      productIds: [999999],
    });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ code: "unknown_products" });
    expect((await call("/admin/api/campaigns")).status).toBe(401);
  });

  it("sends once to each consenting member however often its batches and emails are delivered", async () => {
    const { slug, members, unconsented, unsubscribed } = await audience(7, { unconsented: 2, unsubscribed: 2 });
    const product = await makeProduct({ title: 'Mug <b>"bold"</b>' });
    const created = await callJson("/admin/api/campaigns", "POST", {
      subject: "Spring mugs",
      body: "New glazes are in.\n\nFirst come, first served.",
      productIds: [product.id],
      segment: slug,
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const { id } = await created.json<Campaign>();
    const sent = await callJson(`/admin/api/campaigns/${id}/send`, "POST", {});
    expect(sent.status).toBe(202);
    // The same batch delivered again, twice at once, and the send asked for again: nothing doubles.
    const expand: EmailJob = { type: "campaign.expand", campaignId: id, after: "" };
    await deliver([expand, expand]);
    await Promise.all([deliver([expand]), deliver([expand])]);
    expect((await callJson(`/admin/api/campaigns/${id}/send`, "POST", {})).status).toBe(202);
    const mail = (await campaignMail(id)).results;
    expect(mail.map((m) => m.recipient).sort()).toEqual(members.map((m) => m.email).sort());
    for (const other of [...unconsented, ...unsubscribed]) expect(mail.map((m) => m.recipient)).not.toContain(other.email);
    expect((await campaign(id)).recipients).toBe(7);

    // Every email delivered twice more, in parallel: the provider gets each once at most.
    const provider = intercept("https://api.resend.com/emails", () => Response.json({ id: `re_${crypto.randomUUID()}` }));
    const jobs = mail.map((m) => ({ type: "email.send", notificationId: m.id }) as EmailJob);
    await Promise.all([deliver(jobs, { RESEND_API_KEY: "re_test" }), deliver(jobs, { RESEND_API_KEY: "re_test" })]);
    const perRecipient = new Map<string, number>();
    for (const call_ of provider) {
      const to = (JSON.parse(call_.body) as { to: string[] }).to[0]!;
      perRecipient.set(to, (perRecipient.get(to) ?? 0) + 1);
    }
    expect([...perRecipient.values()].every((n) => n === 1)).toBe(true);
    const after = (await campaignMail(id)).results;
    // Each email was taken for sending exactly once (the queue's own deliveries included).
    expect(after.map((m) => [m.status, m.attempts])).toEqual(after.map(() => ["sent", 1]));
    expect(await campaign(id)).toMatchObject({ status: "sent", recipients: 7, sent: 7, queued: 0, failed: 0 });
    const rendered = await renderNotification(env, createDb(env.DB), "campaign", { campaignId: id, email: members[0]!.email });
    expect(rendered.html).toContain("Mug &lt;b&gt;&quot;bold&quot;&lt;/b&gt;");
    expect(rendered.html).not.toContain("<b>");
    expect(rendered.html).toContain("<p>First come, first served.</p>");
    expect(rendered.headers).toMatchObject({ "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" });
    expect(rendered.headers!["List-Unsubscribe"]).toMatch(/^<https?:\/\/.+\/unsubscribe\?email=.+&sig=.+&c=cmp_/);
  });

  it("takes one-click unsubscribes from its link, counts them, and leaves them out of the next campaign", async () => {
    const { slug, members } = await audience(3);
    const { id } = await (
      await callJson("/admin/api/campaigns", "POST", { subject: "News", body: "Hello", segment: slug })
    ).json<Campaign>();
    await callJson(`/admin/api/campaigns/${id}/send`, "POST", {});
    await deliver([{ type: "campaign.expand", campaignId: id, after: "" }]);
    const leaving = members[0]!;
    const email = await renderNotification(env, createDb(env.DB), "campaign", { campaignId: id, email: leaving.email });
    const link = new URL(/^<(.+)>$/.exec(email.headers!["List-Unsubscribe"]!)![1]!);
    expect(email.text).toContain(link.toString());
    const forged = await call(`/unsubscribe?email=${encodeURIComponent(leaving.email)}&sig=forged&c=${id}`, {
      method: "POST",
      body: "List-Unsubscribe=One-Click",
    });
    expect(forged.status).toBe(400);
    const oneClick = await call(`${link.pathname}${link.search}`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "https://mail.example.net" },
      body: "List-Unsubscribe=One-Click",
    });
    expect(oneClick.status).toBe(200);
    expect((await campaign(id)).unsubscribed).toBe(1);
    const consent = await env.DB.prepare("select marketing_consent from customers where id = ?")
      .bind(leaving.id)
      .first("marketing_consent");
    expect(consent).toBe(0);
    const next = await (await callJson("/admin/api/campaigns", "POST", { subject: "More", body: "Again", segment: slug })).json<Campaign>();
    await callJson(`/admin/api/campaigns/${next.id}/send`, "POST", {});
    await deliver([{ type: "campaign.expand", campaignId: next.id, after: "" }]);
    const to = (await campaignMail(next.id)).results.map((m) => m.recipient);
    expect(to.sort()).toEqual(
      members
        .slice(1)
        .map((m) => m.email)
        .sort(),
    );
  });

  it("sends a test to staff without touching the counts, and a started campaign no longer changes", async () => {
    const { slug } = await audience(1);
    const { id } = await (
      await callJson("/admin/api/campaigns", "POST", { subject: "Draft", body: "Text", segment: slug })
    ).json<Campaign>();
    const test = await callJson(`/admin/api/campaigns/${id}/test`, "POST", { to: "staff@shop.example.com" });
    expect(test.status).toBe(202);
    const { queued } = await test.json<{ queued: string }>();
    const row = await env.DB.prepare("select type, recipient, data from notifications where id = ?")
      .bind(queued)
      .first<{ data: string; recipient: string }>();
    expect(row!.recipient).toBe("staff@shop.example.com");
    const rendered = await renderNotification(env, createDb(env.DB), "campaign", JSON.parse(row!.data));
    expect(rendered.subject).toBe("[Test] Draft");
    expect((await callJson(`/admin/api/campaigns/${id}/test`, "POST", {})).status).toBe(400);
    expect(await campaign(id)).toMatchObject({ status: "draft", recipients: 0, sent: 0 });
    await callJson(`/admin/api/campaigns/${id}/send`, "POST", {});
    const change = await callJson(`/admin/api/campaigns/${id}`, "PATCH", { subject: "Changed", body: "Text", segment: slug });
    expect(change.status).toBe(409);
    expect(await change.json()).toMatchObject({ code: "campaign_not_draft" });
  });
});

describe("campaign safeguards", () => {
  it("does not send to someone who unsubscribed after their batch was queued, and keeps its segment while it sends", async () => {
    const { slug, members } = await audience(2);
    const { id } = await (
      await callJson("/admin/api/campaigns", "POST", { subject: "Late", body: "Hello", segment: slug })
    ).json<Campaign>();
    const removeWhileDraft = await call(`/admin/api/segments/${slug}`, { method: "DELETE", headers: ADMIN });
    expect(removeWhileDraft.status).toBe(409);
    expect(await removeWhileDraft.json()).toMatchObject({ code: "segment_in_use" });
    await callJson(`/admin/api/campaigns/${id}/send`, "POST", {});
    await deliver([{ type: "campaign.expand", campaignId: id, after: "" }]);
    const leaving = members[0]!;
    const { unsubscribeLink } = await import("../../src/services/signed-links");
    const out = new URL(await unsubscribeLink(env, leaving.email));
    expect((await call(`${out.pathname}${out.search}`)).status).toBe(200);
    const provider = intercept("https://api.resend.com/emails", () => Response.json({ id: `re_${crypto.randomUUID()}` }));
    const mail = (await campaignMail(id)).results;
    await deliver(
      mail.map((m) => ({ type: "email.send", notificationId: m.id }) as EmailJob),
      { RESEND_API_KEY: "re_test" },
    );
    expect(provider.map((p) => (JSON.parse(p.body) as { to: string[] }).to[0])).not.toContain(leaving.email);
    const after = (await campaignMail(id)).results;
    expect(after.find((m) => m.recipient === leaving.email)!.status).toBe("failed");
    expect(after.find((m) => m.recipient === members[1]!.email)!.status).toBe("sent");
    expect(await campaign(id)).toMatchObject({ sent: 1, failed: 1 });
  });
});

describe("newsletter sign-up", () => {
  it("subscribes only once the emailed link is followed, answering the same for every address", async () => {
    const email = `${unique("news")}@example.com`;
    const browser = new Browser({}, { "CF-Connecting-IP": freshAddress() });
    const asked = await browser.post("/newsletter", { email });
    expect(asked.status).toBe(200);
    expect(await asked.text()).toContain("a link to confirm your subscription is on its way");
    expect(await env.DB.prepare("select marketing_consent from customers where email = ?").bind(email).first()).toBeNull();
    const row = await env.DB.prepare("select data from notifications where type = 'newsletter.confirm' and recipient = ?")
      .bind(email)
      .first<{ data: string }>();
    const link = new URL(JSON.parse(row!.data).confirmUrl);
    const confirm = (u: URL) =>
      browser.post("/newsletter/confirm", {
        email: u.searchParams.get("email")!,
        t: u.searchParams.get("t")!,
        sig: u.searchParams.get("sig")!,
      });
    // Opening the link (as a mail scanner would) subscribes nobody: it asks first.
    const opened = await browser.request(`${link.pathname}${link.search}`);
    expect(opened.status).toBe(200);
    expect(await opened.text()).toContain("Yes, subscribe me");
    expect(await env.DB.prepare("select marketing_consent from customers where email = ?").bind(email).first()).toBeNull();
    const forged = new URL(link);
    forged.searchParams.set("email", `other-${email}`);
    expect((await confirm(forged)).status).toBe(400);
    const stale = new URL(link);
    stale.searchParams.set("t", String(Date.now() - 8 * 86_400_000));
    expect((await confirm(stale)).status).toBe(400);
    const confirmed = await confirm(link);
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain("Thank you. Every email has a link to unsubscribe.");
    expect(await env.DB.prepare("select marketing_consent from customers where email = ?").bind(email).first("marketing_consent")).toBe(1);
    // After an unsubscribe, the old link no longer subscribes them again.
    const { unsubscribeLink } = await import("../../src/services/signed-links");
    const out = new URL(await unsubscribeLink(env, email));
    expect((await browser.request(`${out.pathname}${out.search}`)).status).toBe(200);
    expect((await confirm(link)).status).toBe(400);
    expect(await env.DB.prepare("select marketing_consent from customers where email = ?").bind(email).first("marketing_consent")).toBe(0);
    const bad = await browser.post("/newsletter", { email: "nope" });
    expect(bad.status).toBe(400);
    const cross = await browser.post("/newsletter", { email }, "https://evil.example");
    expect(cross.status).toBe(403);
  });
});

describe("segment exports", () => {
  it("writes a segment's customers to a CSV behind a signed, expiring link", async () => {
    const { slug, members } = await audience(3);
    await env.DB.prepare("update customers set name = ? where id = ?").bind('=HYPERLINK("http://evil")', members[0]!.id).run();
    const asked = await callJson(`/admin/api/segments/${slug}/exports`, "POST", {});
    expect(asked.status).toBe(202);
    const queued = await asked.json<{ id: string; status: string }>();
    await deliver([{ type: "segment.export", exportId: queued.id }]);
    const done = await (await call(`/admin/api/exports/${queued.id}`, { headers: ADMIN })).json<{
      status: string;
      rows: number;
      downloadUrl: string;
    }>();
    expect(done).toMatchObject({ status: "done", rows: 3 });
    const url = new URL(done.downloadUrl);
    const file = await call(`${url.pathname}${url.search}`);
    expect(file.status).toBe(200);
    expect(file.headers.get("Content-Disposition")).toContain("attachment");
    const csv = await file.text();
    const lines = csv.trim().split("\r\n");
    expect(lines[0]).toBe(
      "email,name,phone,orders_count,lifetime_value,currency,average_order_value,first_order_at,last_order_at,segment,marketing_consent",
    );
    expect(lines).toHaveLength(4);
    for (const m of members) expect(csv).toContain(m.email);
    expect(csv).toContain(`"'=HYPERLINK(""http://evil"")"`);
    url.searchParams.set("sig", "forged");
    expect((await call(`${url.pathname}${url.search}`)).status).toBe(404);
    url.searchParams.set("expires", String(Date.now() - 1000));
    expect((await call(`${url.pathname}${url.search}`)).status).toBe(404);
    expect((await callJson("/admin/api/segments/no-such/exports", "POST", {})).status).toBe(404);
  });
});
