import { beforeAll, describe, expect, it } from "vitest";
import { encodePng } from "../../scripts/png";
import { addLine, checkout, makeCart, makeCategory, makeProduct, makeStockedProduct, placeOrder, unique } from "../helpers/factories";
import { type ApiDocument, apiDocument, expectDocumented, schemaErrors, schemaOf } from "../helpers/openapi";
import { payOrder } from "../helpers/queues";
import { ADMIN, call, callJson } from "../helpers/worker";

let store: ApiDocument;
let admin: ApiDocument;

beforeAll(async () => {
  store = await apiDocument("store");
  admin = await apiDocument("admin");
});

const get = (path: string, headers: Record<string, string> = ADMIN) => call(path, { headers });

/** A paid order shipped in full, ready for a return. */
async function shippedOrder() {
  const placed = await placeOrder(10, 2);
  await payOrder(placed.orderId, placed.paymentId);
  const res = await callJson(`/admin/api/orders/${placed.orderId}/fulfil`, "POST", { carrier: "ups", trackingNumber: unique("1Z") });
  await expectDocumented(admin, "POST", "/admin/api/orders/{id}/fulfil", res, 201);
  return placed;
}

describe("store API answers match the store document", () => {
  it("lists, shows and categorises products", async () => {
    const category = await makeCategory();
    const product = await makeProduct({ categoryIds: [category.id], brand: "Acme" });
    await expectDocumented(store, "GET", "/api/products", await call(`/api/products?category=${category.slug}`), 200);
    await expectDocumented(store, "GET", "/api/products", await call("/api/products?q=sturdy&limit=5"), 200);
    const detail = await expectDocumented(store, "GET", "/api/products/{slug}", await call(`/api/products/${product.slug}`), 200);
    expect(detail).toMatchObject({ slug: product.slug });
    await expectDocumented(store, "GET", "/api/categories", await call("/api/categories"), 200);
  });

  it("creates, fills, changes and empties a cart", async () => {
    const { sku } = await makeStockedProduct(20);
    const created = await callJson("/api/carts", "POST", { email: "cart@example.com" }, {});
    const cart = await expectDocumented<{ id: string }>(store, "POST", "/api/carts", created, 201);
    await expectDocumented(store, "GET", "/api/carts/{id}", await call(`/api/carts/${cart.id}`), 200);
    const added = await callJson(`/api/carts/${cart.id}/lines`, "POST", { sku, quantity: 2 }, {});
    await expectDocumented(store, "POST", "/api/carts/{id}/lines", added, 200);
    const changed = await callJson(`/api/carts/${cart.id}/lines/${sku}`, "PATCH", { quantity: 3 }, {});
    await expectDocumented(store, "PATCH", "/api/carts/{id}/lines/{sku}", changed, 200);
    const removed = await call(`/api/carts/${cart.id}/lines/${sku}`, { method: "DELETE" });
    await expectDocumented(store, "DELETE", "/api/carts/{id}/lines/{sku}", removed, 200);
  });

  it("quotes and checks out a cart, then opens the order with its token", async () => {
    const { sku } = await makeStockedProduct(20);
    const cart = await makeCart();
    await addLine(cart, sku, 2);
    await expectDocumented(store, "GET", "/api/carts/{id}/quote", await call(`/api/carts/${cart}/quote?country=PT`), 200);
    const placed = await expectDocumented<{ orderId: string; orderToken: string }>(
      store,
      "POST",
      "/api/carts/{id}/checkout",
      await checkout(cart),
      201,
    );
    const order = await call(`/api/orders/${placed.orderId}?token=${encodeURIComponent(placed.orderToken)}`);
    await expectDocumented(store, "GET", "/api/orders/{id}", order, 200);
  });

  it("takes a return request for a shipped order", async () => {
    const o = await shippedOrder();
    const res = await callJson(
      `/api/orders/${o.orderId}/returns?token=${encodeURIComponent(o.orderToken)}`,
      "POST",
      { lines: [{ sku: o.sku, quantity: 1 }], reason: "Too small" },
      {},
    );
    await expectDocumented(store, "POST", "/api/orders/{id}/returns", res, 201);
  });

  it("answers errors as documented problem+json", async () => {
    const missing = await call("/api/products/no-such-product");
    expect(missing.headers.get("Content-Type")).toBe("application/problem+json");
    await expectDocumented(store, "GET", "/api/products/{slug}", missing, 404);
    const invalid = await expectDocumented<{ errors: { field: string; in: string }[] }>(
      store,
      "GET",
      "/api/carts/{id}",
      await call("/api/carts/not-a-uuid"),
      400,
    );
    expect(invalid.errors).toEqual([{ field: "id", in: "param", message: "Cart ids are UUIDs." }]);
    const noKey = await callJson(`/api/carts/${await makeCart()}/checkout`, "POST", {}, {});
    await expectDocumented(store, "POST", "/api/carts/{id}/checkout", noKey, 400);
  });
});

describe("admin API answers match the admin document", () => {
  it("creates, lists, reads and changes products and categories, with the audit trail", async () => {
    const category = await expectDocumented<{ id: number }>(
      admin,
      "POST",
      "/admin/api/categories",
      await callJson("/admin/api/categories", "POST", { name: "Docs category", slug: unique("docs") }),
      201,
    );
    const sku = unique("DOC").toUpperCase();
    const createdRes = await callJson("/admin/api/products", "POST", {
      title: "Documented thing",
      slug: unique("documented"),
      status: "published",
      categoryIds: [category.id],
      variants: [
        { sku, options: { size: "M" }, price: { amount: 1500, currency: "USD" }, compareAtPrice: { amount: 2000, currency: "USD" } },
      ],
    });
    const created = await expectDocumented<{ id: number }>(admin, "POST", "/admin/api/products", createdRes, 201);
    await expectDocumented(admin, "GET", "/admin/api/products", await get("/admin/api/products?limit=5"), 200);
    await expectDocumented(admin, "GET", "/admin/api/products/{id}", await get(`/admin/api/products/${created.id}`), 200);
    const patched = await callJson(`/admin/api/products/${created.id}`, "PATCH", { featured: true });
    await expectDocumented(admin, "PATCH", "/admin/api/products/{id}", patched, 200);
    const variant = await callJson(`/admin/api/products/${created.id}/variants`, "POST", {
      sku: `${sku}-L`,
      price: { amount: 1600, currency: "USD" },
    });
    await expectDocumented(admin, "POST", "/admin/api/products/{id}/variants", variant, 201);
    const variantPatch = await callJson(`/admin/api/variants/${sku}-L`, "PATCH", { title: "Large" });
    await expectDocumented(admin, "PATCH", "/admin/api/variants/{sku}", variantPatch, 200);
    await expectDocumented(admin, "GET", "/admin/api/categories", await get("/admin/api/categories"), 200);
    await expectDocumented(admin, "GET", "/admin/api/categories/{id}", await get(`/admin/api/categories/${category.id}`), 200);
    const renamed = await callJson(`/admin/api/categories/${category.id}`, "PATCH", { name: "Renamed" });
    await expectDocumented(admin, "PATCH", "/admin/api/categories/{id}", renamed, 200);
    await expectDocumented(admin, "GET", "/admin/api/audit", await get("/admin/api/audit?limit=5"), 200);
    const archived = await call(`/admin/api/products/${created.id}`, { method: "DELETE", headers: ADMIN });
    await expectDocumented(admin, "DELETE", "/admin/api/products/{id}", archived, 200);
  });

  it("reads and changes stock", async () => {
    const { sku } = await makeStockedProduct(5);
    await expectDocumented(admin, "GET", "/admin/api/inventory/{sku}", await get(`/admin/api/inventory/${sku}`), 200);
    const adjusted = await callJson(`/admin/api/inventory/${sku}`, "POST", { adjust: 3, reason: "found more" });
    await expectDocumented(admin, "POST", "/admin/api/inventory/{sku}", adjusted, 200);
    const conflict = await callJson(`/admin/api/inventory/${sku}`, "POST", { adjust: -100, reason: "lost" });
    expect(conflict.status).toBeGreaterThanOrEqual(400);
    await expectDocumented(admin, "POST", "/admin/api/inventory/{sku}", conflict);
  });

  it("lists, shows and refunds orders, and handles a return to the end", async () => {
    const o = await shippedOrder();
    await expectDocumented(admin, "GET", "/admin/api/orders", await get("/admin/api/orders?limit=5"), 200);
    await expectDocumented(admin, "GET", "/admin/api/orders/{id}", await get(`/admin/api/orders/${o.orderId}`), 200);
    const asked = await callJson(
      `/api/orders/${o.orderId}/returns?token=${encodeURIComponent(o.orderToken)}`,
      "POST",
      { lines: [{ sku: o.sku, quantity: 1 }], reason: "Wrong colour" },
      {},
    );
    const ret = await expectDocumented<{ id: string }>(store, "POST", "/api/orders/{id}/returns", asked, 201);
    await expectDocumented(admin, "GET", "/admin/api/returns", await get("/admin/api/returns"), 200);
    await expectDocumented(admin, "GET", "/admin/api/returns/{id}", await get(`/admin/api/returns/${ret.id}`), 200);
    const approved = await callJson(`/admin/api/returns/${ret.id}/approve`, "POST", { note: "Use the label." });
    await expectDocumented(admin, "POST", "/admin/api/returns/{id}/approve", approved, 200);
    const received = await callJson(`/admin/api/returns/${ret.id}/receive`, "POST", {});
    await expectDocumented(admin, "POST", "/admin/api/returns/{id}/receive", received, 200);
    const refunded = await callJson(`/admin/api/returns/${ret.id}/refund`, "POST", {});
    await expectDocumented(admin, "POST", "/admin/api/returns/{id}/refund", refunded, 201);
    const refund = await callJson(`/admin/api/orders/${o.orderId}/refund`, "POST", { amount: 100, reason: "goodwill" });
    await expectDocumented(admin, "POST", "/admin/api/orders/{id}/refund", refund, 201);
  });

  it("cancels an unpaid order", async () => {
    const o = await placeOrder(5, 1);
    const res = await callJson(`/admin/api/orders/${o.orderId}/cancel`, "POST", { reason: "test" });
    await expectDocumented(admin, "POST", "/admin/api/orders/{id}/cancel", res, 200);
  });

  it("lists and changes shipping zones, methods and tax rates", async () => {
    await expectDocumented(admin, "GET", "/admin/api/shipping/zones", await get("/admin/api/shipping/zones"), 200);
    const zoneRes = await callJson("/admin/api/shipping/zones", "POST", { name: "Docs zone", areas: ["JP"] });
    const zone = await expectDocumented<{ id: number }>(admin, "POST", "/admin/api/shipping/zones", zoneRes, 201);
    const method = await callJson("/admin/api/shipping/methods", "POST", {
      id: unique("docs-post"),
      zoneId: zone.id,
      name: "Post",
      rate: { type: "weight", bands: [{ upToGrams: 1000, amount: 900 }] },
    });
    await expectDocumented(admin, "POST", "/admin/api/shipping/methods", method, 201);
    const renamed = await callJson(`/admin/api/shipping/zones/${zone.id}`, "PATCH", { name: "Japan" });
    await expectDocumented(admin, "PATCH", "/admin/api/shipping/zones/{id}", renamed, 200);
    await expectDocumented(admin, "GET", "/admin/api/tax-rates", await get("/admin/api/tax-rates"), 200);
    const rate = await callJson("/admin/api/tax-rates", "POST", { country: "JP", name: "Consumption tax", rateBps: 1000 });
    await expectDocumented(admin, "POST", "/admin/api/tax-rates", rate, 201);
  });

  it("lists provider events, emails, jobs and sales", async () => {
    const o = await placeOrder(5, 1);
    await payOrder(o.orderId, o.paymentId);
    await expectDocumented(admin, "GET", "/admin/api/webhook-events", await get("/admin/api/webhook-events"), 200);
    await expectDocumented(admin, "GET", "/admin/api/notifications", await get("/admin/api/notifications"), 200);
    await expectDocumented(admin, "GET", "/admin/api/jobs", await get("/admin/api/jobs"), 200);
    const run = await call("/admin/api/jobs/expire-unpaid-orders/run", { method: "POST", headers: ADMIN });
    await expectDocumented(admin, "POST", "/admin/api/jobs/{name}/run", run, 200);
    const jobs = await expectDocumented<{ items: { lastRun: unknown }[] }>(
      admin,
      "GET",
      "/admin/api/jobs",
      await get("/admin/api/jobs"),
      200,
    );
    expect(jobs.items.some((j) => j.lastRun !== null)).toBe(true);
    const sales = await get("/admin/api/reports/sales?from=2025-01-01&to=2025-01-31");
    await expectDocumented(admin, "GET", "/admin/api/reports/sales", sales, 200);
    const unpaid = await placeOrder(5, 1);
    const settled = await call(`/admin/api/payments/test/${unpaid.orderId}/succeed`, { method: "POST", headers: ADMIN });
    await expectDocumented(admin, "POST", "/admin/api/payments/test/{id}/succeed", settled, 202);
  });

  it("uploads an image, shows it on a product in both APIs, and removes it", async () => {
    const bytes = await encodePng(40, 30, (x, y) => [x % 256, y % 256, 99]);
    const res = await call("/admin/api/media", {
      method: "POST",
      headers: { ...ADMIN, "Content-Type": "application/octet-stream" },
      body: bytes,
    });
    const media = await expectDocumented<{ key: string }>(admin, "POST", "/admin/api/media", res);
    await expectDocumented(admin, "GET", "/admin/api/media/{key}", await get(`/admin/api/media/${media.key}`), 200);
    const category = await makeCategory();
    const product = await makeProduct({ categoryIds: [category.id] });
    const set = await callJson(`/admin/api/products/${product.id}/media`, "PUT", { items: [{ key: media.key, alt: "Front" }] });
    await expectDocumented(admin, "PUT", "/admin/api/products/{id}/media", set, 200);
    const listed = await expectDocumented<{ items: { image: unknown }[] }>(
      store,
      "GET",
      "/api/products",
      await call(`/api/products?category=${category.slug}`),
      200,
    );
    expect(listed.items[0]?.image).toMatchObject({ key: media.key, alt: "Front" });
    await expectDocumented(store, "GET", "/api/products/{slug}", await call(`/api/products/${product.slug}`), 200);
    const removed = await call(`/admin/api/products/${product.id}/media/${media.key}`, { method: "DELETE", headers: ADMIN });
    await expectDocumented(admin, "DELETE", "/admin/api/products/{id}/media/{key}", removed, 200);
    const variantGone = await call(`/admin/api/variants/${product.variants[0]!.sku}`, { method: "DELETE", headers: ADMIN });
    await expectDocumented(admin, "DELETE", "/admin/api/variants/{sku}", variantGone);
  });

  it("documents staff, tokens and sessions as the owner's API answers them", async () => {
    const email = `${unique("docs-staff")}@shop.test`;
    await expectDocumented(
      admin,
      "POST",
      "/admin/api/staff",
      await callJson("/admin/api/staff", "POST", { email, password: "documented password", role: "staff" }),
      201,
    );
    await expectDocumented(admin, "GET", "/admin/api/staff", await call("/admin/api/staff", { headers: ADMIN }), 200);
    const token = await expectDocumented<{ id: string }>(
      admin,
      "POST",
      "/admin/api/tokens",
      await callJson("/admin/api/tokens", "POST", { name: "docs", scopes: ["orders:read"] }),
      201,
    );
    await expectDocumented(admin, "GET", "/admin/api/tokens", await call("/admin/api/tokens", { headers: ADMIN }), 200);
    expect((await call(`/admin/api/tokens/${token.id}`, { method: "DELETE", headers: ADMIN })).status).toBe(204);
    await call("/admin/login", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "CF-Connecting-IP": "198.51.100.77" },
      body: new URLSearchParams({ email, password: "documented password" }),
    });
    await expectDocumented(admin, "GET", "/admin/api/sessions", await call("/admin/api/sessions", { headers: ADMIN }), 200);
  });

  it("answers a request without credentials with the documented 401 problem", async () => {
    await expectDocumented(admin, "GET", "/admin/api/orders", await call("/admin/api/orders"), 401);
  });
});

describe("the check is strict", () => {
  it("refuses a body with a field the document does not list, or without one it requires", async () => {
    const cart = await (await call(`/api/carts/${await makeCart()}`)).json<Record<string, unknown>>();
    const schema = schemaOf(store, "GET", "/api/carts/{id}", 200);
    expect(schemaErrors(store, schema, cart)).toEqual([]);
    expect(schemaErrors(store, schema, { ...cart, giftCardBalance: { amount: 0, currency: "USD" } })).not.toEqual([]);
    const { subtotal: _subtotal, ...withoutSubtotal } = cart;
    expect(schemaErrors(store, schema, withoutSubtotal)).not.toEqual([]);
    expect(schemaErrors(store, schema, { ...cart, itemCount: "2" })).not.toEqual([]);
  });
});
