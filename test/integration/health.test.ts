import { describe, expect, it } from "vitest";
import { ADMIN, call, callJson } from "../helpers/worker";

describe("GET /healthz", () => {
  it("answers ok without touching storage", async () => {
    const res = await call("/healthz");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
    expect(res.headers.get("X-Request-Id")).toBeTruthy();
  });

  it("checks D1 and KV when asked for a deep check", async () => {
    const res = await call("/healthz?deep=1");
    expect(await res.json()).toEqual({ status: "ok", checks: { d1: "ok", kv: "ok", config: "ok" } });
  });
});

describe("misconfiguration", () => {
  it("answers 503 misconfigured naming a malformed variable on a route that needs it, and only there", async () => {
    const broken = { CART_TTL_DAYS: "soon" };
    const res = await callJson("/api/carts", "POST", {}, {}, broken);
    expect(res.status).toBe(503);
    expect(res.headers.get("Content-Type")).toBe("application/problem+json");
    expect(await res.json()).toMatchObject({ code: "misconfigured", setting: "CART_TTL_DAYS" });
    expect((await call("/api/categories", {}, broken)).status).toBe(200);
  });

  it("reports a failed configuration in the deep check, with the reasons for the admin token only", async () => {
    const broken = { CACHE_WARM_TOP: "-5" };
    const anonymous = await call("/healthz?deep=1", {}, broken);
    expect(anonymous.status).toBe(503);
    const body = await anonymous.json<Record<string, unknown>>();
    expect(body).toEqual({ status: "degraded", checks: { d1: "ok", kv: "ok", config: "failed" } });
    const ops = await call("/healthz?deep=1", { headers: ADMIN }, broken);
    expect(await ops.json()).toMatchObject({ details: { config: [{ setting: "CACHE_WARM_TOP" }] } });
  });
});
