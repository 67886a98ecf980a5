import { describe, expect, it } from "vitest";
import { apiDocument } from "../helpers/openapi";
import { call, VIEWER } from "../helpers/worker";

describe("GET /docs", () => {
  it("renders both documents' operations as HTML, with links to the JSON documents", async () => {
    const res = await call("/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<main id="main"');
    expect(html).toContain("<h1>API reference</h1>");
    expect(html).toContain('<nav class="docs-nav" aria-label="API contents">');
    expect(html).toContain('<code class="path">/api/carts/{id}/checkout</code>');
    expect(html).toContain('<code class="path">/admin/api/orders/{id}/refund</code>');
    expect(html).toContain('href="/api/openapi.json"');
    expect(html).toContain('href="/admin/api/openapi.json"');
    // Field names of request bodies and parameters are listed.
    expect(html).toContain("<code>shippingAddress.country</code>");
    expect(html).toContain("<code>Idempotency-Key</code>");
    // Only same-origin, inline-free: no scripts at all.
    expect(html).not.toContain("<script");
  });
});

describe("the API documents", () => {
  it("serves the store document publicly as OpenAPI 3.1 with OpenAPI-style paths", async () => {
    const res = await call("/api/openapi.json");
    expect(res.headers.get("Content-Type")).toMatch(/^application\/json/);
    const doc = await apiDocument("store");
    expect(doc.openapi.startsWith("3.1")).toBe(true);
    expect(doc.paths).toHaveProperty(["/api/carts/{id}/checkout"]);
    expect(Object.keys(doc.paths).every((p) => p.startsWith("/api/") && !p.includes(":"))).toBe(true);
    expect(doc.components.schemas).toHaveProperty("Problem");
  });

  it("serves the admin document behind the admin auth, to any role that may read", async () => {
    expect((await call("/admin/api/openapi.json")).status).toBe(401);
    const viewer = await call("/admin/api/openapi.json", { headers: VIEWER });
    expect(viewer.status).toBe(200);
    const doc = await viewer.json<{ openapi: string; paths: Record<string, unknown>; components: Record<string, unknown> }>();
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths).every((p) => p.startsWith("/admin/api/"))).toBe(true);
    expect(doc.components).toHaveProperty(["securitySchemes", "bearerAuth"]);
    expect(doc.components).toHaveProperty(["securitySchemes", "adminSession", "name"], "admin_session");
  });
});
