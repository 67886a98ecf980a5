import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { makeProduct } from "../helpers/factories";
import { call, callJson, incoming, VIEWER } from "../helpers/worker";

describe("admin authentication", () => {
  it("refuses requests without a token with 401 problem+json", async () => {
    const res = await call("/admin/api/products");
    expect(res.status).toBe(401);
    expect(res.headers.get("Content-Type")).toBe("application/problem+json");
    expect(await res.json()).toMatchObject({ code: "unauthorized", status: 401 });
  });

  it("refuses a wrong token, a token of another length, and non-bearer schemes", async () => {
    for (const Authorization of ["Bearer test-admin-tokem", "Bearer x", "Basic dGVzdDp0ZXN0", "test-admin-token"]) {
      const res = await call("/admin/api/products", { headers: { Authorization } });
      expect(res.status, Authorization).toBe(401);
    }
  });

  it("denies unknown admin paths before routing, so nothing leaks their existence", async () => {
    expect((await call("/admin/api/secret-report")).status).toBe(401);
    const page = await call("/admin/anything");
    expect(page.status).toBe(303);
    expect(page.headers.get("Location")).toBe("/admin/login?next=%2Fadmin%2Fanything");
  });

  it("lets the read-only token read but answers 403 to its writes, changing nothing", async () => {
    const product = await makeProduct({ title: "Steady Title" });
    expect((await call(`/admin/api/products/${product.id}`, { headers: VIEWER })).status).toBe(200);
    const write = await callJson(`/admin/api/products/${product.id}`, "PATCH", { title: "Hacked" }, VIEWER);
    expect(write.status).toBe(403);
    expect(await write.json()).toMatchObject({ code: "forbidden" });
    const after = await (await call(`/api/products/${product.slug}`)).json<{ title: string }>();
    expect(after.title).toBe("Steady Title");
  });

  it("fails loudly with 503 when ADMIN_TOKEN is not configured", async () => {
    const res = await worker.fetch(
      incoming(new Request("https://shop.test/admin/api/products", { headers: { Authorization: "Bearer anything" } })),
      { ...env, ADMIN_TOKEN: undefined } as unknown as typeof env,
      createExecutionContext(),
    );
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ code: "misconfigured", detail: expect.stringContaining("ADMIN_TOKEN") });
  });
});
