import { type Context, Hono, type Next } from "hono";
import { bodyLimit } from "hono/body-limit";
import { z } from "zod";
import { configOf } from "../config";
import type { AppEnv } from "../env";
import { invalid, notFound, tooLarge } from "../errors";
import { MEDIA_KEY } from "../media/variants";
import { requestDb } from "../request-db";
import { getMedia, storeImage } from "../services/media";
import { validate } from "../validation";

function uploadLimit(c: Context<AppEnv>, next: Next) {
  const maxSize = configOf(c.env).mediaMaxBytes;
  return bodyLimit({
    maxSize,
    onError: () => {
      throw tooLarge(`Images are limited to ${maxSize} bytes.`);
    },
  })(c, next);
}

async function uploadedBytes(c: Context<AppEnv>): Promise<Uint8Array> {
  if ((c.req.header("Content-Type") ?? "").startsWith("multipart/form-data")) {
    let form: Record<string, unknown>;
    try {
      form = (await c.req.parseBody()) as Record<string, unknown>;
    } catch {
      throw invalid("invalid_request", "The multipart body could not be read.");
    }
    const file = form.file;
    if (!(file instanceof File)) {
      throw invalid("invalid_request", "Send the image in a form field named 'file'.", [
        { field: "file", in: "form", message: "Required: the image file." },
      ]);
    }
    return new Uint8Array(await file.arrayBuffer());
  }
  return new Uint8Array(await c.req.arrayBuffer());
}

/** Admin media: upload an image (raw body or multipart field `file`), read its record. */
export const adminMedia = new Hono<AppEnv>()
  .post("/", uploadLimit, async (c) => {
    const bytes = await uploadedBytes(c);
    if (!bytes.length) throw invalid("invalid_request", "The upload is empty.");
    const { media, created } = await storeImage(c.env, requestDb(c), bytes, new Date());
    return c.json(media, created ? 201 : 200, { Location: `/admin/api/media/${media.key}` });
  })
  .get("/:key", validate("param", z.object({ key: z.string().regex(MEDIA_KEY, "Not a media key.") })), async (c) => {
    const found = await getMedia(requestDb(c), c.req.valid("param").key);
    if (!found) throw notFound("Media", c.req.valid("param").key);
    return c.json(found);
  });
