import { env } from "cloudflare:workers";
import { DrizzleQueryError } from "drizzle-orm/errors";
import { afterEach, describe, expect, it, vi } from "vitest";
import { encodePng } from "../../scripts/png";
import { describeError, log } from "../../src/log";
import { placeOrder } from "../helpers/factories";
import { ADMIN, call } from "../helpers/worker";

afterEach(() => vi.restoreAllMocks());

describe("the order page's referrer policy", () => {
  it("answers Referrer-Policy: no-referrer, since its URL carries the order token", async () => {
    const order = await placeOrder(5, 1);
    const res = await call(`/orders/${order.orderId}?token=${encodeURIComponent(order.orderToken)}`, { headers: { Accept: "text/html" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("Referrer-Policy")).toBe("no-referrer");
    expect(res.headers.getSetCookie()).toEqual([]);
  });
});

describe("opener isolation", () => {
  it("keeps other sites' windows away from account, checkout, order, review and admin pages, not from catalog pages", async () => {
    for (const path of [
      "/account",
      "/account/login",
      "/checkout",
      "/admin",
      "/orders/ord_unknown",
      "/p/any-product/review",
      "/newsletter/confirm",
    ]) {
      const res = await call(path, { headers: { Accept: "text/html" } });
      expect(res.headers.get("Cross-Origin-Opener-Policy"), path).toBe("same-origin");
    }
    for (const path of ["/", "/search?q=mug", "/cart", "/pages/shipping", "/no-such-page"]) {
      const res = await call(path, { headers: { Accept: "text/html" } });
      expect(res.headers.get("Cross-Origin-Opener-Policy"), path).toBeNull();
      expect(res.headers.get("Content-Security-Policy"), path).toContain("default-src 'self'");
    }
  });
});

describe("errors in logs", () => {
  it("logs a D1 failure without the values bound to its statement", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "error").mockImplementation((line: string) => void lines.push(line));
    const cause = new Error("D1_ERROR: UNIQUE constraint failed: staff.email: SQLITE_CONSTRAINT");
    const failed = new DrizzleQueryError(
      "insert into staff (email, name, token_hash) values (?, ?, ?)",
      ["Ana.Lima@example.com", "Ana Lima", "tok_8f3a9c1d2e"],
      cause,
    );
    log.error("request.failed", { error: failed });
    log.error("request.failed", { error: new Error("D1_TYPE_ERROR: Type 'object' not supported for value 'Ana Lima, 12 Rua Augusta'") });
    const text = lines.join("\n");
    for (const secret of ["Ana.Lima@example.com", "Ana Lima", "tok_8f3a9c1d2e", "Rua Augusta"]) expect(text).not.toContain(secret);
    expect(text).toContain("insert into staff");
    expect(text).toContain("UNIQUE constraint failed: staff.email");
    expect(describeError(failed).message).not.toContain("tok_8f3a9c1d2e");
  });

  it("shows anyone only ok or failed per component in the deep health check; the reasons need the admin token", async () => {
    const broken = {
      prepare: () => {
        throw new Error("D1_ERROR: no such table: staff_secrets (host db-7.internal, user ana@example.com)");
      },
    };
    const anonymous = await call("/healthz?deep=1", {}, { DB: broken });
    expect(anonymous.status).toBe(503);
    const text = await anonymous.text();
    expect(JSON.parse(text)).toEqual({ status: "degraded", checks: { d1: "failed", kv: "ok", config: "ok" } });
    for (const leak of ["staff_secrets", "db-7", "D1_ERROR", "ana@example.com"]) expect(text).not.toContain(leak);
    const ops = await (await call("/healthz?deep=1", { headers: ADMIN }, { DB: broken })).text();
    expect(ops).toContain("no such table");
    expect(ops).not.toContain("ana@example.com");
  });
});

describe("media ranges", () => {
  it("answers 206 only to a range it serves: 416 past the end, the whole file for a range it cannot read", async () => {
    const bytes = await encodePng(120, 90, (x, y) => [(x * 3) % 256, (y * 5) % 256, 77]);
    const key = (
      await (
        await call("/admin/api/media", { method: "POST", headers: { ...ADMIN, "Content-Type": "application/octet-stream" }, body: bytes })
      ).json<{ key: string }>()
    ).key;
    const get = (range: string) => call(`/media/${key}`, { headers: { Range: range } });

    for (const range of ["bytes=abc", "bytes=5-2", "items=0-9", "bytes=0-1,4-5", "bytes=", "bytes=--3", "bytes=0x0-9"]) {
      const res = await get(range);
      expect(res.status, range).toBe(200);
      expect(res.headers.get("Content-Range"), range).toBeNull();
      expect(new Uint8Array(await res.arrayBuffer()), range).toEqual(bytes);
    }
    const past = await get(`bytes=${bytes.length}-`);
    expect(past.status).toBe(416);
    expect(past.headers.get("Content-Range")).toBe(`bytes */${bytes.length}`);

    const head = await get("bytes=0-9");
    expect(head.status).toBe(206);
    expect(head.headers.get("Content-Range")).toBe(`bytes 0-9/${bytes.length}`);
    expect(new Uint8Array(await head.arrayBuffer())).toEqual(bytes.slice(0, 10));
    const tail = await get("bytes=-5");
    expect(tail.status).toBe(206);
    expect(tail.headers.get("Content-Range")).toBe(`bytes ${bytes.length - 5}-${bytes.length - 1}/${bytes.length}`);
    expect(new Uint8Array(await tail.arrayBuffer())).toEqual(bytes.slice(-5));
    const open = await get(`bytes=${bytes.length - 3}-999999`);
    expect(open.status).toBe(206);
    expect(new Uint8Array(await open.arrayBuffer())).toEqual(bytes.slice(-3));
    void env;
  });
});
