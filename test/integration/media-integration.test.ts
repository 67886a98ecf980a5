import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { encodePng } from "../../scripts/png";
import { makeProduct } from "../helpers/factories";
import { ADMIN, call, callJson, VIEWER } from "../helpers/worker";

let seed = 0;
/** A real PNG, different every call (so each test owns its upload). */
const png = (width = 800, height = 600) => {
  seed += 37;
  const tint = seed % 256;
  return encodePng(width, height, (x, y) => [(x + tint) % 256, (y * 2) % 256, tint]);
};

async function upload(bytes: Uint8Array, headers: Record<string, string> = ADMIN) {
  return call("/admin/api/media", { method: "POST", headers: { ...headers, "Content-Type": "application/octet-stream" }, body: bytes });
}

async function sha256(bytes: Uint8Array) {
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

const infoOf = async (res: Response) => env.IMAGES.info(new Blob([await res.arrayBuffer()]).stream());

describe("media upload", () => {
  it("stores an image under its content hash with type, size and dimensions", async () => {
    const bytes = await png(800, 600);
    const res = await upload(bytes);
    expect(res.status).toBe(201);
    const media = await res.json<{ key: string; contentType: string; size: number; width: number; height: number }>();
    expect(media).toMatchObject({ key: await sha256(bytes), contentType: "image/png", size: bytes.length, width: 800, height: 600 });
    const object = await env.MEDIA.head(`media/${media.key}`);
    expect(object?.httpMetadata?.contentType).toBe("image/png");
    expect(object?.customMetadata).toMatchObject({ width: "800", height: "600" });
  });

  it("keeps one object and one row when the same bytes are uploaded twice", async () => {
    const bytes = await png();
    const first = await (await upload(bytes)).json<{ key: string }>();
    const again = await upload(bytes);
    expect(again.status).toBe(200);
    expect((await again.json<{ key: string }>()).key).toBe(first.key);
    const rows = await env.DB.prepare("select count(*) as n from media where key = ?").bind(first.key).first<{ n: number }>();
    expect(rows!.n).toBe(1);
    expect((await env.MEDIA.list({ prefix: `media/${first.key}` })).objects).toHaveLength(1);
  });

  it("accepts multipart uploads in the 'file' field", async () => {
    const form = new FormData();
    form.append("file", new File([await png(320, 320)], "photo.png", { type: "image/png" }));
    const res = await call("/admin/api/media", { method: "POST", headers: ADMIN, body: form });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ width: 320, height: 320 });
  });

  it("refuses what is not an image (415), a fake image (415), and too much (413), storing nothing", async () => {
    const before = (await env.MEDIA.list({ prefix: "media/" })).objects.length;
    const text = await upload(new TextEncoder().encode("<svg xmlns='http://www.w3.org/2000/svg'></svg> not allowed"));
    expect(text.status).toBe(415);
    expect(await text.json()).toMatchObject({ code: "unsupported_media_type" });
    const fake = new Uint8Array(64);
    fake.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect((await upload(fake)).status).toBe(415);
    const big = await call(
      "/admin/api/media",
      { method: "POST", headers: { ...ADMIN, "Content-Type": "application/octet-stream" }, body: await png(400, 400) },
      { MEDIA_MAX_BYTES: "1000" },
    );
    expect(big.status).toBe(413);
    expect((await env.MEDIA.list({ prefix: "media/" })).objects.length).toBe(before);
  });

  it("needs an admin token that may write", async () => {
    const bytes = await png(200, 200);
    expect((await call("/admin/api/media", { method: "POST", body: bytes })).status).toBe(401);
    expect((await upload(bytes, VIEWER)).status).toBe(403);
  });
});

describe("media serving", () => {
  async function stored(width = 1000, height = 750) {
    return (await (await upload(await png(width, height))).json<{ key: string }>()).key;
  }

  it("serves a 320 px WebP and AVIF of a real upload", async () => {
    const key = await stored(1000, 750);
    const webp = await call(`/media/${key}?w=320&format=webp`);
    expect(webp.status).toBe(200);
    expect(webp.headers.get("Content-Type")).toBe("image/webp");
    expect(await infoOf(webp)).toMatchObject({ format: "image/webp", width: 320, height: 240 });
    const avif = await call(`/media/${key}?w=320&format=avif`);
    expect(avif.headers.get("Content-Type")).toBe("image/avif");
    expect(await infoOf(avif)).toMatchObject({ format: "image/avif", width: 320, height: 240 });
  });

  it("picks AVIF, then WebP, from Accept for format=auto, else the original type", async () => {
    const key = await stored();
    const avif = await call(`/media/${key}?w=160&format=auto`, { headers: { Accept: "image/avif,image/webp,*/*" } });
    expect(avif.headers.get("Content-Type")).toBe("image/avif");
    const webp = await call(`/media/${key}?w=160&format=auto`, { headers: { Accept: "image/webp,*/*" } });
    expect(webp.headers.get("Content-Type")).toBe("image/webp");
    const plain = await call(`/media/${key}?w=160&format=auto`, { headers: { Accept: "*/*" } });
    expect(plain.headers.get("Content-Type")).toBe("image/png");
    expect(avif.headers.get("Vary")).toBe("Accept");
  });

  it("answers the second request from the edge cache without transforming again", async () => {
    const key = await stored();
    const first = await call(`/media/${key}?w=640&format=webp`);
    expect(first.headers.get("X-Media-Cache")).toBe("miss");
    const firstBytes = new Uint8Array(await first.arrayBuffer());
    const second = await call(`/media/${key}?w=640&format=webp`);
    expect(second.headers.get("X-Media-Cache")).toBe("hit");
    expect(new Uint8Array(await second.arrayBuffer())).toEqual(firstBytes);
    expect(second.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
    const etag = second.headers.get("ETag")!;
    expect((await call(`/media/${key}?w=640&format=webp`, { headers: { "If-None-Match": etag } })).status).toBe(304);
  });

  it("refuses widths outside the list and keys that are not content hashes", async () => {
    const key = await stored();
    const odd = await call(`/media/${key}?w=333`);
    expect(odd.status).toBe(400);
    expect(await odd.json()).toMatchObject({ code: "invalid_request", errors: [{ field: "w", in: "query" }] });
    expect((await call(`/media/${key}?format=tiff`)).status).toBe(400);
    expect((await call("/media/..%2F..%2Fsecrets")).status).toBe(400);
    expect((await call(`/media/${key.toUpperCase()}`)).status).toBe(400);
    expect((await call(`/media/${"0".repeat(64)}?w=320`)).status).toBe(404);
    expect((await call(`/media/${"0".repeat(64)}`)).status).toBe(404);
  });

  it("serves originals with Range support", async () => {
    const bytes = await png(300, 200);
    const key = (await (await upload(bytes)).json<{ key: string }>()).key;
    const whole = await call(`/media/${key}`);
    expect(whole.headers.get("Content-Type")).toBe("image/png");
    expect(whole.headers.get("Accept-Ranges")).toBe("bytes");
    expect(new Uint8Array(await whole.arrayBuffer())).toEqual(bytes);
    const part = await call(`/media/${key}`, { headers: { Range: "bytes=0-99" } });
    expect(part.status).toBe(206);
    expect(part.headers.get("Content-Range")).toBe(`bytes 0-99/${bytes.length}`);
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(bytes.slice(0, 100));
  });
});

describe("product images", () => {
  it("attaches ordered images to a product and renders them responsively", async () => {
    const product = await makeProduct();
    const keys = [];
    for (const size of [
      [1200, 900],
      [800, 800],
    ] as const)
      keys.push((await (await upload(await png(...size))).json<{ key: string }>()).key);
    const res = await callJson(`/admin/api/products/${product.id}/media`, "PUT", {
      items: [
        { key: keys[0], alt: "Front view" },
        { key: keys[1], alt: "Detail" },
      ],
    });
    expect(res.status).toBe(200);
    expect((await res.json<{ media: { key: string }[] }>()).media.map((m) => m.key)).toEqual(keys);

    const page = await (await call(`/p/${product.slug}`)).text();
    const hero = new RegExp(`<img class="hero" src="/media/${keys[0]}\\?w=640&amp;format=auto" srcset="([^"]+)"[^>]*>`).exec(page);
    expect(hero).not.toBeNull();
    // 1200 px wide original: widths up to 960, never upscaled.
    expect(hero![1]).toContain(`/media/${keys[0]}?w=960&amp;format=auto 960w`);
    expect(hero![1]).not.toContain("1280w");
    expect(hero![0]).toContain('alt="Front view"');
    expect(hero![0]).toContain('width="640" height="480"');
    expect(hero![0]).toContain('loading="eager"');
    expect(hero![0]).toContain('fetchpriority="high"');
    expect(page).toMatch(new RegExp(`<img src="/media/${keys[1]}[^>]*loading="lazy" decoding="async"`));
  });

  it("lazy-loads listing images below the fold and removes an image on request", async () => {
    const product = await makeProduct();
    const key = (await (await upload(await png(640, 640))).json<{ key: string }>()).key;
    await callJson(`/admin/api/products/${product.id}/media`, "PUT", { items: [{ key }] });
    const removed = await call(`/admin/api/products/${product.id}/media/${key}`, { method: "DELETE", headers: ADMIN });
    expect(removed.status).toBe(200);
    expect((await removed.json<{ media: unknown[] }>()).media).toEqual([]);
    expect(await (await call(`/p/${product.slug}`)).text()).not.toContain(key);
    expect((await call(`/admin/api/products/${product.id}/media/${key}`, { method: "DELETE", headers: ADMIN })).status).toBe(404);
  });

  it("refuses unknown media keys", async () => {
    const product = await makeProduct();
    const res = await callJson(`/admin/api/products/${product.id}/media`, "PUT", { items: [{ key: "a".repeat(64) }] });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: "unknown_media" });
  });
});
