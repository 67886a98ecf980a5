import type { CategoryView } from "../../domain/catalog";
import { type LoyaltySettings, type PointsAccount, valueOfPoints } from "../../domain/loyalty";
import { currencyExponent, formatMoney, type Money } from "../../domain/money";
import type { Address } from "../../domain/order";
import { AddressLines } from "../address";
import { Layout, type Shop } from "../layout";
import { STATUS_TEXT } from "./order";

type Errors = Record<string, string>;

/** What the account page shows. */
export interface AccountView {
  profile: { email: string; name: string; phone: string | null; marketingConsent: boolean };
  orders: { id: string; status: string; total: Money; refunded: Money; createdAt: string; url: string }[];
  addresses: { id: number; address: Address }[];
}

function FieldError(props: { name: string; errors: Errors }) {
  const message = props.errors[props.name];
  return message ? (
    <span class="error" id={`${props.name}-error`}>
      {message}
    </span>
  ) : null;
}

const describedBy = (name: string, errors: Errors) => (errors[name] ? `${name}-error` : undefined);

/** The sign-in page: an email field, or the "check your email" answer once a link was asked for. */
export function AccountLoginPage(props: {
  shop: Shop;
  categories: CategoryView[];
  sent?: boolean;
  email?: string;
  error?: string;
  notice?: string;
}) {
  const errors: Errors = props.error ? { email: props.error } : {};
  return (
    <Layout
      shop={props.shop}
      title="Sign in"
      description={`Sign in to your ${props.shop.name} account.`}
      path="/account/login"
      categories={props.categories}
    >
      <section class="account narrow">
        <h1>Sign in</h1>
        {props.notice ? (
          <p class="notice ok" role="status">
            {props.notice}
          </p>
        ) : null}
        {props.sent ? (
          <div role="status">
            <p>
              <strong>Check your email.</strong> If {props.email ? <span class="break">{props.email}</span> : "that address"} can receive
              mail, a sign-in link is on its way. It works once, for 15 minutes.
            </p>
            <p>
              Nothing arrived? Check your spam folder, or <a href="/account/login">ask for another link</a>.
            </p>
          </div>
        ) : (
          <form method="post" action="/account/login" class="form-col" novalidate>
            <p>We email you a link to sign in: no password to remember. Your orders, addresses and details are in your account.</p>
            <p class="field">
              <label for="email">Email</label>
              <input
                id="email"
                name="email"
                type="email"
                autocomplete="email"
                required
                value={props.email ?? ""}
                aria-invalid={errors.email ? "true" : undefined}
                aria-describedby={describedBy("email", errors)}
              />
              <FieldError name="email" errors={errors} />
            </p>
            <button type="submit">Email me a sign-in link</button>
          </form>
        )}
      </section>
    </Layout>
  );
}

const ADDRESS_FIELDS: { name: keyof Address; label: string; autocomplete: string; required?: boolean; type?: string }[] = [
  { name: "name", label: "Full name", autocomplete: "name", required: true },
  { name: "line1", label: "Address", autocomplete: "address-line1", required: true },
  { name: "line2", label: "Apartment, suite (optional)", autocomplete: "address-line2" },
  { name: "city", label: "City", autocomplete: "address-level2", required: true },
  { name: "region", label: "State, province or region", autocomplete: "address-level1" },
  { name: "postalCode", label: "Postal code", autocomplete: "postal-code", required: true },
  { name: "phone", label: "Phone (optional)", autocomplete: "tel", type: "tel" },
];

function AddressText(props: { address: Address; countries: Map<string, string> }) {
  return (
    <address>
      <AddressLines address={props.address} countryName={(code) => props.countries.get(code)} />
    </address>
  );
}

const POINT_ENTRY_TEXT: Record<string, string> = {
  earn: "Earned (pending)",
  confirm: "Ready to spend",
  reverse: "Taken back (refund)",
  redeem: "Spent",
  restore: "Given back",
  expire: "Expired",
  grant: "Given by the shop",
};

/** The shopper's points: what they can spend and what it is worth, what is pending, and the history. */
function Points(props: { shop: Shop; rules: LoyaltySettings; account: PointsAccount; date: (iso: string) => string }) {
  const { shop, rules, account } = props;
  const worth = formatMoney(
    { amount: valueOfPoints(Math.floor(account.available / rules.redeemStep) * rules.redeemStep, rules), currency: shop.currency },
    shop.locale,
  );
  return (
    <section aria-labelledby="points-h">
      <h2 id="points-h">Points</h2>
      <p>
        <strong>{account.available}</strong> points to spend (worth {worth} at checkout
        {account.nextExpiry ? `; the oldest expire on ${props.date(new Date(account.nextExpiry).toISOString())}` : ""}).
        {account.pending ? ` ${account.pending} more become spendable once their orders' return window has closed.` : ""}
      </p>
      <p class="muted">
        You earn {rules.earnPerUnit} point{rules.earnPerUnit === 1 ? "" : "s"} per{" "}
        {formatMoney({ amount: 10 ** currencyExponent(shop.currency), currency: shop.currency }, shop.locale)} spent; {rules.redeemStep}{" "}
        points take {formatMoney({ amount: rules.stepValue, currency: shop.currency }, shop.locale)} off.
      </p>
      {account.entries.length ? (
        <div class="table-scroll" tabindex={0} role="region" aria-label="Points history">
          <table class="lines">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">What</th>
                <th scope="col">Points</th>
                <th scope="col">Order</th>
              </tr>
            </thead>
            <tbody>
              {account.entries.map((e) => (
                <tr>
                  <td>{props.date(new Date(e.at).toISOString())}</td>
                  <td>{POINT_ENTRY_TEXT[e.kind] ?? e.kind}</td>
                  <td>{e.points > 0 ? `+${e.points}` : String(e.points)}</td>
                  <td>{e.orderId ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

/** The shopper's account: orders, saved addresses, profile and consent, data export and deletion. */
export function AccountPage(props: {
  shop: Shop;
  categories: CategoryView[];
  account: AccountView;
  csrf: string;
  countries: { code: string; name: string }[];
  notice?: string;
  errors?: Errors;
  values?: Record<string, string>;
  /** Loyalty points, when the shop has them. */
  points?: { rules: LoyaltySettings; account: PointsAccount } | null;
}) {
  const { shop, account } = props;
  const errors = props.errors ?? {};
  const values = props.values ?? {};
  const countryNames = new Map(props.countries.map((c) => [c.code, c.name]));
  const date = (iso: string) => new Intl.DateTimeFormat(shop.locale, { dateStyle: "medium", timeZone: "UTC" }).format(new Date(iso));
  const csrf = <input type="hidden" name="_csrf" value={props.csrf} />;
  return (
    <Layout shop={shop} title="Your account" description={`Your ${shop.name} account.`} path="/account" categories={props.categories}>
      <section class="account">
        <div class="account-head">
          <h1>Your account</h1>
          <form method="post" action="/account/logout">
            {csrf}
            <button type="submit" class="secondary">
              Sign out
            </button>
          </form>
        </div>
        <p class="break">Signed in as {account.profile.email}</p>
        {props.notice ? (
          <p class="notice ok" role="status">
            {props.notice}
          </p>
        ) : null}

        <h2>Orders</h2>
        {account.orders.length ? (
          <div class="table-scroll" tabindex={0} role="region" aria-label="Your orders">
            <table class="lines">
              <thead>
                <tr>
                  <th scope="col">Order</th>
                  <th scope="col">Placed</th>
                  <th scope="col">Status</th>
                  <th scope="col">Total</th>
                </tr>
              </thead>
              <tbody>
                {account.orders.map((o) => (
                  <tr>
                    <td>
                      <a href={o.url}>{o.id}</a>
                    </td>
                    <td>{date(o.createdAt)}</td>
                    <td>{STATUS_TEXT[o.status] ?? o.status}</td>
                    <td>
                      {formatMoney(o.total, shop.locale)}
                      {o.refunded.amount ? <span class="muted"> ({formatMoney(o.refunded, shop.locale)} refunded)</span> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p>
            No orders yet. <a href="/">Start shopping</a>.
          </p>
        )}
        <p class="muted">Open an order to see its shipments or to return items.</p>
        {props.points ? <Points shop={shop} rules={props.points.rules} account={props.points.account} date={date} /> : null}

        <h2>Addresses</h2>
        {account.addresses.length ? (
          <ul class="address-list">
            {account.addresses.map((a) => (
              <li>
                <AddressText address={a.address} countries={countryNames} />
                <form method="post" action={`/account/addresses/${a.id}/delete`}>
                  {csrf}
                  <button type="submit" class="link">
                    Remove<span class="skip"> the address of {a.address.name}</span>
                  </button>
                </form>
              </li>
            ))}
          </ul>
        ) : (
          <p>No saved addresses. Checkout saves the address you ship to.</p>
        )}
        <details open={Object.keys(errors).some((k) => k !== "profile") ? true : undefined}>
          <summary>Add an address</summary>
          <form method="post" action="/account/addresses" class="form-col narrow" novalidate>
            {csrf}
            {ADDRESS_FIELDS.slice(0, 6).map((f) => (
              <p class="field">
                <label for={`address-${f.name}`}>{f.label}</label>
                <input
                  id={`address-${f.name}`}
                  name={f.name}
                  type={f.type ?? "text"}
                  autocomplete={f.autocomplete}
                  required={f.required}
                  value={values[f.name] ?? ""}
                  aria-invalid={errors[f.name] ? "true" : undefined}
                  aria-describedby={describedBy(f.name, errors)}
                />
                <FieldError name={f.name} errors={errors} />
              </p>
            ))}
            <p class="field">
              <label for="address-country">Country</label>
              <select id="address-country" name="country" autocomplete="country" aria-describedby={describedBy("country", errors)}>
                {props.countries.map((c) => (
                  <option value={c.code} selected={c.code === (values.country ?? "US")}>
                    {c.name}
                  </option>
                ))}
              </select>
              <FieldError name="country" errors={errors} />
            </p>
            <p class="field">
              <label for="address-phone">Phone (optional)</label>
              <input id="address-phone" name="phone" type="tel" autocomplete="tel" value={values.phone ?? ""} />
            </p>
            <button type="submit">Save address</button>
          </form>
        </details>

        <h2>Details</h2>
        <form method="post" action="/account/profile" class="form-col narrow">
          {csrf}
          <p class="field">
            <label for="profile-name">Name</label>
            <input id="profile-name" name="name" autocomplete="name" maxlength={200} value={account.profile.name} />
          </p>
          <p class="field">
            <label for="profile-phone">Phone</label>
            <input id="profile-phone" name="phone" type="tel" autocomplete="tel" maxlength={40} value={account.profile.phone ?? ""} />
          </p>
          <p>
            <label>
              <input type="checkbox" name="marketingConsent" value="yes" checked={account.profile.marketingConsent} /> Email me news and
              offers (unsubscribe any time)
            </label>
          </p>
          {errors.profile ? <p class="error">{errors.profile}</p> : null}
          <button type="submit">Save details</button>
        </form>

        <h2>Your data</h2>
        <p>
          <a href="/account/export" download="account.json">
            Download my data
          </a>{" "}
          (JSON: details, addresses, orders).
        </p>
        <details>
          <summary>Delete my account</summary>
          <form method="post" action="/account/delete" class="form-col narrow">
            {csrf}
            <p>
              This signs you out and removes your details and addresses. Orders stay in our books without your name, email or street
              address. It cannot be undone.
            </p>
            <p>
              <label>
                <input type="checkbox" name="confirm" value="yes" required /> Yes, delete my account
              </label>
            </p>
            {errors.confirm ? <p class="error">{errors.confirm}</p> : null}
            <button type="submit" class="danger">
              Delete my account
            </button>
          </form>
        </details>
      </section>
    </Layout>
  );
}
