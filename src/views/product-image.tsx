import type { MediaRef } from "../domain/catalog";
import { nearestWidth, srcset } from "../media/variants";

function hue(seed: string): number {
  let h = 0;
  for (let i = 0; i < seed.length; i++) h = (h * 31 + seed.charCodeAt(i)) >>> 0;
  return h % 360;
}

function initials(title: string): string {
  return title
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]?.toUpperCase())
    .join("");
}

export interface ProductImageProps {
  image: MediaRef | null;
  title: string;
  seed: string;
  /** Display width in CSS pixels at the largest layout (picks `src` and the width/height attributes). */
  size: number;
  /** The `sizes` attribute for the layout the image sits in. */
  sizes: string;
  /** Above the fold: load at once (and, for the main product image, with high priority). */
  eager?: boolean;
  priority?: boolean;
  class?: string;
}

/** A product image with srcset over the fixed widths, or a drawn placeholder when there is none. */
export function ProductImage(props: ProductImageProps) {
  if (props.image) {
    const { key, alt, width, height } = props.image;
    const displayHeight = width && height ? Math.round((props.size * height) / width) : props.size;
    return (
      <img
        class={props.class}
        src={`/media/${key}?w=${nearestWidth(props.size, width)}&format=auto`}
        srcset={srcset(key, width)}
        sizes={props.sizes}
        alt={alt || props.title}
        width={props.size}
        height={displayHeight}
        loading={props.eager ? "eager" : "lazy"}
        decoding="async"
        {...(props.priority ? { fetchpriority: "high" } : {})}
      />
    );
  }
  const h = hue(props.seed);
  return (
    <svg class={props.class} viewBox="0 0 100 100" width={props.size} height={props.size} role="img" aria-label={props.title}>
      <rect width="100" height="100" fill={`hsl(${h} 45% 88%)`} />
      <circle cx="50" cy="50" r="30" fill={`hsl(${h} 40% 72%)`} />
      <text x="50" y="58" text-anchor="middle" font-size="22" font-family="system-ui,sans-serif" fill={`hsl(${h} 50% 22%)`}>
        {initials(props.title)}
      </text>
    </svg>
  );
}

/** A `Link` header value that preloads an image as the page's `<img srcset sizes>` would fetch it. */
export function preloadLink(image: MediaRef, size: number, sizes: string): string {
  return `</media/${image.key}?w=${nearestWidth(size, image.width)}&format=auto>; rel=preload; as=image; fetchpriority=high; imagesrcset="${srcset(image.key, image.width)}"; imagesizes="${sizes}"`;
}
