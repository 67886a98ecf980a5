import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { InventoryDurableObject } from "../../durable-objects/inventory";
import { makeProduct, unique } from "../helpers/factories";

/** A SKU's object with `onHand` units (the SKU need not exist in D1 for these tests). */
async function stocked(onHand: number) {
  const stub = env.INVENTORY.getByName(unique("SKU"));
  expect(await stub.set(onHand, "test")).toMatchObject({ ok: true });
  return stub;
}

async function ledgerMatches(stub: DurableObjectStub<InventoryDurableObject>) {
  const [snapshot, ledger] = await Promise.all([stub.snapshot(), stub.ledger(10_000)]);
  expect(ledger.reduce((n, m) => n + m.onHandDelta, 0)).toBe(snapshot.onHand);
  expect(ledger.reduce((n, m) => n + m.reservedDelta, 0)).toBe(snapshot.reserved);
}

describe("InventoryDurableObject", () => {
  it("reserves up to what is available and refuses the rest with the count left", async () => {
    const stub = await stocked(3);
    expect(await stub.reserve("r1", 2, 60_000)).toMatchObject({ ok: true, available: 1, replayed: false });
    expect(await stub.reserve("r2", 2, 60_000)).toEqual({ ok: false, code: "insufficient_inventory", available: 1 });
    expect(await stub.snapshot()).toMatchObject({ onHand: 3, reserved: 2, available: 1 });
    await ledgerMatches(stub);
  });

  it("treats the same reservation id as the same reservation", async () => {
    const stub = await stocked(5);
    await stub.reserve("same", 2, 60_000);
    expect(await stub.reserve("same", 2, 60_000)).toMatchObject({ ok: true, replayed: true });
    expect((await stub.snapshot()).reserved).toBe(2);
  });

  it("commits a reservation: units leave on-hand, once", async () => {
    const stub = await stocked(5);
    await stub.reserve("c1", 2, 60_000);
    expect(await stub.commit("c1")).toMatchObject({ ok: true, replayed: false });
    expect(await stub.commit("c1")).toMatchObject({ ok: true, replayed: true });
    expect(await stub.snapshot()).toMatchObject({ onHand: 3, reserved: 0, available: 3 });
    expect(await stub.release("c1")).toEqual({ ok: false, code: "reservation_committed" });
    await ledgerMatches(stub);
  });

  it("releases a reservation back to available, idempotently", async () => {
    const stub = await stocked(2);
    await stub.reserve("x", 2, 60_000);
    expect(await stub.release("x")).toEqual({ ok: true, released: true });
    expect(await stub.release("x")).toEqual({ ok: true, released: false });
    expect(await stub.release("never-made")).toEqual({ ok: true, released: false });
    expect((await stub.snapshot()).available).toBe(2);
  });

  it("returns lapsed holds to stock when its alarm fires, and then refuses to commit them", async () => {
    const stub = await stocked(4);
    const past = Date.now() - 60_000;
    await stub.reserve("lapsing", 3, 1_000, "ord_test", past);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await stub.snapshot()).toMatchObject({ onHand: 4, reserved: 0, available: 4, reservations: [] });
    expect(await stub.commit("lapsing")).toEqual({ ok: false, code: "reservation_expired" });
    expect(await stub.reserve("lapsing", 3, 60_000)).toEqual({ ok: false, code: "reservation_expired" });
    const kinds = (await stub.ledger()).map((m) => m.kind);
    expect(kinds).toContain("expire");
    await ledgerMatches(stub);
  });

  it("re-arms its alarm for the next hold after releasing the earliest", async () => {
    const stub = await stocked(5);
    const now = Date.now();
    await stub.reserve("soon", 1, 1_000, null, now - 10_000);
    await stub.reserve("later", 1, 3_600_000, null, now);
    await runDurableObjectAlarm(stub);
    const alarm = await runInDurableObject(stub, (_i, state) => state.storage.getAlarm());
    expect(alarm).not.toBeNull();
    expect(Math.abs((alarm as number) - (now + 3_600_000))).toBeLessThan(5_000);
    expect((await stub.snapshot()).reservations.map((r) => r.id)).toEqual(["later"]);
  });

  it("never lets on-hand drop below what is reserved", async () => {
    const stub = await stocked(5);
    await stub.reserve("held", 4, 60_000);
    expect(await stub.set(3, "recount")).toMatchObject({ ok: false, code: "below_reserved" });
    expect(await stub.adjust(-2, "damaged")).toMatchObject({ ok: false, code: "below_reserved" });
    expect(await stub.adjust(-1, "damaged")).toMatchObject({ ok: true, snapshot: { onHand: 4, available: 0 } });
    expect(await stub.adjust(0, "nothing")).toMatchObject({ ok: false, code: "invalid_request" });
    await ledgerMatches(stub);
  });

  it("rejects nonsense quantities without changing anything", async () => {
    const stub = await stocked(5);
    for (const q of [0, -1, 1.5, Number.NaN]) {
      expect(await stub.reserve(`bad-${q}`, q, 60_000)).toMatchObject({ ok: false, code: "invalid_request" });
    }
    expect((await stub.snapshot()).reserved).toBe(0);
  });

  it("never oversells under 200 concurrent reservations for 37 units", async () => {
    const stub = await stocked(37);
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => stub.reserve(`c${i}`, 1, 60_000)));
    expect(results.filter((r) => r.ok)).toHaveLength(37);
    expect(await stub.snapshot()).toMatchObject({ onHand: 37, reserved: 37, available: 0 });
    await ledgerMatches(stub);
  });

  it("starts a SKU from the D1 stock projection and keeps that projection in step", async () => {
    const product = await makeProduct();
    const sku = product.variants[0]!.sku;
    await env.DB.prepare("insert or replace into stock_levels (sku, available, updated_at) values (?, 12, 0)").bind(sku).run();
    const stub = env.INVENTORY.getByName(sku);
    expect(await stub.snapshot()).toMatchObject({ sku, onHand: 12, available: 12 });

    const versionBefore = await env.CATALOG_CACHE.get("catalog:version");
    await stub.reserve("p1", 9, 60_000);
    await runDurableObjectAlarm(stub);
    const row = await env.DB.prepare("select available, seq from stock_levels where sku = ?")
      .bind(sku)
      .first<{ available: number; seq: number }>();
    expect(row!.available).toBe(3);
    // 12 → 3 changes what shoppers see ("In stock" → "Only 3 left"), so cached pages get a new version.
    expect(await env.CATALOG_CACHE.get("catalog:version")).not.toBe(versionBefore);
  });

  it("does not start a new catalog version when shoppers would see no difference", async () => {
    const stub = await stocked(50);
    await runDurableObjectAlarm(stub);
    const version = await env.CATALOG_CACHE.get("catalog:version");
    await stub.reserve("quiet", 1, 60_000);
    expect(await stub.project()).toMatchObject({ projected: true, displayChanged: false });
    expect(await env.CATALOG_CACHE.get("catalog:version")).toBe(version);
  });
});
