import { describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { apiDocument, operationsOf, undescribed } from "../helpers/openapi";

// The documents' own routes serve the descriptions; they are not operations of the APIs described.
const DESCRIPTIONS = new Set(["GET /api/openapi.json", "GET /admin/api/openapi.json"]);

/** `/api/carts/:id{[0-9]+}?` → `/api/carts/{id}`. */
const openApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?\??/g, "{$1}");

/** Routes registered on the app under `prefix`, as `METHOD /path`, middleware left out. */
function routesUnder(prefix: string): string[] {
  const found = new Set<string>();
  for (const route of app.routes) {
    if (route.method === "ALL" || !route.path.startsWith(prefix)) continue;
    const key = `${route.method} ${openApiPath(route.path)}`;
    if (!DESCRIPTIONS.has(key)) found.add(key);
  }
  return [...found].sort();
}

describe("the OpenAPI documents cover every API route", () => {
  it("finds the routes to check", () => {
    expect(routesUnder("/api/")).toContain("POST /api/carts/{id}/checkout");
    expect(routesUnder("/admin/api/")).toContain("POST /admin/api/orders/{id}/refund");
  });

  it("documents every route under /api/ in the store document, and nothing else", async () => {
    const documented = operationsOf(await apiDocument("store"));
    const routes = routesUnder("/api/");
    expect(routes.filter((r) => !documented.has(r))).toEqual([]);
    expect([...documented].filter((op) => !routes.includes(op))).toEqual([]);
  });

  it("documents every route under /admin/api/ in the admin document, and nothing else", async () => {
    const documented = operationsOf(await apiDocument("admin"));
    const routes = routesUnder("/admin/api/");
    expect(routes.filter((r) => !documented.has(r))).toEqual([]);
    expect([...documented].filter((op) => !routes.includes(op))).toEqual([]);
  });

  it("gives every operation a tag, a summary and a described success answer (a validator alone is not documentation)", async () => {
    expect(undescribed(await apiDocument("store"))).toEqual([]);
    expect(undescribed(await apiDocument("admin"))).toEqual([]);
  });
});
