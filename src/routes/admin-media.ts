import { type Context, Hono, type Next } from "hono";
import { bodyLimit } from "hono/body-limit";
import { describeRoute } from "hono-openapi";
import { z } from "zod";
import { configOf } from "../config";
import type { AppEnv } from "../env";
import { invalid, notFound, tooLarge } from "../errors";
import { MEDIA_KEY } from "../media/variants";
import { MediaSchema } from "../openapi/admin-schemas";
import { jsonBody, problems } from "../openapi/responses";
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

const doc = {
  upload: describeRoute({
    tags: ["Media"],
    summary: "Upload an image",
    description: "JPEG, PNG, WebP, GIF or AVIF, as the raw body or a multipart field `file`; the same bytes twice are one image.",
    requestBody: {
      required: true,
      content: {
        "image/*": { schema: { type: "string", contentMediaType: "image/*" } },
        "multipart/form-data": {
          schema: { type: "object", properties: { file: { type: "string", contentMediaType: "image/*" } }, required: ["file"] },
        },
      },
    },
    responses: {
      200: jsonBody("Already stored: the existing image.", MediaSchema),
      201: jsonBody("Stored (its URL in Location).", MediaSchema),
      ...problems(400, 413, 415),
    },
  }),
  read: describeRoute({
    tags: ["Media"],
    summary: "Get an image's record",
    responses: { 200: jsonBody("The image's record; the bytes are at its url.", MediaSchema), ...problems(404) },
  }),
};

/** Admin media: upload an image (raw body or multipart field `file`), read its record. */
export const adminMedia = new Hono<AppEnv>()
  .post("/", doc.upload, uploadLimit, async (c) => {
    const bytes = await uploadedBytes(c);
    if (!bytes.length) throw invalid("invalid_request", "The upload is empty.");
    const { media, created } = await storeImage(c.env, requestDb(c), bytes, new Date());
    return c.json(media, created ? 201 : 200, { Location: `/admin/api/media/${media.key}` });
  })
  .get("/:key", doc.read, validate("param", z.object({ key: z.string().regex(MEDIA_KEY, "Not a media key.") })), async (c) => {
    const found = await getMedia(requestDb(c), c.req.valid("param").key);
    if (!found) throw notFound("Media", c.req.valid("param").key);
    return c.json(found);
  });
