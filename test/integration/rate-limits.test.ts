import { describe, expect, it } from "vitest";
import { addLine, checkoutBody, makeCart, makeStockedProduct } from "../helpers/factories";
import { call, callJson } from "../helpers/worker";

/** Waits for a fresh wall-clock minute when little of this one is left (the limiters count per minute). */
async function freshMinute(needMs: number) {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < needMs) await new Promise((r) => setTimeout(r, left + 50));
}

let n = 0;
/** A client address no other test uses. */
const address = () => `203.0.${113 + (n % 100)}.${(++n * 7) % 250}`;

/** Sends `limit` requests (each must pass; `parallel` at a time), then one more, which must be refused with 429 and Retry-After. */
async function expectLimit(limit: number, send: (i: number) => Promise<Response>, parallel = 1) {
  await freshMinute(Math.min(45_000, (limit * 40) / parallel + 5_000));
  for (let i = 0; i < limit; i += parallel) {
    const batch = Array.from({ length: Math.min(parallel, limit - i) }, (_, j) => send(i + j));
    for (const [j, res] of (await Promise.all(batch)).entries()) expect(res.status, `request ${i + j + 1} of ${limit}`).not.toBe(429);
  }
  const refused = await send(limit);
  expect(refused.status).toBe(429);
  expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(0);
  return refused;
}

describe("abuse limits", () => {
  it("limits search to 120 a minute per client address with a problem+json 429", async () => {
    const ip = address();
    const refused = await expectLimit(120, (i) => call(`/api/products?q=mug${i}`, { headers: { "CF-Connecting-IP": ip } }));
    expect(refused.headers.get("Content-Type")).toBe("application/problem+json");
    expect(await refused.json()).toMatchObject({ status: 429, code: "rate_limited" });
    expect((await call("/api/products?q=mug", { headers: { "CF-Connecting-IP": address() } })).status).toBe(200);
    expect((await call("/search?q=mug", { headers: { "CF-Connecting-IP": ip, Accept: "text/html" } })).status).toBe(429);
  });

  it("never limits cached catalog views", async () => {
    const ip = address();
    for (let i = 0; i < 130; i++) {
      const res = await call(i % 2 ? "/" : "/api/products?page=1", { headers: { "CF-Connecting-IP": ip } });
      expect(res.status).toBe(200);
    }
  });

  it("limits new carts to 60 a minute per client address", async () => {
    const ip = address();
    await expectLimit(60, () => callJson("/api/carts", "POST", {}, { "CF-Connecting-IP": ip }));
  });

  it("limits line changes to 120 a minute per cart, whatever the address", async () => {
    const { sku } = await makeStockedProduct(50);
    const cart = await makeCart();
    await expectLimit(120, (i) =>
      i === 0
        ? callJson(`/api/carts/${cart}/lines`, "POST", { sku, quantity: 1 }, { "CF-Connecting-IP": "198.18.0.1" })
        : callJson(`/api/carts/${cart}/lines/${sku}`, "PATCH", { quantity: (i % 9) + 1 }, { "CF-Connecting-IP": `198.18.0.${i % 250}` }),
    );
    const other = await makeCart();
    expect((await callJson(`/api/carts/${other}/lines`, "POST", { sku, quantity: 1 }, {})).status).toBe(200);
  });

  it("limits checkouts to 30 a minute per client address", async () => {
    const ip = address();
    const { sku } = await makeStockedProduct(500);
    const carts: string[] = [];
    for (let i = 0; i < 31; i++) {
      const cart = await makeCart();
      await addLine(cart, sku, 1);
      carts.push(cart);
    }
    await expectLimit(30, (i) =>
      callJson(`/api/carts/${carts[i]}/checkout`, "POST", checkoutBody(), {
        "Idempotency-Key": crypto.randomUUID(),
        "CF-Connecting-IP": ip,
      }),
    );
  });

  it("limits order lookups to 60 a minute per client address (guessing tokens gets nowhere)", async () => {
    const ip = address();
    await expectLimit(60, (i) =>
      call(`/api/orders/ord_${"0".repeat(23)}${i % 10}?token=guess${i}`, { headers: { "CF-Connecting-IP": ip } }),
    );
  });

  it("limits webhook deliveries to 1200 a minute per sending address, before checking signatures", async () => {
    const ip = address();
    const refused = await expectLimit(
      1200,
      () => call("/webhooks/stripe", { method: "POST", headers: { "CF-Connecting-IP": ip, "Stripe-Signature": "t=1,v1=00" }, body: "{}" }),
      25,
    );
    expect(await refused.json()).toMatchObject({ code: "rate_limited" });
  }, 120_000);
});
