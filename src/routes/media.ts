import { type Context, Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../env";
import { notFound } from "../errors";
import { etagMatches } from "../http/etag";
import { SECURITY_HEADERS } from "../http/security-headers";
import { MEDIA_FORMATS, MEDIA_KEY, MEDIA_WIDTHS, objectKey, outputType } from "../media/variants";
import { validate } from "../validation";
import { countField } from "./catalog-params";

const IMMUTABLE = "public, max-age=31536000, immutable";
const OUTPUT_TYPES = new Set(["image/jpeg", "image/png", "image/gif", "image/webp", "image/avif"]);

const query = z.object({
  w: countField(1, 10_000)
    .refine((w) => (MEDIA_WIDTHS as readonly number[]).includes(w), `Use one of ${MEDIA_WIDTHS.join(", ")}.`)
    .optional(),
  format: z.enum(MEDIA_FORMATS).optional(),
});

function headers(contentType: string, etag: string, extra: [string, string][] = []): [string, string][] {
  return [["Content-Type", contentType], ["Cache-Control", IMMUTABLE], ["ETag", etag], ...extra, ...SECURITY_HEADERS];
}

const matches = (c: Context<AppEnv>, etag: string) => etagMatches(c.req.header("If-None-Match"), etag);

type ByteRange = { offset: number; length: number } | "unsatisfiable";

/**
 * One `bytes=` range of an object of `size` bytes: `a-b`, `a-` or `-n`. Anything else (other units,
 * several ranges, junk) is undefined, and the whole object is sent, as a server may ignore Range.
 */
function byteRange(header: string, size: number): ByteRange | undefined {
  const m = /^bytes=(\d{0,15})-(\d{0,15})$/.exec(header.trim());
  if (!m || (m[1] === "" && m[2] === "")) return undefined;
  if (m[1] === "") {
    const suffix = Number(m[2]);
    if (suffix === 0) return "unsatisfiable";
    return { offset: Math.max(0, size - suffix), length: Math.min(suffix, size) };
  }
  const first = Number(m[1]);
  const last = m[2] === "" ? Number.POSITIVE_INFINITY : Number(m[2]);
  if (last < first) return undefined;
  if (first >= size) return "unsatisfiable";
  return { offset: first, length: Math.min(last, size - 1) - first + 1 };
}

/** The original bytes: conditional requests, and a single byte range (206; 416 past the end). */
async function original(c: Context<AppEnv>, key: string): Promise<Response> {
  const etag = `"${key}"`;
  if (matches(c, etag)) return new Response(null, { status: 304, headers: headers("application/octet-stream", etag) });
  const asked = c.req.header("Range");
  if (asked !== undefined) {
    const head = await c.env.MEDIA.head(objectKey(key));
    if (!head) throw notFound("Media", key);
    const range = byteRange(asked, head.size);
    if (range === "unsatisfiable") {
      return new Response(null, {
        status: 416,
        headers: headers("application/octet-stream", etag, [["Content-Range", `bytes */${head.size}`]]),
      });
    }
    if (range) {
      const part = await c.env.MEDIA.get(objectKey(key), { range });
      if (!part) throw notFound("Media", key);
      const type = part.httpMetadata?.contentType ?? "application/octet-stream";
      const extra: [string, string][] = [
        ["Accept-Ranges", "bytes"],
        ["Content-Range", `bytes ${range.offset}-${range.offset + range.length - 1}/${head.size}`],
      ];
      return new Response(part.body, { status: 206, headers: headers(type, etag, extra) });
    }
  }
  const object = await c.env.MEDIA.get(objectKey(key));
  if (!object) throw notFound("Media", key);
  const type = object.httpMetadata?.contentType ?? "application/octet-stream";
  return new Response(object.body, { status: 200, headers: headers(type, etag, [["Accept-Ranges", "bytes"]]) });
}

/**
 * GET /media/:key?w=&format= — originals from R2; resized or converted variants from the Images
 * binding, kept in the edge cache (Cache API) so a repeat request does no transform.
 */
export const mediaRoutes = new Hono<AppEnv>().get(
  "/:key",
  validate("param", z.object({ key: z.string().regex(MEDIA_KEY, "Media keys are 64 lowercase hex characters.") })),
  validate("query", query),
  async (c) => {
    const { key } = c.req.valid("param");
    const { w, format } = c.req.valid("query");
    if (w === undefined && format === undefined) return original(c, key);
    const head = await c.env.MEDIA.head(objectKey(key));
    if (!head) throw notFound("Media", key);
    const originalType = head.httpMetadata?.contentType ?? "image/png";
    let type = outputType(format, c.req.header("Accept") ?? "", originalType);
    if (!OUTPUT_TYPES.has(type)) type = "image/png";
    if (w === undefined && type === originalType) return original(c, key);
    const variant = `${w ?? "orig"}-${type.slice(6)}`;
    const etag = `"${key}-${variant}"`;
    const vary: [string, string] = ["Vary", "Accept"];
    if (matches(c, etag)) return new Response(null, { status: 304, headers: headers(type, etag, [vary]) });

    const cache = caches.default;
    const cacheKey = new Request(`https://media-variants.edgefront.invalid/${key}/${variant}`);
    const hit = await cache.match(cacheKey);
    if (hit) return new Response(hit.body, { headers: headers(type, etag, [vary, ["X-Media-Cache", "hit"]]) });

    const object = await c.env.MEDIA.get(objectKey(key));
    if (!object) throw notFound("Media", key);
    let image = c.env.IMAGES.input(object.body);
    if (w !== undefined) image = image.transform({ width: w, fit: "scale-down" });
    const output = await image.output({ format: type as "image/webp" });
    const bytes = await output.response().arrayBuffer();
    c.executionCtx.waitUntil(cache.put(cacheKey, new Response(bytes, { headers: headers(type, etag) })));
    return new Response(bytes, { headers: headers(type, etag, [vary, ["X-Media-Cache", "miss"]]) });
  },
);
