import { Hono } from "hono";
import type { AppEnv } from "../env";
import { notFound } from "../errors";
import { FEED_KEYS } from "../services/feeds";

async function serve(bucket: R2Bucket, key: string): Promise<Response> {
  const object = await bucket.get(key);
  if (!object) throw notFound("Feed", key);
  return new Response(object.body, {
    headers: { "Content-Type": "application/xml; charset=utf-8", "Cache-Control": "public, max-age=3600", ETag: object.httpEtag },
  });
}

/** The product feed and sitemap the daily job writes to R2. */
export const feeds = new Hono<AppEnv>()
  .get("/feeds/google.xml", (c) => serve(c.env.MEDIA, FEED_KEYS.google))
  .get("/sitemap.xml", (c) => serve(c.env.MEDIA, FEED_KEYS.sitemap));
