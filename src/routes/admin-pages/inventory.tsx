import { type Context, Hono } from "hono";
import { SKU_PATTERN } from "../../domain/ids";
import { parseStockCsv } from "../../domain/stock-csv";
import type { AppEnv } from "../../env";
import { invalid, notFound, tooLarge } from "../../errors";
import { adminActor } from "../../http/admin-auth";
import { requestDb } from "../../request-db";
import { changeStock, importStock, inventoryList, stockOf } from "../../services/stock-admin";
import { InventoryPage, StockImportPage, StockPage } from "../../views/admin/inventory";
import { adminContext, formAction, formOf, pageOf, queryText, renderPage, text } from "./kit";

const PAGE_SIZE = 50;
const MAX_CSV_BYTES = 1024 * 1024;

function skuOf(c: Context<AppEnv>) {
  const sku = c.req.param("sku") ?? "";
  if (!SKU_PATTERN.test(sku)) throw notFound("SKU", sku);
  return sku;
}

/** Admin pages for stock: the list, one SKU with its ledger, set/adjust, and CSV uploads. */
export const inventoryPages = new Hono<AppEnv>()
  .get("/", async (c) => {
    const ctx = adminContext(c);
    const q = queryText(c, "q", 100);
    const page = pageOf(c);
    const list = await inventoryList(c.env, requestDb(c), { q, page, limit: PAGE_SIZE });
    return renderPage(c, ctx, <InventoryPage ctx={ctx} items={list.items} total={list.total} page={page} limit={PAGE_SIZE} q={q} />);
  })
  .post("/import", async (c) => {
    const ctx = adminContext(c);
    const form = await formOf(c);
    const file = form.file;
    if (!(file instanceof File) || file.size === 0) throw invalid("invalid_request", "Choose a CSV file to upload.");
    if (file.size > MAX_CSV_BYTES) throw tooLarge("Stock files are limited to 1 MB; split the file.");
    const applyValid = text(form, "applyValid") === "1";
    const csv = await file.text();
    const report = await importStock(c.env, requestDb(c), { text: csv, parsed: parseStockCsv(csv, SKU_PATTERN) }, adminActor(c), {
      applyValid,
      again: text(form, "again") === "1",
    });
    const refused = !report.applied.length && (report.problems.length > 0 || report.repeated === true);
    return renderPage(c, ctx, <StockImportPage ctx={ctx} report={report} applyValid={applyValid} />, refused ? 409 : 200);
  })
  .get("/:sku", async (c) => {
    const ctx = adminContext(c);
    return renderPage(c, ctx, <StockPage ctx={ctx} stock={await stockOf(c.env, requestDb(c), skuOf(c))} />);
  })
  .post("/:sku", async (c) => {
    const sku = skuOf(c);
    const form = await formOf(c);
    const reason = text(form, "reason").slice(0, 200);
    const set = text(form, "set");
    const adjust = text(form, "adjust");
    return formAction(c, `/admin/inventory/${encodeURIComponent(sku)}`, "Stock updated.", async () => {
      if (set !== "") {
        if (!/^\d+$/.test(set) || Number(set) > 100_000)
          throw invalid("invalid_request", "On hand must be a whole number from 0 to 100000.");
        await changeStock(c.env, requestDb(c), sku, { set: Number(set), ...(reason ? { reason } : {}) }, adminActor(c));
      } else {
        const n = Number(adjust);
        if (!/^[+-]?\d+$/.test(adjust) || n === 0 || Math.abs(n) > 100_000)
          throw invalid("invalid_request", "The change must be a whole number other than 0.");
        if (!reason) throw invalid("invalid_request", "Give a reason for the adjustment.");
        await changeStock(c.env, requestDb(c), sku, { adjust: n, reason }, adminActor(c));
      }
    });
  });
