import type { CategoryView, ProductPage } from "../../domain/catalog";
import { Layout, type Shop } from "../layout";
import { Pager, ProductGrid } from "../product-card";

/** Search results, or a prompt when there is no query. */
export function SearchPage(props: { shop: Shop; categories: CategoryView[]; q: string; listing: ProductPage }) {
  const { q, listing } = props;
  const pages = Math.max(1, Math.ceil(listing.total / listing.limit));
  const href = (page: number) => `/search?q=${encodeURIComponent(q)}${page > 1 ? `&page=${page}` : ""}`;
  return (
    <Layout
      shop={props.shop}
      title={q ? `Search: ${q}` : "Search"}
      description={`Search ${props.shop.name}.`}
      path="/search"
      categories={props.categories}
      query={q}
      head={<meta name="robots" content="noindex" />}
    >
      <h1>{q ? `Results for “${q}”` : "Search"}</h1>
      {q ? (
        <p class="muted" role="status">
          {listing.total} {listing.total === 1 ? "product" : "products"} found
        </p>
      ) : (
        <p class="muted">Type a product name, brand, category or SKU.</p>
      )}
      <ProductGrid products={listing.items} locale={props.shop.locale} />
      <Pager page={listing.page} pages={pages} href={href} />
    </Layout>
  );
}
