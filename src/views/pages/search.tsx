import type { CategoryView, ProductSummary } from "../../domain/catalog";
import { hasFilters, type Listing, type ListingFilters, type ListingSort } from "../../domain/listing";
import { Layout, type Shop } from "../layout";
import { ListingControls, listingHref } from "../listing-filters";
import { Pager, ProductGrid } from "../product-card";
import { SEARCH_SORTS } from "./category";

/** What a search found, how it was narrowed, and what to offer when it found nothing. */
export interface SearchResult {
  listing: Listing;
  sort: ListingSort;
  filters: ListingFilters;
  corrected: { from: string; to: string }[];
  alternatives: ProductSummary[];
}

const POPULAR_CATEGORIES = 6;

/** Search results with filters and sorting, alternatives when nothing matched, or a prompt without a query. */
export function SearchPage(props: { shop: Shop; categories: CategoryView[]; q: string; result?: SearchResult }) {
  const { q, result, shop } = props;
  const popular = [...props.categories].sort((a, b) => b.productCount - a.productCount).slice(0, POPULAR_CATEGORIES);
  return (
    <Layout
      shop={shop}
      title={q ? `Search: ${q}` : "Search"}
      description={`Search ${shop.name}.`}
      path="/search"
      categories={props.categories}
      query={q}
      head={<meta name="robots" content="noindex" />}
    >
      <h1>{q ? `Results for “${q}”` : "Search"}</h1>
      {result ? (
        <SearchResults shop={shop} q={q} result={result} popular={popular} />
      ) : (
        <p class="muted">Type a product name, brand or category.</p>
      )}
    </Layout>
  );
}

function SearchResults(props: { shop: Shop; q: string; result: SearchResult; popular: CategoryView[] }) {
  const { listing, sort, filters, corrected } = props.result;
  const pages = Math.max(1, Math.ceil(listing.total / listing.limit));
  const base: [string, string][] = [["q", props.q]];
  const href = (page: number) => listingHref(base, "/search", sort, filters, page);
  return (
    <>
      {corrected.length && listing.total ? <p class="muted">Including results for “{corrected.map((c) => c.to).join(" ")}”.</p> : null}
      <ListingControls
        path="/search"
        base={base}
        sorts={SEARCH_SORTS}
        sort={sort}
        filters={filters}
        listing={listing}
        currency={props.shop.currency}
        locale={props.shop.locale}
      />
      {listing.items.length ? (
        <ProductGrid products={listing.items} locale={props.shop.locale} />
      ) : hasFilters(filters) ? (
        <p>Nothing matches these filters. Remove one to see more.</p>
      ) : (
        <NoResults {...props} />
      )}
      <Pager page={listing.page} pages={pages} href={href} />
    </>
  );
}

function NoResults(props: { shop: Shop; result: SearchResult; popular: CategoryView[] }) {
  return (
    <section aria-labelledby="no-results">
      <h2 id="no-results">No products found</h2>
      <p>Check the spelling, use fewer words, or browse a category.</p>
      {props.popular.length ? (
        <ul class="cats-grid">
          {props.popular.map((c) => (
            <li>
              <a href={`/c/${c.slug}`}>{c.name}</a>
            </li>
          ))}
        </ul>
      ) : null}
      {props.result.alternatives.length ? (
        <>
          <h2>Popular right now</h2>
          <ProductGrid products={props.result.alternatives} locale={props.shop.locale} headingLevel={3} />
        </>
      ) : null}
    </section>
  );
}
