// Demo product pictures: drawn PNGs per category and style, stored in the local R2 bucket and attached
// to every demo product, so the local shop shows real images end to end from its first request.
import { createHash } from "node:crypto";
import { demoCatalog } from "./demo-catalog.ts";
import { encodePng } from "./png.ts";

const SIZE = 640;
const STYLES = 4;

function hsl(h: number, s: number, l: number): [number, number, number] {
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [f(0), f(8), f(4)];
}

const LIGHT_LEVELS = 64;

/** One picture: a soft background in the category's hue and a rounded object with a shadow (colours from lookup tables). */
function picture(hue: number, style: number): Promise<Uint8Array> {
  const c = SIZE / 2;
  const radius = SIZE * (0.24 + style * 0.03);
  const objectHue = (hue + style * 40) % 360;
  const objectColour = hsl(objectHue, 0.45, 0.5);
  const shades = Array.from({ length: LIGHT_LEVELS }, (_, i) => hsl(objectHue, 0.45, 0.3 + (0.5 * i) / (LIGHT_LEVELS - 1)));
  const rows = Array.from({ length: SIZE }, (_, y) => [hsl(hue, 0.35, 0.9 - (y / SIZE) * 0.08), hsl(hue, 0.35, 0.82 - (y / SIZE) * 0.08)]);
  return encodePng(SIZE, SIZE, (x, y) => {
    const dx = x - c;
    const dy = y - c + SIZE * 0.04;
    const shape = style % 2 === 0 ? Math.hypot(dx, dy) : Math.max(Math.abs(dx) * 0.9, Math.abs(dy));
    if (shape < radius) {
      const light = Math.min(0.8, Math.max(0.3, (0.5 + 0.25 * (1 - (dx + dy) / (2 * radius))) * 0.8));
      return shades[Math.round(((light - 0.3) / 0.5) * (LIGHT_LEVELS - 1))] as [number, number, number];
    }
    if (shape < radius + 3) return objectColour;
    const shadow = Math.hypot(dx * 0.9, (y - c - radius * 0.9) * 3) < radius;
    return (rows[y] as [number, number, number][])[shadow ? 1 : 0] as [number, number, number];
  });
}

/** Draws one picture per category and style that some demo product shows (keyed `categoryId:style`). */
export async function drawDemoPictures(): Promise<Map<string, Uint8Array>> {
  const pictures = new Map<string, Uint8Array>();
  for (const p of demoCatalog().products) {
    const id = `${p.categoryId}:${p.id % STYLES}`;
    if (!pictures.has(id)) pictures.set(id, await picture((p.categoryId * 47) % 360, p.id % STYLES));
  }
  return pictures;
}

/** The bindings the local shop's pictures are written through (a local platform proxy's). */
interface LocalBindings {
  DB: D1Database;
  MEDIA: R2Bucket;
}

/**
 * Stores the pictures as an upload would (R2 object under the bytes' SHA-256 with type and size
 * metadata, one `media` row each) and makes one the main image of every demo product.
 */
export async function attachDemoImages(env: LocalBindings, pictures: Map<string, Uint8Array>): Promise<number> {
  const catalog = demoCatalog();
  const keys = new Map<string, string>();
  const uploadedAt = Date.now();
  const rows: string[] = [];
  await Promise.all(
    [...pictures].map(async ([id, bytes]) => {
      const key = createHash("sha256").update(bytes).digest("hex");
      keys.set(id, key);
      await env.MEDIA.put(`media/${key}`, bytes, {
        httpMetadata: { contentType: "image/png", cacheControl: "public, max-age=31536000, immutable" },
        customMetadata: { width: String(SIZE), height: String(SIZE), uploadedAt: new Date(uploadedAt).toISOString() },
      });
      rows.push(`('${key}', 'image/png', ${bytes.length}, ${SIZE}, ${SIZE}, ${uploadedAt})`);
    }),
  );
  const quote = (text: string) => `'${text.replaceAll("'", "''")}'`;
  const statements = [`INSERT OR IGNORE INTO media (key, content_type, size, width, height, uploaded_at) VALUES ${rows.join(", ")}`];
  for (let i = 0; i < catalog.products.length; i += 100) {
    const chunk = catalog.products.slice(i, i + 100);
    statements.push(`DELETE FROM product_media WHERE product_id IN (${chunk.map((p) => p.id).join(", ")})`);
    const values = chunk.map((p) => `(${p.id}, '${keys.get(`${p.categoryId}:${p.id % STYLES}`)}', ${quote(p.title)}, ${SIZE}, ${SIZE}, 0)`);
    statements.push(`INSERT INTO product_media (product_id, media_key, alt, width, height, position) VALUES ${values.join(", ")}`);
  }
  await env.DB.batch(statements.map((sql) => env.DB.prepare(sql)));
  return catalog.products.length;
}
