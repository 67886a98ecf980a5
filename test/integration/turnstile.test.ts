import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { makeStaff } from "../helpers/admin-session";
import { Browser } from "../helpers/browser";
import { makeStockedProduct } from "../helpers/factories";
import { intercept } from "../helpers/intercept";
import { call } from "../helpers/worker";

const TURNSTILE = { TURNSTILE_SITE_KEY: "0x4AAAAAAAtestsitekey", TURNSTILE_SECRET_KEY: "0x4AAAAAAAtestsecret" };
const SITEVERIFY = "https://challenges.cloudflare.com/turnstile/v0/siteverify";

/** Turnstile's answer: good only for the token "good-token". */
const siteverify = () =>
  intercept(SITEVERIFY, async (request) => {
    const form = await request.formData();
    const ok = form.get("response") === "good-token" && form.get("secret") === TURNSTILE.TURNSTILE_SECRET_KEY;
    return Response.json(ok ? { success: true } : { success: false, "error-codes": ["invalid-input-response"] });
  });

const address = {
  email: "robot@example.com",
  name: "Not A Robot",
  line1: "1 Human St",
  city: "Lisbon",
  postalCode: "1000-001",
  country: "PT",
};
const field = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(html)?.[1] ?? "";

afterEach(() => vi.restoreAllMocks());

describe("Turnstile, when configured", () => {
  it("stays off without keys: no widget and no outside script", async () => {
    const page = await call("/admin/login", { headers: { Accept: "text/html" } });
    expect(await page.text()).not.toContain("cf-turnstile");
    expect(page.headers.get("Content-Security-Policy")).not.toContain("challenges.cloudflare.com");
  });

  it("guards placing an order: refused without a good answer (no order), placed with one", async () => {
    const seen = siteverify();
    const { sku } = await makeStockedProduct(5);
    const browser = new Browser(TURNSTILE);
    await browser.post("/cart/lines", { sku, quantity: "1" });
    const res = await browser.request("/checkout");
    expect(res.headers.get("Content-Security-Policy")).toContain("script-src 'self' https://challenges.cloudflare.com");
    const form = await res.text();
    expect(form).toContain('data-sitekey="0x4AAAAAAAtestsitekey"');
    const fields = { ...address, _csrf: field(form, "_csrf"), idempotencyKey: field(form, "idempotencyKey") };
    const before = await env.DB.prepare("select count(*) as n from orders").first<{ n: number }>();
    const refused = await browser.post("/checkout", { ...fields, "cf-turnstile-response": "bot-token" });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("Please complete the check");
    expect(await env.DB.prepare("select count(*) as n from orders").first<{ n: number }>()).toEqual(before);
    const placed = await browser.post("/checkout", { ...fields, "cf-turnstile-response": "good-token" });
    expect(placed.status).toBe(303);
    expect(placed.headers.get("Location")).toMatch(/\/pay\/test\//);
    expect(seen).toHaveLength(2);
    expect(seen.every((s) => s.body.includes("0x4AAAAAAAtestsecret"))).toBe(true);
  });

  it("guards staff sign-in the same way", async () => {
    siteverify();
    const member = await makeStaff("viewer");
    const post = (answer: string) =>
      call(
        "/admin/login",
        {
          method: "POST",
          redirect: "manual",
          headers: { "Content-Type": "application/x-www-form-urlencoded", "CF-Connecting-IP": "198.51.100.33" },
          body: new URLSearchParams({ email: member.email, password: member.password, "cf-turnstile-response": answer }),
        },
        TURNSTILE,
      );
    const refused = await post("");
    expect(refused.status).toBe(400);
    expect(refused.headers.get("Set-Cookie")).toBeNull();
    expect(refused.headers.get("Content-Security-Policy")).toContain("frame-src https://challenges.cloudflare.com");
    expect((await post("good-token")).status).toBe(303);
  });
});
