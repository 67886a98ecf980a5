import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { variants } from "../db/schema";
import type { AppEnv } from "../env";
import { AppError, notFound } from "../errors";
import { requestDb } from "../request-db";
import { bumpCatalogVersion } from "../services/catalog-cache";
import { inventoryOf } from "../services/inventory";
import { SKU_PATTERN } from "../slug";
import { validate } from "../validation";

const skuParam = z.object({ sku: z.string().regex(SKU_PATTERN, "Not a SKU.") });
const change = z.union([
  z.object({ set: z.number().int().min(0).max(100_000), reason: z.string().trim().min(1).max(200).optional() }).strict(),
  z
    .object({
      adjust: z
        .number()
        .int()
        .min(-100_000)
        .max(100_000)
        .refine((n) => n !== 0, "Must not be 0."),
      reason: z.string().trim().min(1).max(200),
    })
    .strict(),
]);

/** Admin stock per SKU: read it, set a counted figure, or adjust with a reason; all through the SKU's object. */
export const adminInventory = new Hono<AppEnv>()
  .use("/:sku", validate("param", skuParam), async function knownSku(c, next) {
    const sku = c.req.param("sku") as string;
    const [row] = await requestDb(c).select({ sku: variants.sku }).from(variants).where(eq(variants.sku, sku)).limit(1);
    if (!row) throw notFound("SKU", sku);
    await next();
  })
  .get("/:sku", async (c) => {
    const stock = inventoryOf(c.env, c.req.param("sku"));
    const [snapshot, ledger] = await Promise.all([stock.snapshot(), stock.ledger(20)]);
    return c.json({ ...snapshot, ledger });
  })
  .post("/:sku", validate("json", change), async (c) => {
    const body = c.req.valid("json");
    const stock = inventoryOf(c.env, c.req.param("sku"));
    const actor = `token:${c.get("admin")?.role ?? "unknown"}`;
    const outcome =
      "set" in body
        ? await stock.set(body.set, `${body.reason ?? "count"} (${actor})`)
        : await stock.adjust(body.adjust, `${body.reason} (${actor})`);
    if (!outcome.ok) {
      throw new AppError(outcome.code, outcome.code === "invalid_request" ? 400 : 409, outcome.detail ?? "Stock cannot be changed so.", {
        available: outcome.available,
      });
    }
    // Pages that show this SKU's stock must change on the next request: project now, then new version.
    // The change is committed either way; a 500 here would invite a second adjustment.
    try {
      await stock.project();
      await bumpCatalogVersion(c.env.CATALOG_CACHE, new Date());
    } catch (err) {
      console.error(
        JSON.stringify({ level: "error", msg: "stock projection after admin change failed", sku: c.req.param("sku"), error: String(err) }),
      );
      c.header("X-Cache-Invalidation", "failed");
    }
    return c.json(outcome.snapshot);
  });
