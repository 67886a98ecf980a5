import { Hono } from "hono";
import type { AppEnv } from "../env";
import { notFound } from "../errors";
import { etagMatches } from "../http/etag";
import { SCRIPTS } from "../views/scripts";

/** Browsers prefetch product and category pages when a shopper hovers or presses on a link to them (path: SPECULATION_RULES_PATH). */
const SPECULATION_RULES = JSON.stringify({
  prefetch: [{ where: { or: [{ href_matches: "/p/*" }, { href_matches: "/c/*" }] }, eagerness: "moderate" }],
});

/** The shop's own browser scripts, under fingerprinted names, cached for a year; and the speculation rules. */
export const assets = new Hono<AppEnv>()
  .get("/speculation-rules.json", (c) =>
    c.body(SPECULATION_RULES, 200, { "Content-Type": "application/speculationrules+json", "Cache-Control": "public, max-age=86400" }),
  )
  .get("/:file", (c) => {
    const file = c.req.param("file");
    const script = SCRIPTS.get(file);
    if (!script) throw notFound("Asset", file);
    const etag = `"${file}"`;
    const headers = {
      "Content-Type": "text/javascript; charset=utf-8",
      "Cache-Control": "public, max-age=31536000, immutable",
      ETag: etag,
    };
    if (etagMatches(c.req.header("If-None-Match"), etag)) return c.body(null, 304, headers);
    return c.body(script.source, 200, headers);
  });
