import type { ProductSummary } from "../domain/catalog";
import { formatMoney } from "../domain/money";
import { ProductImage } from "./product-image";

const CARD_SIZES = "(min-width: 72rem) 11rem, (min-width: 40rem) 30vw, 45vw";
/** Cards in the first row or two are above the fold on most screens. */
const EAGER_CARDS = 4;

/** A product tile for grids; `headingLevel` keeps the document outline valid. */
export function ProductCard(props: { product: ProductSummary; locale: string; headingLevel?: 2 | 3; eager?: boolean; priority?: boolean }) {
  const p = props.product;
  const Heading = props.headingLevel === 3 ? "h3" : "h2";
  return (
    <li class="card">
      <a href={`/p/${p.slug}`}>
        <ProductImage
          class="thumb"
          image={p.image}
          title={p.title}
          seed={p.slug}
          size={320}
          sizes={CARD_SIZES}
          eager={props.eager}
          priority={props.priority}
        />
        <div class="info">
          <Heading>{p.title}</Heading>
          {p.brand ? <div class="muted">{p.brand}</div> : null}
          <div>
            <span class="price">{formatMoney(p.price, props.locale)}</span>
            {p.available ? null : <span class="stock-out"> · Sold out</span>}
          </div>
        </div>
      </a>
    </li>
  );
}

/** A grid of product tiles. */
export function ProductGrid(props: { products: ProductSummary[]; locale: string; headingLevel?: 2 | 3 }) {
  return (
    <ul class="grid">
      {props.products.map((p, i) => (
        <ProductCard product={p} locale={props.locale} headingLevel={props.headingLevel} eager={i < EAGER_CARDS} priority={i === 0} />
      ))}
    </ul>
  );
}

/** Previous / numbered / next links for a paged listing. */
export function Pager(props: { page: number; pages: number; href: (page: number) => string }) {
  if (props.pages <= 1) return null;
  const { page, pages } = props;
  const around = [...new Set([1, page - 1, page, page + 1, pages])].filter((n) => n >= 1 && n <= pages).sort((a, b) => a - b);
  return (
    <nav class="pager" aria-label="Pages">
      {page > 1 ? (
        <a href={props.href(page - 1)} rel="prev">
          Previous
        </a>
      ) : null}
      {around.map((n) =>
        n === page ? (
          <span aria-current="page">{n}</span>
        ) : (
          <a href={props.href(n)} aria-label={`Page ${n}`}>
            {n}
          </a>
        ),
      )}
      {page < pages ? (
        <a href={props.href(page + 1)} rel="next">
          Next
        </a>
      ) : null}
    </nav>
  );
}
