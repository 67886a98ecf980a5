import { Hono } from "hono";
import type { AppEnv } from "../env";
import { notFound } from "../errors";
import { etagMatches } from "../http/etag";
import { ASSETS, currentStylesheet } from "../views/assets";

/** Browsers prefetch product and category pages when a shopper hovers or presses on a link to them (path: SPECULATION_RULES_PATH). */
const SPECULATION_RULES = JSON.stringify({
  prefetch: [{ where: { or: [{ href_matches: "/p/*" }, { href_matches: "/c/*" }] }, eagerness: "moderate" }],
});

/**
 * A page of another build (cached before a deploy, or answered by a newer version while the deploy
 * spreads) names a stylesheet this build lacks: it gets this build's, which nobody may keep under that name.
 */
const OTHER_BUILD_STYLESHEET_CACHE = "no-store";

/** The shop's own browser scripts and stylesheets, under fingerprinted names, cached for a year; and the speculation rules. */
export const assets = new Hono<AppEnv>()
  .get("/speculation-rules.json", (c) =>
    c.body(SPECULATION_RULES, 200, { "Content-Type": "application/speculationrules+json", "Cache-Control": "public, max-age=86400" }),
  )
  .get("/:file", (c) => {
    const file = c.req.param("file");
    const exact = ASSETS.get(file);
    const asset = exact ?? currentStylesheet(file);
    if (!asset) throw notFound("Asset", file);
    const etag = `"${asset.file}"`;
    const headers = {
      "Content-Type": asset.type,
      "Cache-Control": exact ? "public, max-age=31536000, immutable" : OTHER_BUILD_STYLESHEET_CACHE,
      ETag: etag,
    };
    if (etagMatches(c.req.header("If-None-Match"), etag)) return c.body(null, 304, headers);
    return c.body(asset.source, 200, headers);
  });
