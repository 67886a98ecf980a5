/** The only widths served, so nobody can fill the cache with arbitrary sizes. */
export const MEDIA_WIDTHS = [160, 320, 640, 960, 1280, 1920] as const;
export type MediaWidth = (typeof MEDIA_WIDTHS)[number];

/** Requested output format; `auto` picks AVIF or WebP from Accept, else the original type. */
export const MEDIA_FORMATS = ["auto", "avif", "webp", "jpeg", "png"] as const;
export type MediaFormat = (typeof MEDIA_FORMATS)[number];

/** Content-hash keys: 64 lowercase hex characters and nothing else (no paths). */
export const MEDIA_KEY = /^[0-9a-f]{64}$/;

/** The R2 object key of an upload. */
export const objectKey = (key: string) => `media/${key}`;

/** The output type for a request: explicit format, or from Accept for `auto`, else the original. */
export function outputType(format: MediaFormat | undefined, accept: string, original: string): string {
  if (format === "avif" || format === "webp" || format === "jpeg" || format === "png") return `image/${format}`;
  if (format === "auto") {
    if (/image\/avif/.test(accept)) return "image/avif";
    if (/image\/webp/.test(accept)) return "image/webp";
  }
  return original;
}

/** `srcset` over the fixed widths, never wider than the original. */
export function srcset(key: string, originalWidth: number | null): string {
  const widths = MEDIA_WIDTHS.filter((w) => originalWidth === null || w <= originalWidth);
  const usable = widths.length ? widths : [MEDIA_WIDTHS[0]];
  return usable.map((w) => `/media/${key}?w=${w}&format=auto ${w}w`).join(", ");
}

/** The fixed width closest to (and not below) `wanted`, capped at the original width. */
export function nearestWidth(wanted: number, originalWidth: number | null): MediaWidth {
  const cap = originalWidth ?? Number.POSITIVE_INFINITY;
  const fitting = MEDIA_WIDTHS.filter((w) => w <= cap);
  return (fitting.find((w) => w >= wanted) ?? fitting.at(-1) ?? MEDIA_WIDTHS[0]) as MediaWidth;
}
