import type { CategoryView, ProductPage, ProductSort } from "../../domain/catalog";
import { Layout, type Shop } from "../layout";
import { Pager, ProductGrid } from "../product-card";

export const SORT_LABELS: Record<Exclude<ProductSort, "relevance">, string> = {
  newest: "Newest",
  price_asc: "Price: low to high",
  price_desc: "Price: high to low",
  name: "Name",
};

/** A category listing with sub-categories, sorting and pagination. */
export function CategoryPage(props: {
  shop: Shop;
  categories: CategoryView[];
  trail: CategoryView[];
  category: CategoryView;
  listing: ProductPage;
  sort: ProductSort;
}) {
  const { category, listing } = props;
  const pages = Math.max(1, Math.ceil(listing.total / listing.limit));
  const children = props.categories.filter((c) => c.parentId === category.id);
  const href = (page: number) => `/c/${category.slug}?sort=${props.sort}${page > 1 ? `&page=${page}` : ""}`;
  const path = `/c/${category.slug}${listing.page > 1 ? `?page=${listing.page}` : ""}`;
  return (
    <Layout
      shop={props.shop}
      title={listing.page > 1 ? `${category.name} (page ${listing.page})` : category.name}
      description={category.description || `${category.name} at ${props.shop.name}.`}
      path={path}
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
      <form class="toolbar" method="get" action={`/c/${category.slug}`}>
        <p class="muted">
          {listing.total} {listing.total === 1 ? "product" : "products"}
        </p>
        <label>
          Sort by
          <select name="sort">
            {Object.entries(SORT_LABELS).map(([value, label]) => (
              <option value={value} selected={value === props.sort}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Apply</button>
      </form>
      <ProductGrid products={listing.items} locale={props.shop.locale} />
      <Pager page={listing.page} pages={pages} href={href} />
    </Layout>
  );
}
