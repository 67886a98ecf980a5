// Demo product pictures: drawn PNGs per category and style, uploaded and attached through the admin
// API (the same path an admin uses), so the local shop shows real images end to end.
import { demoCatalog } from "./demo-catalog.ts";
import { encodePng } from "./png.ts";

const SIZE = 800;
const STYLES = 4;

function hsl(h: number, s: number, l: number): [number, number, number] {
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [f(0), f(8), f(4)];
}

/** One picture: a soft background in the category's hue and a rounded object with a shadow. */
function picture(hue: number, style: number): Promise<Uint8Array> {
  const c = SIZE / 2;
  const radius = SIZE * (0.24 + style * 0.03);
  const objectColour = hsl((hue + style * 40) % 360, 0.45, 0.5);
  return encodePng(SIZE, SIZE, (x, y) => {
    const dx = x - c;
    const dy = y - c + SIZE * 0.04;
    const shape = style % 2 === 0 ? Math.hypot(dx, dy) : Math.max(Math.abs(dx) * 0.9, Math.abs(dy));
    if (shape < radius) {
      const light = 0.5 + 0.25 * (1 - (dx + dy) / (2 * radius));
      return hsl((hue + style * 40) % 360, 0.45, Math.min(0.8, Math.max(0.3, light * 0.8)));
    }
    const shadow = Math.hypot(dx * 0.9, (y - c - radius * 0.9) * 3) < radius ? 0.08 : 0;
    const background = hsl(hue, 0.35, 0.9 - (y / SIZE) * 0.08 - shadow);
    return shape < radius + 3 ? objectColour : background;
  });
}

async function request(base: string, token: string, path: string, init: RequestInit) {
  const res = await fetch(base + path, { ...init, headers: { Authorization: `Bearer ${token}`, ...(init.headers ?? {}) } });
  if (!res.ok) throw new Error(`${init.method} ${path}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<{ key: string }>;
}

/** Uploads one picture per category and style, then attaches one to every demo product. */
export async function seedDemoImages(base: string, token: string): Promise<number> {
  const catalog = demoCatalog();
  const keys = new Map<string, string>();
  for (const category of catalog.categories) {
    for (let style = 0; style < STYLES; style++) {
      const bytes = await picture((category.id * 47) % 360, style);
      const { key } = await request(base, token, "/admin/api/media", { method: "POST", body: bytes });
      keys.set(`${category.id}:${style}`, key);
    }
  }
  let next = 0;
  const products = catalog.products;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < products.length) {
        const p = products[next++];
        const key = keys.get(`${p.categoryId}:${p.id % STYLES}`);
        await request(base, token, `/admin/api/products/${p.id}/media`, {
          method: "PUT",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ items: [{ key, alt: p.title }] }),
        });
      }
    }),
  );
  return products.length;
}
