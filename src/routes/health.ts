import { Hono } from "hono";
import type { AppEnv } from "../env";

/** Liveness for ops; `?deep=1` also proves D1 and KV answer. */
export const health = new Hono<AppEnv>().get("/healthz", async (c) => {
  if (!c.req.query("deep")) return c.json({ status: "ok" }, 200, { "Cache-Control": "no-store" });
  const checks: Record<string, "ok" | string> = {};
  await Promise.all([
    c.env.DB.prepare("select 1")
      .first()
      .then(() => (checks.d1 = "ok"))
      .catch((e: Error) => (checks.d1 = e.message)),
    c.env.CATALOG_CACHE.get("catalog:version")
      .then(() => (checks.kv = "ok"))
      .catch((e: Error) => (checks.kv = e.message)),
  ]);
  const ok = Object.values(checks).every((v) => v === "ok");
  return c.json({ status: ok ? "ok" : "degraded", checks }, ok ? 200 : 503, { "Cache-Control": "no-store" });
});
