import { MAX_LINE_QUANTITY } from "../../domain/cart";
import type { CategoryView, ProductDetail, ProductSummary, VariantView } from "../../domain/catalog";
import { formatMoney, toDecimalString } from "../../domain/money";
import type { ReviewsSummary } from "../../domain/review";
import { stockDisplay } from "../../domain/stock";
import { JsonLd } from "../json-ld";
import { Layout, type Shop } from "../layout";
import { ProductGrid } from "../product-card";
import { ProductImage, preloadLink } from "../product-image";
import { VariantChoices } from "../variant-choices";

const HERO_SIZES = "(min-width: 48rem) 50vw, 100vw";

function StockState(props: { available: number }) {
  const shown = stockDisplay(props.available);
  if (shown.status === "out_of_stock") return <span class="stock-out">Sold out</span>;
  if (shown.status === "low_stock") return <span class="stock-low">Only {shown.quantity} left</span>;
  return <span class="stock-ok">In stock</span>;
}

function summary(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

function structuredData(shop: Shop, product: ProductDetail, url: string, reviews: ReviewsSummary) {
  return {
    "@context": "https://schema.org",
    "@type": "Product",
    name: product.title,
    description: summary(product.description, 500),
    url,
    ...(product.brand ? { brand: { "@type": "Brand", name: product.brand } } : {}),
    ...(product.media.length
      ? { image: product.media.map((m) => new URL(`/media/${m.key}?w=1280&format=jpeg`, shop.baseUrl).toString()) }
      : {}),
    sku: product.variants[0]?.sku,
    offers: product.variants.map((v) => ({
      "@type": "Offer",
      sku: v.sku,
      ...(v.gtin ? { gtin: v.gtin } : {}),
      name: v.title,
      url: `${url}?variant=${encodeURIComponent(v.sku)}`,
      price: toDecimalString(v.price),
      priceCurrency: v.price.currency,
      availability: v.available > 0 ? "https://schema.org/InStock" : "https://schema.org/OutOfStock",
      itemCondition: "https://schema.org/NewCondition",
    })),
    ...(reviews.count && reviews.average !== null
      ? {
          aggregateRating: {
            "@type": "AggregateRating",
            ratingValue: reviews.average,
            reviewCount: reviews.count,
            bestRating: 5,
            worstRating: 1,
          },
          review: reviews.items.map((r) => ({
            "@type": "Review",
            name: r.title,
            reviewBody: r.body,
            datePublished: r.createdAt.slice(0, 10),
            author: { "@type": "Person", name: r.authorName },
            reviewRating: { "@type": "Rating", ratingValue: r.rating, bestRating: 5, worstRating: 1 },
          })),
        }
      : {}),
  };
}

const stars = (rating: number) => "★".repeat(Math.round(rating)) + "☆".repeat(5 - Math.round(rating));

/** Approved reviews with their average, and the way to write one. */
function Reviews(props: { reviews: ReviewsSummary; slug: string; locale: string }) {
  const { reviews } = props;
  const date = (iso: string) => new Intl.DateTimeFormat(props.locale, { dateStyle: "medium", timeZone: "UTC" }).format(new Date(iso));
  return (
    <section aria-labelledby="reviews-heading" class="related" id="reviews">
      <h2 id="reviews-heading">Reviews</h2>
      {reviews.count && reviews.average !== null ? (
        <p>
          <span aria-hidden="true">{stars(reviews.average)}</span> {reviews.average.toFixed(1)} out of 5 ({reviews.count}{" "}
          {reviews.count === 1 ? "review" : "reviews"})
        </p>
      ) : (
        <p>No reviews yet.</p>
      )}
      <ul class="plain">
        {reviews.items.map((r) => (
          <li>
            <p>
              <span aria-hidden="true">{stars(r.rating)}</span> <span class="vh">{r.rating} out of 5:</span> <strong>{r.title}</strong>
            </p>
            {r.body.split(/\n{2,}/).map((para) => (
              <p class="break">{para}</p>
            ))}
            <p class="muted">
              {r.authorName}, {date(r.createdAt)}
            </p>
          </li>
        ))}
      </ul>
      <p>
        <a href={`/p/${props.slug}/review`}>Write a review</a> <span class="muted">(for customers who bought it)</span>
      </p>
    </section>
  );
}

/** The `Link` header that preloads a product page's main image, if it has one. */
export function heroPreload(product: ProductDetail): string | undefined {
  const first = product.media[0];
  return first ? preloadLink(first, 640, HERO_SIZES) : undefined;
}

/** All of a product's images: swipe or scroll between them, or pick a thumbnail (no JavaScript needed). */
function Gallery(props: { product: ProductDetail }) {
  const { product } = props;
  const media = product.media;
  if (media.length <= 1) {
    return (
      <ProductImage
        class="hero"
        image={media[0] ?? null}
        title={product.title}
        seed={product.slug}
        size={640}
        sizes={HERO_SIZES}
        eager
        priority
      />
    );
  }
  return (
    <div class="gallery">
      <ul class="slides" tabindex={0} aria-label={`${product.title}: ${media.length} images`}>
        {media.map((m, i) => (
          <li id={`image-${i + 1}`}>
            <ProductImage
              class="hero"
              image={m}
              title={product.title}
              seed={product.slug}
              size={640}
              sizes={HERO_SIZES}
              eager={i === 0}
              priority={i === 0}
            />
          </li>
        ))}
      </ul>
      <ul class="thumbs">
        {media.map((m, i) => (
          <li>
            <a href={`#image-${i + 1}`} aria-label={`Show image ${i + 1} of ${media.length}`} data-slide>
              <ProductImage image={m} title={product.title} seed={product.slug} size={160} sizes="4.5rem" />
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The product page: gallery, price and stock of the chosen variant, option choices that work without JavaScript, recommendations. */
export function ProductPage(props: {
  shop: Shop;
  categories: CategoryView[];
  trail: CategoryView[];
  product: ProductDetail;
  selected: VariantView;
  recommended: { boughtTogether: ProductSummary[]; similar: ProductSummary[] };
  reviews: ReviewsSummary;
}) {
  const { shop, product, selected } = props;
  const url = new URL(`/p/${product.slug}`, shop.baseUrl).toString();
  const description = product.seoDescription || summary(product.description) || product.title;
  const image = product.media[0] ? new URL(`/media/${product.media[0].key}?w=1280&format=jpeg`, shop.baseUrl).toString() : undefined;
  const head = (
    <>
      <meta property="og:type" content="product" />
      <meta property="og:title" content={product.title} />
      <meta property="og:description" content={description} />
      <meta property="og:url" content={url} />
      <meta property="og:site_name" content={shop.name} />
      {image ? <meta property="og:image" content={image} /> : null}
      <meta property="product:price:amount" content={toDecimalString(selected.price)} />
      <meta property="product:price:currency" content={selected.price.currency} />
      <JsonLd data={structuredData(shop, product, url, props.reviews)} />
    </>
  );
  const onSale = selected.compareAtPrice && selected.compareAtPrice.amount > selected.price.amount;
  // Choices need every variant to name its options; otherwise the plain list of variants is clearer.
  const choosable = product.variants.length > 1 && product.variants.every((v) => Object.keys(v.options).length > 0);
  const together = new Set(props.recommended.boughtTogether.map((p) => p.id));
  const alsoLike = props.recommended.similar.filter((p) => !together.has(p.id)).slice(0, 4);
  return (
    <Layout
      shop={shop}
      title={product.seoTitle || product.title}
      description={description}
      path={`/p/${product.slug}`}
      categories={props.categories}
      head={head}
    >
      <nav class="crumbs" aria-label="Breadcrumb">
        <ol>
          <li>
            <a href="/">Home</a>
          </li>
          {props.trail.map((c) => (
            <li>
              <a href={`/c/${c.slug}`}>{c.name}</a>
            </li>
          ))}
          <li aria-current="page">{product.title}</li>
        </ol>
      </nav>
      <article class="product">
        <div>
          <Gallery product={product} />
        </div>
        <div>
          <h1>{product.title}</h1>
          {product.brand ? <p class="muted">by {product.brand}</p> : null}
          <p>
            <span class="price">{formatMoney(selected.price, shop.locale)}</span>
            {onSale && selected.compareAtPrice ? (
              <>
                {" "}
                <s class="muted">
                  <span class="skip">Was </span>
                  {formatMoney(selected.compareAtPrice, shop.locale)}
                </s>
              </>
            ) : null}{" "}
            · <StockState available={selected.available} />
          </p>
          {selected.giftCard ? <p class="muted">A gift card: its code is emailed to you once your order is paid; nothing ships.</p> : null}
          <form method="post" action="/cart/lines" data-add-to-cart id="buy">
            {choosable ? (
              <>
                <VariantChoices slug={product.slug} variants={product.variants} selected={selected} />
                <input type="hidden" name="sku" value={selected.sku} />
              </>
            ) : (
              <fieldset>
                <legend>{product.variants.length > 1 ? "Choose an option" : "Option"}</legend>
                {product.variants.map((v) => (
                  <label class="variant">
                    <input type="radio" name="sku" value={v.sku} checked={v.sku === selected.sku} disabled={v.available <= 0} required />
                    <span>
                      {v.title} — {formatMoney(v.price, shop.locale)} · <StockState available={v.available} />
                    </span>
                  </label>
                ))}
              </fieldset>
            )}
            <div class="qty">
              <label for="quantity">Quantity</label>
              <input id="quantity" name="quantity" type="number" min="1" max={String(MAX_LINE_QUANTITY)} value="1" inputmode="numeric" />
            </div>
            <button
              class="add"
              type="submit"
              disabled={choosable ? selected.available <= 0 : product.variants.every((v) => v.available <= 0)}
            >
              Add to cart
            </button>
            <p id="added" class="added" role="status" />
          </form>
          <section aria-labelledby="about">
            <h2 id="about">About this product</h2>
            {product.description.split(/\n{2,}/).map((para) => (
              <p>{para}</p>
            ))}
          </section>
        </div>
      </article>
      <Reviews reviews={props.reviews} slug={product.slug} locale={shop.locale} />
      {props.recommended.boughtTogether.length ? (
        <section aria-labelledby="together" class="related">
          <h2 id="together">Frequently bought together</h2>
          <ProductGrid products={props.recommended.boughtTogether} locale={shop.locale} headingLevel={3} />
        </section>
      ) : null}
      {alsoLike.length ? (
        <section aria-labelledby="also-like" class="related">
          <h2 id="also-like">You may also like</h2>
          <ProductGrid products={alsoLike} locale={shop.locale} headingLevel={3} />
        </section>
      ) : null}
    </Layout>
  );
}
