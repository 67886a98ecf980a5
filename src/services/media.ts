import { and, eq, inArray } from "drizzle-orm";
import { sha256Hex } from "../crypto";
import type { Db } from "../db";
import { media, productMedia } from "../db/schema";
import type { Bindings } from "../env";
import { invalid, notFound, unsupported } from "../errors";
import { sniffImageType } from "../media/sniff";
import { objectKey } from "../media/variants";

export interface MediaView {
  key: string;
  url: string;
  contentType: string;
  size: number;
  width: number;
  height: number;
  uploadedAt: string;
}

const view = (row: typeof media.$inferSelect): MediaView => ({
  key: row.key,
  url: `/media/${row.key}`,
  contentType: row.contentType,
  size: row.size,
  width: row.width,
  height: row.height,
  uploadedAt: row.uploadedAt.toISOString(),
});

/**
 * Stores image bytes under their SHA-256 (the same bytes twice are one object and one row), after
 * checking the type from magic bytes and reading dimensions with the Images binding.
 */
export async function storeImage(env: Bindings, db: Db, bytes: Uint8Array, now: Date): Promise<{ media: MediaView; created: boolean }> {
  const type = sniffImageType(bytes);
  if (!type) throw unsupported("unsupported_media_type", "Upload a JPEG, PNG, WebP, AVIF or GIF image.");
  const key = await sha256Hex(bytes);
  const [existing] = await db.select().from(media).where(eq(media.key, key)).limit(1);
  if (existing) return { media: view(existing), created: false };
  let info: Awaited<ReturnType<ImagesBinding["info"]>>;
  try {
    info = await env.IMAGES.info(new Blob([bytes]).stream());
  } catch {
    throw unsupported("unsupported_media_type", `The file starts like ${type} but is not a readable image.`);
  }
  if (!("width" in info)) throw unsupported("unsupported_media_type", "Vector images are not accepted.");
  const uploadedAt = now;
  await env.MEDIA.put(objectKey(key), bytes, {
    httpMetadata: { contentType: type, cacheControl: "public, max-age=31536000, immutable" },
    customMetadata: { width: String(info.width), height: String(info.height), uploadedAt: uploadedAt.toISOString() },
  });
  const row = { key, contentType: type, size: bytes.length, width: info.width, height: info.height, uploadedAt };
  await db.insert(media).values(row).onConflictDoNothing();
  return { media: view(row), created: true };
}

/** One uploaded image's record. */
export async function getMedia(db: Db, key: string): Promise<MediaView | undefined> {
  const [row] = await db.select().from(media).where(eq(media.key, key)).limit(1);
  return row && view(row);
}

export interface ProductImageInput {
  key: string;
  alt?: string;
}

/** Replaces a product's images with `items`, in that order (the first is the main image). */
export async function setProductImages(db: Db, productId: number, items: ProductImageInput[]): Promise<void> {
  const keys = [...new Set(items.map((i) => i.key))];
  const found = keys.length ? await db.select().from(media).where(inArray(media.key, keys)) : [];
  const missing = keys.filter((k) => !found.some((f) => f.key === k));
  if (missing.length) {
    throw invalid("unknown_media", "Upload the images first (POST /admin/api/media).", [
      { field: "items", in: "json", message: `Unknown media key(s): ${missing.join(", ")}` },
    ]);
  }
  const byKey = new Map(found.map((f) => [f.key, f]));
  const rows = items.map((item, position) => {
    const m = byKey.get(item.key) as typeof media.$inferSelect;
    return { productId, mediaKey: item.key, alt: item.alt ?? "", width: m.width, height: m.height, position };
  });
  await db.batch([
    db.delete(productMedia).where(eq(productMedia.productId, productId)),
    ...rows.map((row) => db.insert(productMedia).values(row)),
  ]);
}

/** Removes one image from a product (the upload stays until the cleanup job finds it unused). */
export async function removeProductImage(db: Db, productId: number, key: string): Promise<void> {
  const removed = await db
    .delete(productMedia)
    .where(and(eq(productMedia.productId, productId), eq(productMedia.mediaKey, key)))
    .returning({ key: productMedia.mediaKey });
  if (!removed.length) throw notFound("Product image", key);
}
