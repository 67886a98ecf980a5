import { z } from "zod";
import { bumpCatalogVersion } from "../src/cache/catalog-cache";
import { configOf } from "../src/config";
import { createDb } from "../src/db";
import { knownSkus } from "../src/db/catalog-store";
import { SKU_PATTERN } from "../src/domain/ids";
import { updateVariantPrices } from "../src/services/catalog-admin";
import { inventoryOf } from "../src/services/inventory";
import type { Job } from "./job";

const INCOMING = "feeds/incoming/";
const CHUNK = 50;

const row = z
  .object({
    sku: z.string().trim().regex(SKU_PATTERN, "not a SKU"),
    price: z.coerce.number().int("price must be whole minor units").min(0).max(10_000_000_00).optional(),
    stock: z.coerce.number().int("stock must be a whole number").min(0).max(100_000).optional(),
  })
  .refine((r) => r.price !== undefined || r.stock !== undefined, "needs price or stock");

type Row = z.infer<typeof row>;
type RowReport = { line: number; sku?: string; outcome: "applied" | "skipped" | "invalid"; reason?: string };

class MalformedFeed extends Error {}

/** Rows of a CSV (header with sku and price and/or stock) or JSON (array of objects) feed. */
export function parseFeed(name: string, text: string): Record<string, unknown>[] {
  if (name.endsWith(".json")) {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      throw new MalformedFeed("not valid JSON");
    }
    if (!Array.isArray(data) || !data.every((r) => typeof r === "object" && r !== null))
      throw new MalformedFeed("JSON feeds are an array of objects");
    return data as Record<string, unknown>[];
  }
  if (name.endsWith(".csv")) {
    const lines = text
      .replace(/\r\n?/g, "\n")
      .split("\n")
      .filter((l) => l.trim() !== "");
    const header = lines
      .shift()
      ?.split(",")
      .map((h) => h.trim().toLowerCase());
    if (!header?.includes("sku") || !(header.includes("price") || header.includes("stock"))) {
      throw new MalformedFeed("the CSV header must name sku and price and/or stock");
    }
    return lines.map((line, i) => {
      const cells = line.split(",").map((c) => c.trim());
      if (cells.length !== header.length) throw new MalformedFeed(`line ${i + 2} has ${cells.length} cells, the header ${header.length}`);
      return Object.fromEntries(header.map((h, j) => [h, cells[j] === "" ? undefined : cells[j]]));
    });
  }
  throw new MalformedFeed("feeds are .csv or .json files");
}

/**
 * Applies a supplier feed from R2 feeds/incoming/ (oldest first, one file per run) or SUPPLIER_FEED_URL:
 * stock through each SKU's inventory object, prices in D1 in chunks, then a new catalog version.
 * A malformed file is rejected whole; invalid rows are reported and skipped. Writes a per-row
 * report to feeds/reports/ and moves the file to feeds/processed/ (or feeds/rejected/).
 */
export const inventoryPriceSync: Job = {
  name: "inventory-price-sync",
  async run({ env, now }) {
    const feedUrl = configOf(env).supplierFeedUrl;
    const db = createDb(env.DB);
    const listing = await env.MEDIA.list({ prefix: INCOMING, include: ["httpMetadata"] });
    const next = listing.objects.sort((a, b) => a.uploaded.getTime() - b.uploaded.getTime())[0];
    let name: string;
    let text: string;
    if (next) {
      name = next.key.slice(INCOMING.length);
      text = (await (await env.MEDIA.get(next.key))?.text()) ?? "";
    } else if (feedUrl) {
      const res = await fetch(feedUrl);
      if (!res.ok) throw new Error(`supplier feed answered ${res.status}`);
      name = `url-${now.toISOString().replace(/[:.]/g, "-")}${feedUrl.endsWith(".json") ? ".json" : ".csv"}`;
      text = await res.text();
    } else {
      return { items: 0, errors: 0, detail: { file: null } };
    }
    const finish = async (folder: "processed" | "rejected", report: Record<string, unknown>) => {
      await env.MEDIA.put(`feeds/reports/${name}.json`, JSON.stringify(report, null, 2), {
        httpMetadata: { contentType: "application/json" },
      });
      if (next) {
        await env.MEDIA.put(`feeds/${folder}/${name}`, text);
        await env.MEDIA.delete(next.key);
      }
    };

    let raw: Record<string, unknown>[];
    try {
      raw = parseFeed(name, text);
    } catch (err) {
      if (!(err instanceof MalformedFeed)) throw err;
      await finish("rejected", { file: name, at: now.toISOString(), rejected: err.message });
      return { items: 0, errors: 1, detail: { file: name, rejected: err.message } };
    }

    const report: RowReport[] = [];
    const valid: { line: number; row: Row }[] = [];
    raw.forEach((r, i) => {
      const parsed = row.safeParse(r);
      if (parsed.success) valid.push({ line: i + 1, row: parsed.data });
      else
        report.push({
          line: i + 1,
          sku: typeof r.sku === "string" ? r.sku : undefined,
          outcome: "invalid",
          reason: parsed.error.issues.map((x) => x.message).join("; "),
        });
    });
    const known = new Set<string>();
    for (let i = 0; i < valid.length; i += CHUNK) {
      for (const sku of await knownSkus(
        db,
        valid.slice(i, i + CHUNK).map((v) => v.row.sku),
      ))
        known.add(sku);
    }
    const apply = valid.filter((v) => known.has(v.row.sku));
    for (const v of valid)
      if (!known.has(v.row.sku)) report.push({ line: v.line, sku: v.row.sku, outcome: "skipped", reason: "unknown SKU" });

    const prices = apply.flatMap((v) => (v.row.price === undefined ? [] : [{ sku: v.row.sku, amount: v.row.price }]));
    const repriced = await updateVariantPrices(db, prices, {
      actor: `job:inventory-price-sync (${name})`,
      now,
      shopCurrency: configOf(env).shopCurrency,
    });
    let errors = 0;
    for (const v of apply) {
      if (v.row.stock !== undefined) {
        const stock = inventoryOf(env, v.row.sku);
        const outcome = await stock.set(v.row.stock, `supplier feed ${name}`);
        if (!outcome.ok) {
          errors++;
          report.push({ line: v.line, sku: v.row.sku, outcome: "skipped", reason: `${outcome.code}: ${outcome.detail ?? ""}`.trim() });
          continue;
        }
        await stock.project();
      }
      report.push({ line: v.line, sku: v.row.sku, outcome: "applied" });
    }
    // Stock changes start a new catalog version themselves when what shoppers see changes (the projection).
    if (repriced) await bumpCatalogVersion(env.CATALOG_CACHE, now);
    report.sort((a, b) => a.line - b.line);
    const counts = {
      applied: report.filter((r) => r.outcome === "applied").length,
      skipped: report.filter((r) => r.outcome === "skipped").length,
      invalid: report.filter((r) => r.outcome === "invalid").length,
    };
    await finish("processed", { file: name, at: now.toISOString(), ...counts, rows: report });
    return { items: counts.applied, errors: errors + counts.invalid, detail: { file: name, ...counts, repriced } };
  },
};
