import type { CategoryView, ProductSummary } from "../../domain/catalog";
import { Layout, type Shop } from "../layout";
import { ProductGrid } from "../product-card";

/** The home page: featured products and the top-level categories. */
export function HomePage(props: { shop: Shop; categories: CategoryView[]; featured: ProductSummary[] }) {
  const roots = props.categories.filter((c) => c.parentId === null);
  return (
    <Layout
      shop={props.shop}
      title={props.shop.name}
      description={`Shop ${roots.map((c) => c.name).join(", ")} at ${props.shop.name}.`}
      path="/"
      categories={props.categories}
    >
      <h1>{props.shop.name}</h1>
      <section aria-labelledby="featured">
        <h2 id="featured">Featured</h2>
        <ProductGrid products={props.featured} locale={props.shop.locale} headingLevel={3} />
      </section>
      <section aria-labelledby="browse">
        <h2 id="browse">Shop by category</h2>
        <ul class="cats-grid">
          {roots.map((c) => (
            <li>
              <a href={`/c/${c.slug}`}>
                <strong>{c.name}</strong>
                <div class="muted">{c.description}</div>
              </a>
            </li>
          ))}
        </ul>
      </section>
    </Layout>
  );
}
