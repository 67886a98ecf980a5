import { Hono } from "hono";
import { configOf, configProblems } from "../config";
import { safeEqual } from "../crypto";
import type { AppEnv } from "../env";
import { describeError } from "../log";

type Check = { ok: boolean; detail?: string };

async function probe(work: () => Promise<unknown>): Promise<Check> {
  try {
    await work();
    return { ok: true };
  } catch (err) {
    return { ok: false, detail: describeError(err).message };
  }
}

/** Whether the request carries the ops token (details of a failing deep check are for ops only). */
async function isOps(env: AppEnv["Bindings"], header: string | undefined): Promise<boolean> {
  const token = /^Bearer\s+(\S+)$/i.exec(header ?? "")?.[1];
  if (!token) return false;
  try {
    return await safeEqual(token, configOf(env).adminToken);
  } catch {
    return false;
  }
}

/**
 * Liveness for ops; `?deep=1` also proves D1 and KV answer and the configuration parses. Anyone sees
 * each component as ok or failed; the reasons need the admin token.
 */
export const health = new Hono<AppEnv>().get("/healthz", async (c) => {
  const noStore = { "Cache-Control": "no-store" };
  if (!c.req.query("deep")) return c.json({ status: "ok" }, 200, noStore);
  const problems = configProblems(c.env);
  const [d1, kv] = await Promise.all([
    probe(() => c.env.DB.prepare("select 1").first()),
    probe(() => c.env.CATALOG_CACHE.get("catalog:version")),
  ]);
  const checks: Record<string, Check> = { d1, kv, config: { ok: problems.length === 0 } };
  const ok = Object.values(checks).every((check) => check.ok);
  const body: Record<string, unknown> = {
    status: ok ? "ok" : "degraded",
    checks: Object.fromEntries(Object.entries(checks).map(([name, check]) => [name, check.ok ? "ok" : "failed"])),
  };
  if (!ok && (await isOps(c.env, c.req.header("Authorization")))) {
    body.details = {
      ...Object.fromEntries(Object.entries(checks).flatMap(([name, check]) => (check.detail ? [[name, check.detail]] : []))),
      config: problems,
    };
  }
  return c.json(body, ok ? 200 : 503, noStore);
});
