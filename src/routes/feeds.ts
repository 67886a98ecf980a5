import { type Context, Hono } from "hono";
import type { AppEnv } from "../env";
import { notFound } from "../errors";
import { requestDb } from "../request-db";
import { FEED_KEYS, writeFeeds } from "../services/feeds";

/** Serves a feed from R2; the first request before the daily job has run writes it. */
async function serve(c: Context<AppEnv>, key: string): Promise<Response> {
  let object = await c.env.MEDIA.get(key);
  if (!object) {
    await writeFeeds(c.env, requestDb(c));
    object = await c.env.MEDIA.get(key);
  }
  if (!object) throw notFound("Feed", key);
  return new Response(object.body, {
    headers: { "Content-Type": "application/xml; charset=utf-8", "Cache-Control": "public, max-age=3600", ETag: object.httpEtag },
  });
}

/** The product feed and sitemap the daily job refreshes in R2. */
export const feeds = new Hono<AppEnv>()
  .get("/feeds/google.xml", (c) => serve(c, FEED_KEYS.google))
  .get("/sitemap.xml", (c) => serve(c, FEED_KEYS.sitemap));
