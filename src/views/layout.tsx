import type { Child } from "hono/jsx";
import type { CategoryView } from "../domain/catalog";
import type { Shop } from "../domain/shop";
import { type ScriptName, scriptUrl, stylesheetUrl } from "./assets";

export type { Shop };

export interface LayoutProps {
  shop: Shop;
  title: string;
  description: string;
  path: string;
  categories: CategoryView[];
  head?: Child;
  /** Progressive-enhancement scripts (same-origin, deferred). */
  scripts?: ScriptName[];
  query?: string;
  children?: Child;
}

/** The page frame: head metadata, header with search and category navigation, footer. */
export function Layout(props: LayoutProps) {
  const { shop } = props;
  const roots = props.categories.filter((c) => c.parentId === null);
  const fullTitle = props.title === shop.name ? shop.name : `${props.title} · ${shop.name}`;
  return (
    <html lang={shop.locale.split("-")[0] ?? "en"}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{fullTitle}</title>
        <meta name="description" content={props.description} />
        <link rel="canonical" href={new URL(props.path, shop.baseUrl).toString()} />
        <meta name="theme-color" content="#1c1b1a" />
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href={stylesheetUrl("store")} />
        {props.head}
        <script src={scriptUrl("store")} defer />
        {props.scripts?.map((name) => (
          <script src={scriptUrl(name)} defer />
        ))}
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="site">
          <div class="bar">
            <a class="brand" href="/">
              {shop.name}
            </a>
            <form class="search" role="search" action="/search" method="get">
              <label for="q" class="skip">
                Search products
              </label>
              <input
                id="q"
                type="search"
                name="q"
                placeholder="Search products"
                value={props.query ?? ""}
                autocomplete="off"
                role="combobox"
                aria-autocomplete="list"
                aria-expanded="false"
                aria-controls="suggestions"
                data-suggest
              />
              <div id="suggestions" class="suggestions" role="listbox" aria-label="Suggestions" hidden />
              <button type="submit">Search</button>
            </form>
            <span class="header-links">
              <a href="/account">Account</a>
              <a class="cart-link" href="/cart">
                Cart <span class="count" data-cart-count hidden />
              </a>
            </span>
          </div>
          <nav class="cats" aria-label="Categories">
            <ul>
              {roots.map((c) => (
                <li>
                  <a href={`/c/${c.slug}`}>{c.name}</a>
                </li>
              ))}
            </ul>
          </nav>
        </header>
        <main id="main">{props.children}</main>
        <footer class="site">
          <nav aria-label="Shop information">
            <ul>
              <li>
                <a href="/pages/shipping">Shipping</a>
              </li>
              <li>
                <a href="/pages/returns">Returns</a>
              </li>
              <li>
                <a href="/pages/privacy">Privacy</a>
              </li>
              <li>
                <a href="/pages/terms">Terms</a>
              </li>
              <li>
                <a href="/pages/contact">Contact</a>
              </li>
            </ul>
          </nav>
          <form class="newsletter" method="post" action="/newsletter">
            <label for="newsletter-email">Get our newsletter</label>
            <span class="newsletter-row">
              <input id="newsletter-email" type="email" name="email" required autocomplete="email" placeholder="you@example.com" />
              <button type="submit">Subscribe</button>
            </span>
          </form>
          <p>
            {shop.name} · Prices in {shop.currency}
          </p>
        </footer>
      </body>
    </html>
  );
}
