import { Hono } from "hono";
import type { AppEnv } from "../env";
import { notFound } from "../errors";
import { downloadValid, exportKey } from "../services/exports";

/** Files behind signed, expiring links (segment exports staff asked for). */
export const downloads = new Hono<AppEnv>().get("/exports/:id", async (c) => {
  const id = c.req.param("id");
  if (!/^exp_[0-9a-f]{20}$/.test(id) || !(await downloadValid(c.env, id, c.req.query("expires") ?? "", c.req.query("sig") ?? ""))) {
    throw notFound("Download", id);
  }
  const object = await c.env.MEDIA.get(exportKey(id));
  if (!object) throw notFound("Download", id);
  return new Response(object.body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${id}.csv"`,
      "Cache-Control": "no-store",
      "Referrer-Policy": "no-referrer",
    },
  });
});
