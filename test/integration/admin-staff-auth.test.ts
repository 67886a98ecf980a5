import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { createDb } from "../../src/db";
import { type Permission, permissionFor, ROLE_PERMISSIONS, type StaffRole } from "../../src/domain/staff";
import { SESSION_IDLE_MS, SESSION_MAX_MS, sessionOf, signIn } from "../../src/services/staff";
import { makeStaff, postLogin, signedIn } from "../helpers/admin-session";
import { makeProduct } from "../helpers/factories";
import { ADMIN, call, callJson, VIEWER } from "../helpers/worker";

/** Waits for a fresh rate-limit minute when little of this one is left (the limiters count in wall-clock minutes). */
async function freshMinute(needMs: number) {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < needMs) await new Promise((r) => setTimeout(r, left + 50));
}

const cookieOf = (res: Response) => (res.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "";

describe("staff bootstrap", () => {
  it("creates staff with the ADMIN_TOKEN and answers { id, email, role }", async () => {
    const email = `Boot-${crypto.randomUUID().slice(0, 8)}@Shop.test`;
    const res = await callJson("/admin/api/staff", "POST", { email, password: "a long enough secret", role: "owner" });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ id: expect.stringMatching(/^stf_/), email: email.toLowerCase(), role: "owner" });
    const again = await callJson("/admin/api/staff", "POST", { email, password: "another long secret", role: "staff" });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ code: "email_taken" });
  });

  it("refuses short passwords, unknown roles and the read-only token, creating nobody", async () => {
    const email = `weak-${crypto.randomUUID().slice(0, 8)}@shop.test`;
    const short = await callJson("/admin/api/staff", "POST", { email, password: "short", role: "staff" });
    expect(short.status).toBe(400);
    expect(await short.json()).toMatchObject({ errors: [expect.objectContaining({ field: "password" })] });
    expect((await callJson("/admin/api/staff", "POST", { email, password: "long enough password", role: "boss" })).status).toBe(400);
    expect((await callJson("/admin/api/staff", "POST", { email, password: "long enough password", role: "staff" }, VIEWER)).status).toBe(
      403,
    );
    expect((await postLogin(email, "long enough password")).status).toBe(401);
  });

  it("keeps an owner when two owners are removed at the same moment", async () => {
    const db = createDb(env.DB);
    const owners = await db.query.staff.findMany({ where: (s, { and, eq, isNull }) => and(eq(s.role, "owner"), isNull(s.disabledAt)) });
    const a = await makeStaff("owner");
    const b = await makeStaff("owner");
    for (const o of owners) await callJson(`/admin/api/staff/${o.id}`, "PATCH", { disabled: true });
    const [one, two] = await Promise.all([
      callJson(`/admin/api/staff/${a.id}`, "PATCH", { role: "viewer" }),
      callJson(`/admin/api/staff/${b.id}`, "PATCH", { disabled: true }),
    ]);
    expect([one.status, two.status].sort()).toEqual([200, 409]);
    const left = await db.query.staff.findMany({ where: (s, { and, eq, isNull }) => and(eq(s.role, "owner"), isNull(s.disabledAt)) });
    expect(left).toHaveLength(1);
  });

  it("keeps the last active owner: demoting or disabling them is refused", async () => {
    const db = createDb(env.DB);
    const owners = await db.query.staff.findMany({ where: (s, { and, eq, isNull }) => and(eq(s.role, "owner"), isNull(s.disabledAt)) });
    for (const o of owners) await callJson(`/admin/api/staff/${o.id}`, "PATCH", { disabled: true });
    const last = await makeStaff("owner");
    const others = await db.query.staff.findMany({
      where: (s, { and, eq, isNull, ne }) => and(eq(s.role, "owner"), isNull(s.disabledAt), ne(s.id, last.id)),
    });
    for (const o of others) await callJson(`/admin/api/staff/${o.id}`, "PATCH", { disabled: true });
    const res = await callJson(`/admin/api/staff/${last.id}`, "PATCH", { role: "viewer" });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ code: "last_owner" });
  });
});

describe("signing in", () => {
  it("lands on /admin with an HttpOnly, Secure, SameSite=Strict session cookie scoped to /admin", async () => {
    const member = await makeStaff("staff");
    const res = await postLogin(member.email, member.password);
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/admin");
    const cookie = res.headers.get("Set-Cookie") ?? "";
    expect(cookie).toMatch(/^admin_session=[A-Za-z0-9_-]{40,};/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/Secure/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Path=\/admin/);
    const home = await call("/admin", { headers: { Cookie: cookieOf(res) } });
    expect(home.status).toBe(200);
    expect(await home.text()).toContain(member.email);
  });

  it("goes back to the page that asked for sign-in, but never off the admin", async () => {
    const member = await makeStaff("staff");
    expect((await postLogin(member.email, member.password, "198.51.100.8", "/admin/orders?status=paid")).headers.get("Location")).toBe(
      "/admin/orders?status=paid",
    );
    for (const next of ["//evil.example/admin", "https://evil.example/", "/admin\\@evil", "/admin/x\r\nSet-Cookie: a=b", "/admin/é"]) {
      expect((await postLogin(member.email, member.password, undefined, next)).headers.get("Location"), next).toBe("/admin");
    }
  });

  it("answers an unknown email exactly as a wrong password", async () => {
    const member = await makeStaff("staff");
    const wrong = await postLogin(member.email, "not the password at all");
    const unknown = await postLogin(`nobody-${crypto.randomUUID().slice(0, 6)}@shop.test`, "not the password at all");
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const strip = async (res: Response, email: string) =>
      (await res.text()).replaceAll(email, "EMAIL").replace(/nonce-[^'"]+|nonce="[^"]+"/g, "N");
    expect(await strip(wrong, member.email)).toBe(
      await strip(unknown, /value="([^"]+@shop\.test)"/.exec(await unknown.clone().text())?.[1] ?? ""),
    );
    expect(wrong.headers.get("Set-Cookie")).toBeNull();
  });

  it("limits an account to five attempts a minute from one address with 429 and Retry-After, even with the right password", async () => {
    const member = await makeStaff("staff");
    await freshMinute(15_000);
    const ip = "203.0.113.45";
    for (let i = 1; i <= 5; i++) expect((await postLogin(member.email, `wrong password ${i}`, ip)).status).toBe(401);
    const limited = await postLogin(member.email, member.password, ip);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(await limited.text()).toContain("Too many sign-in attempts");
    expect(limited.headers.get("Set-Cookie")).toBeNull();
  });

  it("does not let wrong passwords from other addresses lock the owner out", async () => {
    const member = await makeStaff("owner");
    await freshMinute(15_000);
    for (let i = 1; i <= 8; i++)
      expect((await postLogin(` ${member.email.toUpperCase()} `, `guess ${i}`, `192.0.2.${100 + i}`)).status).toBe(401);
    expect((await postLogin(member.email, member.password, "198.51.100.200")).status).toBe(303);
  });

  it("limits one client address across accounts", async () => {
    const ip = `192.0.2.${Math.floor(Math.random() * 200) + 20}`;
    const statuses: number[] = [];
    await freshMinute(20_000);
    for (let i = 0; i < 21; i++) statuses.push((await postLogin(`spray-${i}-${ip}@shop.test`, "guessing password", ip)).status);
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses[20]).toBe(429);
  });

  it("ends sessions after two idle hours or twelve hours in all", async () => {
    const db = createDb(env.DB);
    const member = await makeStaff("viewer");
    const start = new Date("2026-12-01T08:00:00Z");
    const { token } = await signIn(db, member.email, member.password, "test", start);
    expect(await sessionOf(db, token, new Date(start.getTime() + SESSION_IDLE_MS - 60_000))).toBeDefined();
    expect(await sessionOf(db, token, new Date(start.getTime() + 2 * SESSION_IDLE_MS - 120_000))).toBeDefined();
    expect(await sessionOf(db, token, new Date(start.getTime() + 4 * SESSION_IDLE_MS))).toBeUndefined();
    const fresh = await signIn(db, member.email, member.password, "test", start);
    let t = start.getTime();
    while (t < start.getTime() + SESSION_MAX_MS - 3_600_000) {
      t += 3_600_000;
      expect(await sessionOf(db, fresh.token, new Date(t))).toBeDefined();
    }
    expect(await sessionOf(db, fresh.token, new Date(start.getTime() + SESSION_MAX_MS + 1000))).toBeUndefined();
  });

  it("signs out: the cookie is cleared and the session no longer works", async () => {
    const browser = await signedIn("staff");
    const res = await browser.post("/admin/logout", {});
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/admin/login");
    expect(res.headers.get("Set-Cookie")).toMatch(/admin_session=;/);
    const after = await browser.get("/admin");
    expect(after.status).toBe(303);
    expect(after.headers.get("Location")).toMatch(/^\/admin\/login/);
  });
});

describe("forms and CSRF", () => {
  it("refuses a session's write without the CSRF token, or with another session's, changing nothing", async () => {
    const browser = await signedIn("staff");
    const other = await signedIn("staff");
    const product = await makeProduct({ title: "Unchanged title" });
    const fields = { title: "Forged", status: "published", v_sku: product.variants[0]!.sku, v_existing: "1", v_price: "1.00" };
    const none = await browser.post(`/admin/products/${product.id}`, fields, { csrf: false });
    expect(none.status).toBe(403);
    const foreign = await browser.post(`/admin/products/${product.id}`, { ...fields, _csrf: other.csrf }, { csrf: false });
    expect(foreign.status).toBe(403);
    const api = await call(`/admin/api/products/${product.id}`, {
      method: "PATCH",
      headers: { Cookie: browser.cookie, "Content-Type": "application/json" },
      body: JSON.stringify({ title: "Forged" }),
    });
    expect(api.status).toBe(403);
    expect(await api.json()).toMatchObject({ code: "csrf_invalid" });
    const after = await (await call(`/admin/api/products/${product.id}`, { headers: ADMIN })).json<{ title: string }>();
    expect(after.title).toBe("Unchanged title");
  });

  it("lets a script with the session send the token in X-CSRF-Token", async () => {
    const browser = await signedIn("staff");
    const product = await makeProduct();
    const res = await call(`/admin/api/products/${product.id}`, {
      method: "PATCH",
      headers: { Cookie: browser.cookie, "X-CSRF-Token": browser.csrf, "Content-Type": "application/json" },
      body: JSON.stringify({ title: "Scripted" }),
    });
    expect(res.status).toBe(200);
    const audit = await (await call(`/admin/api/audit?entity=product&entityId=${product.id}`, { headers: ADMIN })).json<{
      items: { actor: string; action: string }[];
    }>();
    expect(audit.items[0]).toMatchObject({ actor: `staff:${browser.email}`, action: "update" });
  });
});

/** Sample values for the admin routes' path parameters. */
const SAMPLE: Record<string, string> = { id: "1", sku: "SKU-NONE", name: "cache-warm-up", key: "k", move: "offer" };

function pagesOf(): { method: string; path: string; sample: string }[] {
  const seen = new Set<string>();
  const out: { method: string; path: string; sample: string }[] = [];
  for (const r of app.routes) {
    if (r.method === "ALL" || !r.path.startsWith("/admin") || r.path.startsWith("/admin/api") || r.path === "/admin/login") continue;
    const key = `${r.method} ${r.path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const sample = r.path.replace(/:(\w+)(\{[^}]*\})?/g, (_, name: string) => SAMPLE[name] ?? "x").replace(/\{[^}]*\}/g, "");
    out.push({ method: r.method, path: r.path, sample });
  }
  return out;
}

describe("every admin page checks the role", () => {
  const pages = pagesOf();

  it("finds the admin pages to check", () => {
    expect(pages.length).toBeGreaterThan(30);
    expect(pages.map((p) => `${p.method} ${p.sample}`)).toEqual(
      expect.arrayContaining(["GET /admin", "GET /admin/products/new", "POST /admin/logout"]),
    );
  });

  it("sends the signed-out to the sign-in form, for every method", async () => {
    for (const p of pages) {
      const res = await call(p.sample, { method: p.method, redirect: "manual", headers: { Accept: "text/html" } });
      expect(res.status, `${p.method} ${p.path}`).toBe(303);
      expect(res.headers.get("Location"), `${p.method} ${p.path}`).toMatch(/^\/admin\/login/);
    }
  });

  for (const role of ["viewer", "staff"] as StaffRole[]) {
    it(`answers 403 to a ${role} wherever the role lacks the right, and lets the rest through`, async () => {
      const browser = await signedIn(role);
      const granted: ReadonlySet<Permission> = ROLE_PERMISSIONS[role];
      // Signing out last, so the session lasts the whole walk.
      for (const p of [...pages].sort((a, b) => Number(a.sample === "/admin/logout") - Number(b.sample === "/admin/logout"))) {
        const res = p.method === "GET" ? await browser.get(p.sample) : await browser.post(p.sample, {});
        const needed = permissionFor(p.method, p.sample);
        const selfService = /^\/admin\/(logout|account)/.test(p.sample);
        const allowed = selfService || (needed ? granted.has(needed) : false);
        if (allowed) expect(res.status, `${role} ${p.method} ${p.path}`).not.toBe(403);
        else expect(res.status, `${role} ${p.method} ${p.path}`).toBe(403);
      }
    });
  }

  it("shows a viewer no write actions", async () => {
    const browser = await signedIn("viewer");
    const product = await makeProduct();
    const html = await (await browser.get(`/admin/products/${product.id}`)).text();
    expect(html).not.toContain("Save product");
    expect(html).not.toContain("Archive product");
    expect(html).not.toContain('type="file"');
    const list = await (await browser.get("/admin/products")).text();
    expect(list).not.toContain("New product");
    expect(await (await browser.get("/admin")).text()).not.toContain("Staff &amp; tokens");
  });
});

describe("API tokens", () => {
  async function token(scopes: string[], name = `tok-${crypto.randomUUID().slice(0, 6)}`) {
    const res = await callJson("/admin/api/tokens", "POST", { name, scopes });
    expect(res.status, await res.clone().text()).toBe(201);
    return res.json<{ id: string; token: string; prefix: string }>();
  }
  const bearer = (t: string) => ({ Authorization: `Bearer ${t}` });

  it("grants exactly its scopes: read where it may, 403 elsewhere, write only with a write scope", async () => {
    const { token: secret } = await token(["catalog:read", "orders:write"]);
    const product = await makeProduct();
    expect((await call("/admin/api/products", { headers: bearer(secret) })).status).toBe(200);
    expect((await callJson(`/admin/api/products/${product.id}`, "PATCH", { title: "No" }, bearer(secret))).status).toBe(403);
    expect((await call("/admin/api/orders", { headers: bearer(secret) })).status).toBe(200);
    expect((await call("/admin/api/inventory/ANY-SKU", { headers: bearer(secret) })).status).toBe(403);
    expect((await call("/admin/api/staff", { headers: bearer(secret) })).status).toBe(403);
    expect((await call("/admin/api/jobs", { headers: bearer(secret) })).status).toBe(403);
  });

  it("is shown once, stored hashed, notes its last use, and stops working when revoked", async () => {
    const created = await token(["orders:read"]);
    expect(created.token).toMatch(/^eft_/);
    const db = createDb(env.DB);
    const row = await db.query.apiTokens.findFirst({ where: (t, { eq }) => eq(t.id, created.id) });
    expect(JSON.stringify(row)).not.toContain(created.token);
    await call("/admin/api/orders", { headers: bearer(created.token) });
    const listed = await (await call("/admin/api/tokens", { headers: ADMIN })).json<{
      items: { id: string; lastUsedAt: string | null }[];
    }>();
    expect(listed.items.find((t) => t.id === created.id)?.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(listed)).not.toContain(created.token);
    expect((await call(`/admin/api/tokens/${created.id}`, { method: "DELETE", headers: ADMIN })).status).toBe(204);
    expect((await call("/admin/api/orders", { headers: bearer(created.token) })).status).toBe(401);
  });

  it("cannot be given staff scopes, so no token mints staff or tokens", async () => {
    const res = await callJson("/admin/api/tokens", "POST", { name: "escalate", scopes: ["staff:write"] });
    expect(res.status).toBe(400);
    const { token: secret } = await token(["catalog:write", "orders:write", "settings:write"]);
    expect(
      (
        await callJson(
          "/admin/api/staff",
          "POST",
          { email: "x@shop.test", password: "long enough password", role: "owner" },
          bearer(secret),
        )
      ).status,
    ).toBe(403);
    expect((await callJson("/admin/api/tokens", "POST", { name: "more", scopes: ["catalog:read"] }, bearer(secret))).status).toBe(403);
  });

  it("stops working when the owner who made it is disabled", async () => {
    const owner = await signedIn("owner");
    const made = await owner.post("/admin/tokens", { name: "owner's script", scopes: "orders:read" });
    const secret = /data-token[^>]*>\s*(eft_[A-Za-z0-9_-]+)/.exec(await made.text())?.[1] as string;
    expect((await call("/admin/api/orders", { headers: bearer(secret) })).status).toBe(200);
    expect((await callJson(`/admin/api/staff/${owner.id}`, "PATCH", { disabled: true })).status).toBe(200);
    expect((await call("/admin/api/orders", { headers: bearer(secret) })).status).toBe(401);
  });

  it("records writes made with a token in the audit log under the token's name", async () => {
    const { token: secret, id } = await token(["orders:write"], "warehouse");
    await callJson("/admin/api/orders/ord_000000000000000000000000/cancel", "POST", {}, bearer(secret));
    const rows = await createDb(env.DB).query.auditLog.findMany({ where: (a, { eq }) => eq(a.actor, `token:warehouse#${id}`) });
    expect(rows.length).toBe(0);
    const product = await makeProduct();
    const ops = await callJson(`/admin/api/products/${product.id}/media`, "PUT", { items: [] }, ADMIN);
    expect(ops.status).toBe(200);
    const media = await createDb(env.DB).query.auditLog.findFirst({
      where: (a, { and, eq }) => and(eq(a.entity, "products"), eq(a.entityId, String(product.id))),
    });
    expect(media).toMatchObject({ actor: "token:admin", action: "put media" });
  });
});

describe("the audit log", () => {
  it("names who created which staff member and token, and records role changes before and after", async () => {
    const owner = await signedIn("owner");
    const member = await makeStaff("staff");
    await owner.post(`/admin/staff/${member.id}/role`, { role: "viewer" });
    const rows = await createDb(env.DB).query.auditLog.findMany({ where: (a, { eq }) => eq(a.entityId, member.id) });
    expect(rows.map((r) => [r.actor, r.action])).toEqual([
      ["token:admin", "create"],
      [`staff:${owner.email}`, "update"],
    ]);
    expect(rows[1]?.changes).toMatchObject({ before: { role: "staff" }, after: { role: "viewer" } });
  });

  it("writes nothing for a refused form, and hides staff rows from those who are not owners", async () => {
    const viewer = await signedIn("viewer");
    const db = createDb(env.DB);
    const before = await db.$count((await import("../../src/db/schema")).auditLog);
    const wrong = await viewer.post("/admin/account/password", { current: "not my password", password: "another long password" });
    expect(wrong.status).toBe(303);
    expect(await db.$count((await import("../../src/db/schema")).auditLog)).toBe(before);
    const page = await (await viewer.get("/admin/audit")).text();
    expect(page).not.toContain("sign_in");
    const owner = await signedIn("owner");
    expect(await (await owner.get("/admin/audit")).text()).toContain("sign_in");
  });
});
