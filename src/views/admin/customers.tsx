import { RFM_SEGMENTS, type SegmentRules } from "../../domain/customer";
import { formatMoney, type Money } from "../../domain/money";
import type { Address } from "../../domain/order";
import { type AdminContext, AdminLayout, Csrf, may } from "./layout";
import { Badge, Field, StatusBadge, Table, when } from "./parts";

/** A customer as the list shows it. */
export interface CustomerSummary {
  id: string;
  email: string;
  name: string;
  ordersCount: number;
  lifetimeValue: Money;
  averageOrderValue: Money;
  firstOrderAt: string | null;
  lastOrderAt: string | null;
  segment: string | null;
}

/** A customer as the detail page shows them. */
export interface CustomerDetail extends CustomerSummary {
  phone: string | null;
  verifiedAt: string | null;
  marketingConsent: boolean;
  consentChangedAt: string | null;
  rfm: string | null;
  orders: { id: string; status: string; total: Money; refunded: Money; createdAt: string }[];
  savedAddresses: Address[];
  shippingAddresses: Address[];
  segmentHistory: { segment: string; rfm: string | null; at: string }[];
  merged: { id: string; email: string }[];
}

const segmentLabel = (s: string | null) => (s ? s.replace(/_/g, " ") : "not scored");

/** Customers with search by email or name and a segment filter. */
export function CustomersPage(props: {
  ctx: AdminContext;
  items: CustomerSummary[];
  page: number;
  hasMore: boolean;
  segments: { slug: string; name: string }[];
  query: { q?: string; segment?: string };
}) {
  const { ctx, query } = props;
  const href = (page: number) => {
    const q = new URLSearchParams();
    if (query.q) q.set("q", query.q);
    if (query.segment) q.set("segment", query.segment);
    q.set("page", String(page));
    return `/admin/customers?${q}`;
  };
  return (
    <AdminLayout ctx={ctx} title="Customers">
      <form method="get" action="/admin/customers" class="row card" role="search">
        <div class="field">
          <label for="q">Email or name</label>
          <input id="q" name="q" type="search" value={query.q ?? ""} />
        </div>
        <div class="field">
          <label for="segment">Segment</label>
          <select id="segment" name="segment">
            <option value="">Any</option>
            {props.segments.map((s) => (
              <option value={s.slug} selected={query.segment === s.slug}>
                {s.name}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">Search</button>
      </form>
      {props.items.length ? (
        <Table
          columns={[
            "Customer",
            { label: "Orders", num: true },
            { label: "Lifetime value", num: true },
            { label: "Average order", num: true, hideSm: true },
            { label: "Last order", hideSm: true },
            "Segment",
          ]}
        >
          {props.items.map((cu) => (
            <tr>
              <td class="wrap">
                <a href={`/admin/customers/${cu.id}`}>{cu.email}</a>
                {cu.name ? (
                  <>
                    <br />
                    <small class="muted">{cu.name}</small>
                  </>
                ) : null}
              </td>
              <td class="num">{cu.ordersCount}</td>
              <td class="num">{formatMoney(cu.lifetimeValue, ctx.shop.locale)}</td>
              <td class="num hide-sm">{formatMoney(cu.averageOrderValue, ctx.shop.locale)}</td>
              <td class="hide-sm">{when(cu.lastOrderAt)}</td>
              <td>
                <Badge value={segmentLabel(cu.segment)} />
              </td>
            </tr>
          ))}
        </Table>
      ) : (
        <p>No customers match.</p>
      )}
      <nav class="pager" aria-label="Pages">
        {props.page > 1 ? <a href={href(props.page - 1)}>Previous</a> : null}
        <span>Page {props.page}</span>
        {props.hasMore ? <a href={href(props.page + 1)}>Next</a> : null}
      </nav>
    </AdminLayout>
  );
}

const oneLine = (a: Address) => [a.name, a.line1, a.line2, a.city, a.region, a.postalCode, a.country].filter(Boolean).join(", ");

/** One customer: figures, consent, orders, addresses, segment history, and merging a duplicate in. */
export function CustomerPage(props: { ctx: AdminContext; customer: CustomerDetail }) {
  const { ctx, customer: cu } = props;
  const m = (x: { amount: number; currency: string }) => formatMoney(x, ctx.shop.locale);
  return (
    <AdminLayout ctx={ctx} title={cu.email}>
      <p>
        <a href="/admin/customers">← Customers</a>
      </p>
      <section class="card" aria-label="Summary">
        <dl class="kv">
          <dt>Name</dt>
          <dd>{cu.name || "—"}</dd>
          <dt>Phone</dt>
          <dd>{cu.phone ?? "—"}</dd>
          <dt>Orders</dt>
          <dd>{cu.ordersCount}</dd>
          <dt>Lifetime value</dt>
          <dd>{m(cu.lifetimeValue)}</dd>
          <dt>Average order</dt>
          <dd>{m(cu.averageOrderValue)}</dd>
          <dt>First / last order</dt>
          <dd>
            {when(cu.firstOrderAt)} / {when(cu.lastOrderAt)}
          </dd>
          <dt>Segment</dt>
          <dd>
            <Badge value={segmentLabel(cu.segment)} /> {cu.rfm ? <small class="muted">RFM {cu.rfm}</small> : null}
          </dd>
          <dt>Marketing email</dt>
          <dd>
            {cu.marketingConsent ? <Badge value="consented" tone="ok" /> : <Badge value="no consent" />}{" "}
            {cu.consentChangedAt ? <small class="muted">since {when(cu.consentChangedAt)}</small> : null}
          </dd>
          <dt>Email verified</dt>
          <dd>{cu.verifiedAt ? when(cu.verifiedAt) : "not yet (never signed in)"}</dd>
        </dl>
      </section>
      <h2>Orders</h2>
      {cu.orders.length ? (
        <Table columns={["Order", "Status", { label: "Total", num: true }, { label: "Placed", hideSm: true }]}>
          {cu.orders.map((o) => (
            <tr>
              <td class="wrap">
                <a href={`/admin/orders/${o.id}`}>{o.id}</a>
              </td>
              <td>
                <StatusBadge value={o.status} />
              </td>
              <td class="num">
                {m(o.total)}
                {o.refunded.amount ? (
                  <>
                    <br />
                    <small class="muted">−{m(o.refunded)} refunded</small>
                  </>
                ) : null}
              </td>
              <td class="hide-sm">{when(o.createdAt)}</td>
            </tr>
          ))}
        </Table>
      ) : (
        <p>No orders.</p>
      )}
      <h2>Addresses</h2>
      {cu.savedAddresses.length || cu.shippingAddresses.length ? (
        <ul>
          {cu.savedAddresses.map((a) => (
            <li class="wrap">
              {oneLine(a)} <small class="muted">(saved by the customer)</small>
            </li>
          ))}
          {cu.shippingAddresses.map((a) => (
            <li class="wrap">{oneLine(a)}</li>
          ))}
        </ul>
      ) : (
        <p>No addresses.</p>
      )}
      <h2>Segment history</h2>
      {cu.segmentHistory.length ? (
        <ul>
          {cu.segmentHistory.map((h) => (
            <li>
              {segmentLabel(h.segment)} {h.rfm ? <small class="muted">RFM {h.rfm}</small> : null} — {when(h.at)}
            </li>
          ))}
        </ul>
      ) : (
        <p>Not scored yet: the nightly job scores customers.</p>
      )}
      {cu.merged.length ? (
        <>
          <h2>Merged records</h2>
          <ul>
            {cu.merged.map((x) => (
              <li class="wrap">{x.email}</li>
            ))}
          </ul>
        </>
      ) : null}
      {may(ctx, "customers:write") ? (
        <form method="post" action={`/admin/customers/${cu.id}/merge`} class="card">
          <h2>Merge a duplicate into this customer</h2>
          <p class="muted">
            Its orders, saved addresses and consent move here and its figures add up. Its email then finds this customer. This cannot be
            undone.
          </p>
          <Csrf ctx={ctx} />
          <Field label="The duplicate's email or id" for="merge-from">
            <input id="merge-from" name="from" required maxlength={254} />
          </Field>
          <button type="submit" class="danger">
            Merge into this customer
          </button>
        </form>
      ) : null}
    </AdminLayout>
  );
}

const describeRules = (r: SegmentRules, locale: string, currency: string) =>
  [
    r.minSpent !== undefined ? `spent ≥ ${formatMoney({ amount: r.minSpent, currency }, locale)}` : "",
    r.minOrders !== undefined ? `orders ≥ ${r.minOrders}` : "",
    r.lastOrderAfter ? `last order on or after ${r.lastOrderAfter}` : "",
    r.lastOrderBefore ? `last order before ${r.lastOrderBefore}` : "",
    r.consent !== undefined ? (r.consent ? "consented to marketing" : "no marketing consent") : "",
    r.rfmSegments?.length ? `scored ${r.rfmSegments.map(segmentLabel).join(" or ")}` : "",
  ]
    .filter(Boolean)
    .join("; ") || "everyone";

/** Segments with their sizes; staff define new ones by rules. */
export function SegmentsPage(props: {
  ctx: AdminContext;
  items: { slug: string; name: string; kind: "scored" | "rules"; rules: SegmentRules | null; customers: number }[];
}) {
  const { ctx } = props;
  return (
    <AdminLayout ctx={ctx} title="Segments">
      <p class="muted">Scored segments are assigned nightly from recency, frequency and money; rule segments are evaluated when listed.</p>
      <Table columns={["Segment", "Rules", { label: "Customers", num: true }, { label: "Actions", hidden: true }]}>
        {props.items.map((s) => (
          <tr>
            <td class="wrap">
              <a href={`/admin/customers?segment=${encodeURIComponent(s.slug)}`}>{s.name}</a>
            </td>
            <td class="wrap">
              {s.rules ? describeRules(s.rules, ctx.shop.locale, ctx.shop.currency) : <span class="muted">scored nightly</span>}
            </td>
            <td class="num">{s.customers}</td>
            <td>
              {may(ctx, "customers:write") ? (
                <form method="post" action={`/admin/segments/${s.slug}/export`} class="inline">
                  <Csrf ctx={ctx} />
                  <button type="submit" class="secondary">
                    Export CSV<span class="skip"> of {s.name}</span>
                  </button>
                </form>
              ) : null}
              {s.kind === "rules" && may(ctx, "customers:write") ? (
                <form method="post" action={`/admin/segments/${s.slug}/delete`} class="inline">
                  <Csrf ctx={ctx} />
                  <button type="submit" class="danger">
                    Remove<span class="skip"> {s.name}</span>
                  </button>
                </form>
              ) : null}
            </td>
          </tr>
        ))}
      </Table>
      {may(ctx, "customers:write") ? (
        <form method="post" action="/admin/segments" class="card">
          <h2>New segment</h2>
          <Csrf ctx={ctx} />
          <Field label="Name" for="seg-name">
            <input id="seg-name" name="name" required maxlength={80} />
          </Field>
          <Field label="Short name (in links)" for="seg-slug" hint="Lowercase letters, digits, - and _.">
            <input id="seg-slug" name="slug" required maxlength={40} pattern="[a-z0-9][a-z0-9_\-]*" aria-describedby="seg-slug-hint" />
          </Field>
          <Field label={`Spent at least (${ctx.shop.currency})`} for="seg-spent">
            <input id="seg-spent" name="minSpent" inputmode="decimal" />
          </Field>
          <Field label="Orders at least" for="seg-orders">
            <input id="seg-orders" name="minOrders" type="number" min={0} />
          </Field>
          <Field label="Last order on or after" for="seg-after">
            <input id="seg-after" name="lastOrderAfter" type="date" />
          </Field>
          <Field label="Last order before" for="seg-before">
            <input id="seg-before" name="lastOrderBefore" type="date" />
          </Field>
          <Field label="Marketing consent" for="seg-consent">
            <select id="seg-consent" name="consent">
              <option value="">Any</option>
              <option value="yes">Consented</option>
              <option value="no">Not consented</option>
            </select>
          </Field>
          <fieldset>
            <legend>Scored segments (any of)</legend>
            {RFM_SEGMENTS.map((r) => (
              <label class="check">
                <input type="checkbox" name="rfmSegments" value={r} /> {segmentLabel(r)}
              </label>
            ))}
          </fieldset>
          <button type="submit">Create segment</button>
        </form>
      ) : null}
    </AdminLayout>
  );
}
