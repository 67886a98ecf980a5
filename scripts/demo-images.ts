// Demo product pictures: drawn PNGs per category and style, uploaded and attached through the admin
// API (the same path an admin uses), so the local shop shows real images end to end.
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

async function request(base: string, token: string, path: string, init: RequestInit) {
  const res = await fetch(base + path, { ...init, headers: { Authorization: `Bearer ${token}`, ...(init.headers ?? {}) } });
  if (!res.ok) throw new Error(`${init.method} ${path}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<{ key: string }>;
}

/** Draws one picture per category and style (keyed `categoryId:style`). */
export async function drawDemoPictures(): Promise<Map<string, Uint8Array>> {
  const pictures = new Map<string, Uint8Array>();
  for (const category of demoCatalog().categories) {
    for (let style = 0; style < STYLES; style++) pictures.set(`${category.id}:${style}`, await picture((category.id * 47) % 360, style));
  }
  return pictures;
}

/** Runs `work` over `items`, `width` at a time. */
async function inParallel<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

/** Uploads the pictures, then attaches one to every demo product through the admin API. */
export async function seedDemoImages(base: string, token: string, drawn?: Promise<Map<string, Uint8Array>>): Promise<number> {
  const catalog = demoCatalog();
  const pictures = await (drawn ?? drawDemoPictures());
  const keys = new Map<string, string>();
  await inParallel([...pictures], 8, async ([id, bytes]) => {
    const { key } = await request(base, token, "/admin/api/media", { method: "POST", body: bytes });
    keys.set(id, key);
  });
  await inParallel(catalog.products, 8, async (p) => {
    const key = keys.get(`${p.categoryId}:${p.id % STYLES}`);
    await request(base, token, `/admin/api/products/${p.id}/media`, {
      method: "PUT",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ items: [{ key, alt: p.title }] }),
    });
  });
  return catalog.products.length;
}
