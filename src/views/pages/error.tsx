import type { CategoryView } from "../../domain/catalog";
import { Layout, type Shop } from "../layout";

const MAX_CATEGORIES = 8;

const HEADINGS: Record<number, string> = {
  400: "That didn't work",
  403: "That isn't allowed",
  404: "We can't find that page",
  409: "That didn't work",
  413: "That was too much to send",
  429: "Too many requests",
};

/** What a missing page most likely was, in the shopper's words (never the internal name of what was looked up). */
function missingText(path: string): string {
  if (path.startsWith("/p/")) return "This product isn't in the shop any more, or the link has a typo.";
  if (path.startsWith("/c/")) return "This category isn't in the shop any more, or the link has a typo.";
  if (path.startsWith("/orders/")) return "We can't open this order from this link. Use the link in your order confirmation email.";
  return "The page may have moved, or the link has a typo.";
}

/**
 * The page a shopper sees when something fails: what happened in plain words, a search box and the
 * main categories. A server error shows only the request id, labelled for support.
 */
export function ShopperErrorPage(props: {
  shop: Shop;
  categories: CategoryView[];
  status: number;
  path: string;
  /** A sentence for the shopper (4xx other than 404). */
  detail?: string;
  /** Shown for server errors, so support can find the failure. */
  requestId?: string;
}) {
  const { status } = props;
  const server = status >= 500;
  const title = status === 404 ? "Page not found" : server ? "Something went wrong" : (HEADINGS[status] ?? "That didn't work");
  const heading = server ? "Something went wrong on our side" : (HEADINGS[status] ?? "That didn't work");
  const lead =
    status === 404
      ? missingText(props.path)
      : server
        ? "We couldn't finish that just now. Nothing you did caused it; please try again in a moment."
        : (props.detail ?? "Please go back and try again.");
  const popular = props.categories
    .filter((c) => c.parentId === null)
    .sort((a, b) => b.productCount - a.productCount || a.position - b.position || a.name.localeCompare(b.name))
    .slice(0, MAX_CATEGORIES);
  return (
    <Layout
      shop={props.shop}
      title={title}
      description={heading}
      path={props.path}
      categories={props.categories}
      head={<meta name="robots" content="noindex" />}
    >
      <div class="error-page">
        <h1>{heading}</h1>
        <p>{lead}</p>
        {server && props.requestId ? (
          <p class="muted">
            If it keeps happening, contact us and quote this reference: <code class="ref">{props.requestId}</code>
          </p>
        ) : null}
        <form class="error-search" role="search" aria-label="Search the shop" action="/search" method="get">
          <label for="error-q">Search for a product</label>
          <div class="error-search-row">
            <input id="error-q" type="search" name="q" />
            <button type="submit">Search</button>
          </div>
        </form>
        {popular.length ? (
          <section aria-labelledby="error-categories">
            <h2 id="error-categories">Popular categories</h2>
            <ul class="cats-grid">
              {popular.map((c) => (
                <li>
                  <a href={`/c/${c.slug}`}>{c.name}</a>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        <p>
          <a href="/">Go to the home page</a>
        </p>
      </div>
    </Layout>
  );
}
