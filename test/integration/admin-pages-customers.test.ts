import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { flashOf, signedIn } from "../helpers/admin-session";
import { checkoutBody, placeOrder, unique } from "../helpers/factories";
import { payOrder } from "../helpers/queues";

describe("admin pages for customers, segments, campaigns and exports", () => {
  it("merges a duplicate from the customer page", async () => {
    const browser = await signedIn("staff");
    const keep = `${unique("keep")}@example.com`;
    const dup = `${unique("dup")}@example.com`;
    for (const email of [keep, dup]) {
      const o = await placeOrder(5, 1, checkoutBody({ email }));
      await payOrder(o.orderId, o.paymentId);
    }
    const list = await (await browser.get(`/admin/customers?q=${encodeURIComponent(keep)}`)).text();
    const id = /href="\/admin\/customers\/(cus_[0-9a-f]{24})"/.exec(list)?.[1];
    expect(id).toBeTruthy();
    const merged = await browser.post(`/admin/customers/${id}/merge`, { from: dup });
    expect(merged.status).toBe(303);
    expect(flashOf(merged)?.kind).toBe("ok");
    const page = await (await browser.get(`/admin/customers/${id}`)).text();
    expect(page).toContain(dup);
    expect(page).toMatch(/<dt>Orders<\/dt><dd>2<\/dd>/);
    const again = await browser.post(`/admin/customers/${id}/merge`, { from: id! });
    expect(flashOf(again)).toMatchObject({ kind: "error" });
  });

  it("defines a segment, exports it and follows the export to its link; viewers only look", async () => {
    const browser = await signedIn("staff");
    const slug = unique("big")
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, "")
      .slice(0, 30);
    const created = await browser.post("/admin/segments", {
      name: "Big spenders",
      slug,
      minSpent: "250.00",
      minOrders: "2",
      consent: "yes",
      rfmSegments: ["champions", "active"],
    });
    expect(flashOf(created)?.kind).toBe("ok");
    const row = await env.DB.prepare("select rules from segments where slug = ?").bind(slug).first<{ rules: string }>();
    expect(JSON.parse(row!.rules)).toEqual({ minSpent: 25000, minOrders: 2, consent: true, rfmSegments: ["champions", "active"] });
    const bad = await browser.post("/admin/segments", { name: "Bad", slug: "ok-slug", minSpent: "lots" });
    expect(flashOf(bad)?.kind).toBe("error");
    const page = await (await browser.get("/admin/segments")).text();
    expect(page).toContain("spent ≥ $250.00; orders ≥ 2; consented to marketing; scored champions or active");
    const exported = await browser.post(`/admin/segments/${slug}/export`, {});
    expect(exported.status).toBe(303);
    expect(exported.headers.get("Location")).toMatch(/^\/admin\/exports\/exp_[0-9a-f]{20}$/);
    expect(await (await browser.get(exported.headers.get("Location")!)).text()).toContain("Export of");
    const viewer = await signedIn("viewer");
    const seen = await (await viewer.get("/admin/segments")).text();
    expect(seen).not.toContain("New segment");
    expect((await viewer.post("/admin/segments", { name: "X", slug: "x" })).status).toBe(403);
  });

  it("composes a campaign, sends a test, then sends it; the page shows its counts", async () => {
    const browser = await signedIn("staff");
    const created = await browser.post("/admin/campaigns", {
      subject: "Autumn <glazes>",
      body: "Fresh colours.\n\nSee you soon.",
      segment: "champions",
    });
    expect(created.status).toBe(303);
    const location = created.headers.get("Location")!;
    expect(location).toMatch(/^\/admin\/campaigns\/cmp_[0-9a-f]{20}$/);
    const draft = await (await browser.get(location)).text();
    expect(draft).toContain("Autumn &lt;glazes&gt;");
    expect(draft).toContain("Send test");
    const test = await browser.post(`${location}/test`, { to: browser.email });
    expect(flashOf(test)?.text).toContain("Test sent");
    const sent = await browser.post(`${location}/send`, {});
    expect(flashOf(sent)?.kind).toBe("ok");
    const after = await (await browser.get(location)).text();
    expect(after).not.toContain("Send test");
    expect(after).toContain("Recipients");
    const list = await (await browser.get("/admin/campaigns")).text();
    expect(list).toContain(location);
  });
});
