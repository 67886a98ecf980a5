import type { CategoryView } from "../../domain/catalog";
import type { Listing, ListingFilters, ListingSort } from "../../domain/listing";
import { Layout, type Shop } from "../layout";
import { ListingControls, listingHref } from "../listing-filters";
import { Pager, ProductGrid } from "../product-card";

/** Sort orders a category page offers (the first is its default). */
export const CATEGORY_SORTS = ["featured", "newest", "best_selling", "price_asc", "price_desc", "name"] as const satisfies ListingSort[];
/** Sort orders search results offer (the first is their default). */
export const SEARCH_SORTS = ["relevance", "newest", "best_selling", "price_asc", "price_desc"] as const satisfies ListingSort[];

/** A category listing with sub-categories, filters with counts, sorting and pagination. */
export function CategoryPage(props: {
  shop: Shop;
  categories: CategoryView[];
  trail: CategoryView[];
  category: CategoryView;
  listing: Listing;
  sort: ListingSort;
  filters: ListingFilters;
}) {
  const { category, listing, shop } = props;
  const pages = Math.max(1, Math.ceil(listing.total / listing.limit));
  const children = props.categories.filter((c) => c.parentId === category.id);
  const path = `/c/${category.slug}`;
  const href = (page: number) => listingHref([], path, props.sort, props.filters, page);
  const canonical = `${path}${listing.page > 1 ? `?page=${listing.page}` : ""}`;
  return (
    <Layout
      shop={shop}
      title={listing.page > 1 ? `${category.name} (page ${listing.page})` : category.name}
      description={category.description || `${category.name} at ${shop.name}.`}
      path={canonical}
      categories={props.categories}
    >
      <nav class="crumbs" aria-label="Breadcrumb">
        <ol>
          <li>
            <a href="/">Home</a>
          </li>
          {props.trail.map((c) =>
            c.id === category.id ? (
              <li aria-current="page">{c.name}</li>
            ) : (
              <li>
                <a href={`/c/${c.slug}`}>{c.name}</a>
              </li>
            ),
          )}
        </ol>
      </nav>
      <h1>{category.name}</h1>
      {category.description ? <p class="muted">{category.description}</p> : null}
      {children.length ? (
        <nav aria-label={`${category.name} sub-categories`}>
          <ul class="cats-grid">
            {children.map((c) => (
              <li>
                <a href={`/c/${c.slug}`}>{c.name}</a>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      <ListingControls
        path={path}
        base={[]}
        sorts={CATEGORY_SORTS}
        sort={props.sort}
        filters={props.filters}
        listing={listing}
        currency={shop.currency}
        locale={shop.locale}
      />
      {listing.items.length ? (
        <ProductGrid products={listing.items} locale={shop.locale} />
      ) : (
        <p>Nothing matches these filters. Remove one to see more.</p>
      )}
      <Pager page={listing.page} pages={pages} href={href} />
    </Layout>
  );
}
