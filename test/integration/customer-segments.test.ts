import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { customerSegments } from "../../cron/customer-segments";
import { unique } from "../helpers/factories";
import { runNamed } from "../helpers/jobs";
import { ADMIN, call, callJson } from "../helpers/worker";

const DAY = 86_400_000;
const NOW = new Date("2026-11-30T03:30:00Z");

/** A customer row with the given kept figures (as paid orders would have left them). */
async function customer(name: string, ordersCount: number, lifetimeValue: number, daysSinceLast: number | null) {
  const id = `cus_${crypto.randomUUID().replace(/-/g, "").slice(0, 24)}`;
  const email = `${unique(name)}@example.com`;
  const last = daysSinceLast === null ? null : NOW.getTime() - daysSinceLast * DAY;
  await env.DB.prepare(
    "insert into customers (id, email, orders_count, lifetime_value, first_order_at, last_order_at, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?)",
  )
    .bind(id, email, ordersCount, lifetimeValue, last, last, NOW.getTime(), NOW.getTime())
    .run();
  return { id, email };
}

const segmentOf = async (id: string) =>
  (await env.DB.prepare("select segment, rfm from customers where id = ?").bind(id).first<{ segment: string; rfm: string }>())!;
const historyOf = async (id: string) =>
  (await env.DB.prepare("select count(*) as n from customer_segment_history where customer_id = ?").bind(id).first<{ n: number }>())!.n;

describe("customer segments job", () => {
  it("scores in bounded batches that resume from a cursor, and a second run changes nothing", async () => {
    const champion = await customer("champion", 12, 900_00, 5);
    const active = await customer("active", 2, 40_00, 20);
    const fresh = await customer("new", 1, 25_00, 3);
    const atRisk = await customer("risk", 4, 200_00, 120);
    const lapsed = await customer("lapsed", 3, 120_00, 400);
    const prospect = await customer("prospect", 0, 0, null);
    for (let i = 0; i < 6; i++) await customer("filler", 1, (i + 1) * 10_00, 40);

    // A run whose deadline has passed stops after one batch and leaves a cursor.
    const batchEnv = { ...env, JOB_BATCH_SIZE: "2" } as typeof env;
    const state = { cursor: null as string | null, deadline: Date.now() - 1 };
    let passes = 0;
    let scored = 0;
    do {
      const result = await customerSegments.run({ env: batchEnv, ctx: createExecutionContext(), now: NOW, state, fetchPage: fetch });
      state.cursor = result.cursor ?? null;
      scored += result.items;
      passes++;
      if (passes === 1) expect(state.cursor).not.toBeNull();
    } while (state.cursor);
    expect(passes).toBeGreaterThan(5);
    const total = (await env.DB.prepare("select count(*) as n from customers where merged_into is null and deleted_at is null").first<{
      n: number;
    }>())!.n;
    expect(scored).toBe(total);

    expect(await segmentOf(champion.id)).toMatchObject({ segment: "champions", rfm: expect.stringMatching(/^5[45]5$/) });
    expect((await segmentOf(active.id)).segment).toBe("active");
    expect((await segmentOf(fresh.id)).segment).toBe("new");
    expect((await segmentOf(atRisk.id)).segment).toBe("at_risk");
    expect((await segmentOf(lapsed.id)).segment).toBe("lapsed");
    expect(await segmentOf(prospect.id)).toMatchObject({ segment: "prospect", rfm: null });
    for (const c of [champion, active, fresh, atRisk, lapsed, prospect]) expect(await historyOf(c.id)).toBe(1);

    const again = await runNamed("customer-segments", NOW);
    expect(again).toMatchObject({ status: "ok", cursor: null, detail: { changed: 0 } });
    for (const c of [champion, active, fresh, atRisk, lapsed, prospect]) expect(await historyOf(c.id)).toBe(1);

    // Months later without a new order, the champion has lapsed: one more history row.
    await runNamed("customer-segments", new Date(NOW.getTime() + 200 * DAY));
    expect((await segmentOf(champion.id)).segment).toBe("lapsed");
    expect(await historyOf(champion.id)).toBe(2);

    const list = await (await call("/admin/api/customers?segment=lapsed&limit=200", { headers: ADMIN })).json<{
      items: { id: string; segment: string }[];
    }>();
    expect(list.items.map((i) => i.id)).toContain(champion.id);
    expect(list.items.every((i) => i.segment === "lapsed")).toBe(true);
    const detail = await (await call(`/admin/api/customers/${champion.id}`, { headers: ADMIN })).json<{
      segmentHistory: { segment: string }[];
    }>();
    expect(detail.segmentHistory.map((h) => h.segment)).toEqual(["lapsed", "champions"]);
  });
});

describe("segments defined by rules", () => {
  it("lists the customers every rule holds for, counts them, and refuses bad rules", async () => {
    const tag = unique("rules").replace(/[^a-z0-9]/g, "");
    const big = await customer(`${tag}big`, 6, 700_00, 10);
    const small = await customer(`${tag}small`, 1, 20_00, 10);
    await env.DB.prepare("update customers set marketing_consent = 1 where id in (?, ?)").bind(big.id, small.id).run();
    const old = await customer(`${tag}old`, 6, 700_00, 300);
    const created = await callJson("/admin/api/segments", "POST", {
      slug: `vip-${tag}`.slice(0, 40),
      name: "VIPs who said yes",
      rules: { minSpent: 500_00, minOrders: 5, lastOrderAfter: "2026-06-01", consent: true },
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const slug = (await created.json<{ slug: string; customers: number }>()).slug;
    const members = await (await call(`/admin/api/customers?segment=${slug}&q=${tag}`, { headers: ADMIN })).json<{
      items: { id: string }[];
    }>();
    expect(members.items.map((m) => m.id)).toEqual([big.id]);
    expect(members.items.map((m) => m.id)).not.toContain(old.id);
    const listed = await (await call("/admin/api/segments", { headers: ADMIN })).json<{
      items: { slug: string; customers: number; kind: string }[];
    }>();
    expect(listed.items.find((s) => s.slug === slug)).toMatchObject({ kind: "rules", customers: 1 });
    expect(listed.items.filter((s) => s.kind === "scored").map((s) => s.slug)).toEqual([
      "new",
      "active",
      "champions",
      "at_risk",
      "lapsed",
      "prospect",
    ]);

    expect((await callJson("/admin/api/segments", "POST", { slug, name: "Again", rules: {} })).status).toBe(409);
    expect((await callJson("/admin/api/segments", "POST", { slug: "champions", name: "Clash", rules: {} })).status).toBe(409);
    const bad = await callJson("/admin/api/segments", "POST", { slug: "Bad Slug", name: "", rules: { minSpent: -1, colour: "red" } });
    expect(bad.status).toBe(400);
    const fields = (await bad.json<{ errors: { field: string }[] }>()).errors.map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(["slug", "name", "rules.minSpent"]));
    expect((await call("/admin/api/customers?segment=no-such-segment", { headers: ADMIN })).status).toBe(404);
    expect((await call(`/admin/api/segments/${slug}`, { method: "DELETE", headers: ADMIN })).status).toBe(204);
    expect((await call(`/admin/api/customers?segment=${slug}`, { headers: ADMIN })).status).toBe(404);
  });
});
