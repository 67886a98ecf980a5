import { describe, expect, it } from "vitest";
import { call } from "../helpers/worker";

describe("GET /healthz", () => {
  it("answers ok without touching storage", async () => {
    const res = await call("/healthz");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
    expect(res.headers.get("X-Request-Id")).toBeTruthy();
  });

  it("checks D1 and KV when asked for a deep check", async () => {
    const res = await call("/healthz?deep=1");
    expect(await res.json()).toEqual({ status: "ok", checks: { d1: "ok", kv: "ok" } });
  });
});
