import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/crypto";
import { createDb } from "../../src/db";
import { testProvider } from "../../src/payments/provider";
import { idempotencyKeyFor, orderIdFor, runCheckout } from "../../src/workflows/checkout";
import { type RunStep, respond, runSaga, type Step } from "../../src/workflows/saga";
import { addLine, checkout, checkoutBody, makeCart, makeStockedProduct } from "../helpers/factories";
import { call } from "../helpers/worker";

const db = () => createDb(env.DB);

/** An idempotency row as a run that died would leave it: in progress, long ago, owned by nobody alive. */
async function abandonedKey(key: string, cartId: string, attempt = 1) {
  const hash = await sha256Hex(JSON.stringify({ cartId, input: checkoutBody() }));
  const long = Date.now() - 10 * 60_000;
  await env.DB.prepare(
    "insert into idempotency_keys (key, request_hash, state, attempt, owner, created_at, updated_at) values (?, ?, 'in_progress', ?, 'dead-run', ?, ?)",
  )
    .bind(idempotencyKeyFor(cartId, key), hash, attempt, long, long)
    .run();
}

/** Saga options that fail the checkout right after the step `after`. */
const failAfter = (after: string) => ({
  afterStep: (id: string) => {
    if (id === after) throw new Error("injected failure");
  },
});

const checkoutRun = (cartId: string, orderId: string, saga = {}) =>
  runCheckout({ env, db: db(), provider: testProvider(), cartId, input: checkoutBody(), orderId, now: new Date(), saga });

describe("checkout recovery", () => {
  it("answers from the order when the run that placed it died before recording the answer", async () => {
    const { sku } = await makeStockedProduct(5);
    const cartId = await makeCart();
    await addLine(cartId, sku, 2);
    const key = crypto.randomUUID();
    const orderId = await orderIdFor(idempotencyKeyFor(cartId, key), 1);
    await checkoutRun(cartId, orderId);
    await abandonedKey(key, cartId);

    const res = await checkout(cartId, key);
    expect(res.status).toBe(201);
    const body = await res.json<{ orderId: string; orderToken: string }>();
    expect(body.orderId).toBe(orderId);
    expect((await call(`/api/orders/${orderId}?token=${body.orderToken}`)).status).toBe(200);
    expect((await env.INVENTORY.getByName(sku).snapshot()).reserved).toBe(2);
  });

  it("resumes a run that died midway without reserving twice", async () => {
    const { sku } = await makeStockedProduct(5);
    const cartId = await makeCart();
    await addLine(cartId, sku, 2);
    const key = crypto.randomUUID();
    const orderId = await orderIdFor(idempotencyKeyFor(cartId, key), 1);
    // The dead run got as far as reserving, then vanished (no compensation ran).
    await checkoutRun(cartId, orderId, { ...failAfter("reserve-stock"), mayCompensate: async () => false }).catch(() => {});
    await abandonedKey(key, cartId);

    const res = await checkout(cartId, key);
    expect(res.status).toBe(201);
    expect((await res.json<{ orderId: string }>()).orderId).toBe(orderId);
    expect((await env.INVENTORY.getByName(sku).snapshot()).reserved).toBe(2);
  });

  it("starts a new attempt when the abandoned attempt's order was cancelled", async () => {
    const { sku } = await makeStockedProduct(5);
    const cartId = await makeCart();
    await addLine(cartId, sku, 1);
    const key = crypto.randomUUID();
    const first = await orderIdFor(idempotencyKeyFor(cartId, key), 1);
    await checkoutRun(cartId, first, failAfter("reserve-stock")).catch(() => {});
    await abandonedKey(key, cartId);

    const res = await checkout(cartId, key);
    expect(res.status).toBe(201);
    expect((await res.json<{ orderId: string }>()).orderId).toBe(await orderIdFor(idempotencyKeyFor(cartId, key), 2));
    expect((await env.INVENTORY.getByName(sku).snapshot()).reserved).toBe(1);
  });

  it("refuses to close a cart that changed after it was priced, undoing the order", async () => {
    const a = await makeStockedProduct(5);
    const b = await makeStockedProduct(5);
    const cartId = await makeCart();
    await addLine(cartId, a.sku, 1);
    // Another tab adds a line after the payment was created, just before the cart is closed.
    const addInAnotherTab = {
      afterStep: async (id: string) => {
        if (id === "create-payment") await addLine(cartId, b.sku, 1);
      },
    };
    const orderId = `ord_${crypto.randomUUID().replace(/-/g, "").slice(0, 24)}`;
    await expect(checkoutRun(cartId, orderId, addInAnotherTab)).rejects.toMatchObject({
      code: "cart_changed",
    });
    expect((await env.INVENTORY.getByName(a.sku).snapshot()).reserved).toBe(0);
    const order = await env.DB.prepare("select status from orders where id = ?").bind(orderId).first();
    expect(order).toEqual({ status: "cancelled" });
    expect(await env.CART.getByName(cartId).get()).toMatchObject({ ok: true, cart: { status: "open", itemCount: 2 } });
  });
});

describe("runSaga", () => {
  const undone: string[] = [];
  const step = (id: string): Step<null, void, string> => ({
    id,
    run: async () => respond(undefined, id),
    async compensate(undo) {
      undone.push(undo);
    },
  });
  const failing: Step<null, void> = { id: "fails", run: async () => Promise.reject(new Error("no")) };
  const steps = (list: Step<null, void, string>[]) => async (run: RunStep) => {
    for (const s of list) await run(s, null);
    await run(failing, null);
  };

  it("undoes completed steps in reverse order", async () => {
    undone.length = 0;
    await expect(runSaga({}, steps([step("a"), step("b")]))).rejects.toThrow("no");
    expect(undone).toEqual(["b", "a"]);
  });

  it("leaves everything alone when the run no longer owns the operation", async () => {
    undone.length = 0;
    await expect(runSaga({ mayCompensate: async () => false }, steps([step("a")]))).rejects.toThrow("no");
    expect(undone).toEqual([]);
  });

  it("reports each failed compensation and still runs the others", async () => {
    undone.length = 0;
    const broken: Step<null, void, string> = {
      id: "broken",
      run: async () => respond(undefined, "broken"),
      compensate: async () => Promise.reject(new Error("stuck")),
    };
    const failed: string[] = [];
    await expect(runSaga({ onCompensationError: (id) => failed.push(id) }, steps([step("a"), broken]))).rejects.toThrow("no");
    expect(failed).toEqual(["broken"]);
    expect(undone).toEqual(["a"]);
  });
});
