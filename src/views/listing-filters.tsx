import { filterParams, type Listing, type ListingFilters, type ListingSort, PRICE_BANDS } from "../domain/listing";
import { optionLabel } from "./variant-choices";

/** Shopper words for each sort order. */
export const SORT_LABELS: Record<ListingSort, string> = {
  featured: "Featured",
  relevance: "Best match",
  newest: "Newest",
  best_selling: "Best selling",
  price_asc: "Price: low to high",
  price_desc: "Price: high to low",
  name: "Name",
};

const wholeFormatters = new Map<string, Intl.NumberFormat>();

function wholeMoney(units: number, currency: string, locale: string): string {
  const key = `${locale}|${currency}`;
  let f = wholeFormatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, { style: "currency", currency, maximumFractionDigits: 0, minimumFractionDigits: 0 });
    wholeFormatters.set(key, f);
  }
  return f.format(units);
}

/** "Under $10", "$10 – $25", "$250 and up". */
export function bandLabel(band: { from: number; to: number | null }, currency: string, locale: string): string {
  if (band.from === 0 && band.to !== null) return `Under ${wholeMoney(band.to, currency, locale)}`;
  if (band.to === null) return `${wholeMoney(band.from, currency, locale)} and up`;
  return `${wholeMoney(band.from, currency, locale)} – ${wholeMoney(band.to, currency, locale)}`;
}

/** A listing URL: `base` (path with fixed parameters such as `q`), sort, filters and page. */
export function listingHref(base: [string, string][], path: string, sort: string, filters: ListingFilters, page = 1): string {
  const params = new URLSearchParams([...base, ["sort", sort], ...filterParams(filters)]);
  if (page > 1) params.set("page", String(page));
  return `${path}?${params}`;
}

function without(filters: ListingFilters, drop: { name?: string; value: string; kind: "opt" | "price" | "stock" }): ListingFilters {
  if (drop.kind === "stock") return { ...filters, inStock: false };
  if (drop.kind === "price") return { ...filters, prices: filters.prices.filter((p) => p !== drop.value) };
  const options = Object.fromEntries(
    Object.entries(filters.options)
      .map(([name, values]) => [name, name === drop.name ? values.filter((v) => v !== drop.value) : values] as const)
      .filter(([, values]) => values.length > 0),
  );
  return { ...filters, options };
}

/**
 * Filters (availability, price bands, option values, each with its count) and sorting as one GET
 * form: works without JavaScript; the listing script submits it on change.
 */
export function ListingControls(props: {
  path: string;
  base: [string, string][];
  sorts: readonly ListingSort[];
  sort: ListingSort;
  filters: ListingFilters;
  listing: Listing;
  currency: string;
  locale: string;
}) {
  const { facets } = props.listing;
  const { filters } = props;
  const chips: { label: string; href: string }[] = [];
  const href = (f: ListingFilters) => listingHref(props.base, props.path, props.sort, f);
  if (filters.inStock) chips.push({ label: "In stock", href: href(without(filters, { kind: "stock", value: "1" })) });
  for (const p of filters.prices) {
    const band = PRICE_BANDS.find((b) => b.id === p);
    if (band)
      chips.push({ label: bandLabel(band, props.currency, props.locale), href: href(without(filters, { kind: "price", value: p })) });
  }
  for (const [name, values] of Object.entries(filters.options)) {
    for (const v of values)
      chips.push({ label: `${optionLabel(name)}: ${v}`, href: href(without(filters, { kind: "opt", name, value: v })) });
  }
  const active = chips.length;
  return (
    <form class="listing-controls" method="get" action={props.path} data-listing>
      {props.base.map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <details class="filters" open={active > 0 ? true : undefined}>
        <summary>Filters{active ? ` (${active})` : ""}</summary>
        <div class="facets">
          <fieldset>
            <legend>Availability</legend>
            <label class="facet">
              <input type="checkbox" name="stock" value="1" checked={filters.inStock} />
              In stock <span class="muted">({facets.inStock.count})</span>
            </label>
          </fieldset>
          {facets.prices.length ? (
            <fieldset>
              <legend>Price</legend>
              {facets.prices.map((b) => (
                <label class="facet">
                  <input type="checkbox" name="price" value={b.value} checked={b.selected} />
                  {bandLabel(b, props.currency, props.locale)} <span class="muted">({b.count})</span>
                </label>
              ))}
            </fieldset>
          ) : null}
          {facets.options.map((o) => (
            <fieldset>
              <legend>{optionLabel(o.name)}</legend>
              {o.values.map((v) => (
                <label class="facet">
                  <input type="checkbox" name="opt" value={`${o.name}:${v.value}`} checked={v.selected} />
                  {v.value} <span class="muted">({v.count})</span>
                </label>
              ))}
            </fieldset>
          ))}
        </div>
      </details>
      <div class="toolbar">
        <p class="muted" role="status">
          {props.listing.total} {props.listing.total === 1 ? "product" : "products"}
        </p>
        <label>
          Sort by
          <select name="sort">
            {props.sorts.map((value) => (
              <option value={value} selected={value === props.sort}>
                {SORT_LABELS[value]}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Apply</button>
      </div>
      {active ? (
        <ul class="chips" aria-label="Active filters">
          {chips.map((chip) => (
            <li>
              <a href={chip.href} aria-label={`Remove filter ${chip.label}`}>
                {chip.label} <span aria-hidden="true">×</span>
              </a>
            </li>
          ))}
          <li>
            <a href={href({ options: {}, prices: [], inStock: false })}>Clear all</a>
          </li>
        </ul>
      ) : null}
    </form>
  );
}
