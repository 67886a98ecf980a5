import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { Browser, csrfOf } from "../helpers/browser";
import { addLine, checkout, checkoutBody, makeCart, makeStockedProduct, unique } from "../helpers/factories";
import { call, callJson } from "../helpers/worker";

const cartRows = async () => (await env.DB.prepare("select count(*) as n from cart_index").first<{ n: number }>())!.n;

describe("rejected cart forms", () => {
  it("creates no cart, cookie or index row for a bad quantity, an unknown SKU or too few units", async () => {
    const { sku } = await makeStockedProduct(2);
    const before = await cartRows();
    for (const fields of [
      { sku, quantity: "0" },
      { sku, quantity: "-1" },
      { sku, quantity: "1e0" },
      { sku: unique("NOPE").toUpperCase(), quantity: "1" },
      { sku: "not a sku!", quantity: "1" },
      { sku, quantity: "3" },
    ]) {
      const browser = new Browser();
      const res = await browser.post("/cart/lines", fields);
      expect(res.status, JSON.stringify(fields)).toBeGreaterThanOrEqual(400);
      expect(res.status, JSON.stringify(fields)).toBeLessThan(500);
      expect(
        res.headers.getSetCookie().filter((c) => c.startsWith("cart=")),
        JSON.stringify(fields),
      ).toEqual([]);
    }
    // Index rows are written off the response path: give them the chance to appear.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await cartRows()).toBe(before);
  });

  it("answers 400 to an empty quantity instead of removing the line", async () => {
    const { sku } = await makeStockedProduct(5);
    const browser = new Browser();
    await browser.post("/cart/lines", { sku, quantity: "2" });
    const token = csrfOf(await browser.page("/cart"));
    for (const quantity of ["", " ", "0x1", "1.5"]) {
      const res = await browser.post(`/cart/lines/${sku}`, { quantity, _csrf: token });
      expect(res.status, JSON.stringify(quantity)).toBe(400);
    }
    const page = await browser.page("/cart");
    expect(page).not.toContain("Your cart is empty");
    expect(page).toMatch(/value="2"/);
  });
});

describe("concurrent adds", () => {
  it("never puts more of a SKU into a cart than is in stock: 5 concurrent adds of 9 to a 10-unit SKU", async () => {
    const { sku } = await makeStockedProduct(10);
    const cart = await makeCart();
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => callJson(`/api/carts/${cart}/lines`, "POST", { sku, quantity: 9 }, {})),
    );
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409, 409, 409, 409]);
    for (const refused of answers.filter((r) => r.status === 409)) {
      expect(await refused.json()).toMatchObject({ code: "insufficient_inventory" });
    }
    const state = await (await call(`/api/carts/${cart}`)).json<{ lines: { sku: string; quantity: number }[] }>();
    expect(state.lines.find((l) => l.sku === sku)?.quantity).toBe(9);
  });

  it("refuses raising a line above the stock even when two raises race", async () => {
    const { sku } = await makeStockedProduct(10);
    const cart = await makeCart();
    await addLine(cart, sku, 1);
    const answers = await Promise.all([
      callJson(`/api/carts/${cart}/lines`, "POST", { sku, quantity: 6 }, {}),
      callJson(`/api/carts/${cart}/lines`, "POST", { sku, quantity: 6 }, {}),
      callJson(`/api/carts/${cart}/lines/${sku}`, "PATCH", { quantity: 10 }, {}),
    ]);
    expect(answers.every((r) => r.status === 200 || r.status === 409)).toBe(true);
    const state = await (await call(`/api/carts/${cart}`)).json<{ lines: { sku: string; quantity: number }[] }>();
    expect(state.lines.find((l) => l.sku === sku)!.quantity).toBeLessThanOrEqual(10);
  });
});

describe("checkout idempotency keys", () => {
  it("treats the same key on two carts as two checkouts", async () => {
    const { sku } = await makeStockedProduct(5);
    const [a, b] = [await makeCart(), await makeCart()];
    await addLine(a, sku, 1);
    await addLine(b, sku, 1);
    const key = crypto.randomUUID();
    const first = await checkout(a, key);
    expect(first.status, await first.clone().text()).toBe(201);
    const second = await checkout(b, key);
    expect(second.status, await second.clone().text()).toBe(201);
    const [x, y] = [await first.json<{ orderId: string }>(), await second.json<{ orderId: string }>()];
    expect(x.orderId).not.toBe(y.orderId);
    // The same key and cart again is still a replay of the first.
    const again = await checkout(a, key);
    expect(again.status).toBe(201);
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
    expect((await again.json<{ orderId: string }>()).orderId).toBe(x.orderId);
    // Another body on the same cart with that key is refused.
    const other = await checkout(a, key, checkoutBody({ email: "someone-else@example.com" }));
    expect(other.status).toBe(422);
  });
});
