import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { addLine, checkout, makeCart, makeStockedProduct } from "../helpers/factories";

describe("flash sale", () => {
  it("sells exactly 50 units to 500 concurrent checkouts and never goes negative", async () => {
    const { sku } = await makeStockedProduct(50);
    const carts: string[] = [];
    for (let i = 0; i < 500; i += 50) {
      const batch = await Promise.all(Array.from({ length: 50 }, () => makeCart()));
      await Promise.all(batch.map((cart) => addLine(cart, sku, 1)));
      carts.push(...batch);
    }

    const responses = await Promise.all(carts.map((cart) => checkout(cart)));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(50);
    expect(statuses.filter((s) => s === 409)).toHaveLength(450);
    for (const r of responses.filter((x) => x.status === 409)) {
      expect(await r.json()).toMatchObject({ code: "insufficient_inventory", items: [{ sku, available: 0 }] });
    }

    const stock = env.INVENTORY.getByName(sku);
    const snapshot = await stock.snapshot();
    expect(snapshot).toMatchObject({ onHand: 50, reserved: 50, available: 0 });
    const ledger = await stock.ledger(100_000);
    expect(ledger.every((m) => m.onHandAfter >= 0 && m.reservedAfter <= m.onHandAfter)).toBe(true);
    expect(ledger.reduce((n, m) => n + m.onHandDelta, 0)).toBe(snapshot.onHand);
    expect(ledger.reduce((n, m) => n + m.reservedDelta, 0)).toBe(snapshot.reserved);

    const holding = await env.DB.prepare(
      "select count(*) as n from orders o join order_lines l on l.order_id = o.id where l.sku = ? and o.status = 'pending_payment'",
    )
      .bind(sku)
      .first<{ n: number }>();
    expect(holding!.n).toBe(50);
  }, 180_000);
});
