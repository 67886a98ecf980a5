import type { CartView } from "../../domain/cart";
import type { CategoryView } from "../../domain/catalog";
import { formatMoney, type Money } from "../../domain/money";
import { TURNSTILE_SCRIPT } from "../../domain/turnstile";
import { Layout, type Shop } from "../layout";

export type CheckoutFields = Record<string, string>;

/** A quote as the page shows it (money objects, as the quote API answers). */
export interface CheckoutQuote {
  subtotal: Money;
  discount: Money;
  shipping: Money;
  tax: Money;
  total: Money;
  taxIncluded: boolean;
  taxName: string | null;
  shippingMethod: string | null;
  shippingMethods: { id: string; name: string; amount: Money; minDays: number | null; maxDays: number | null }[];
}

const FIELDS: { name: string; label: string; autocomplete: string; required?: boolean; type?: string; list?: string }[] = [
  { name: "email", label: "Email", autocomplete: "email", required: true, type: "email" },
  { name: "name", label: "Full name", autocomplete: "name", required: true },
  { name: "line1", label: "Address", autocomplete: "address-line1", required: true },
  { name: "line2", label: "Apartment, suite (optional)", autocomplete: "address-line2" },
  { name: "city", label: "City", autocomplete: "address-level2", required: true },
  { name: "region", label: "State, province or region", autocomplete: "address-level1", list: "regions" },
  { name: "postalCode", label: "Postal code", autocomplete: "postal-code", required: true },
  { name: "phone", label: "Phone (optional)", autocomplete: "tel", type: "tel" },
];

function days(m: { minDays: number | null; maxDays: number | null }): string {
  if (m.minDays === null || m.maxDays === null) return "";
  return m.minDays === m.maxDays ? `${m.minDays} business days` : `${m.minDays}–${m.maxDays} business days`;
}

type FieldSpec = (typeof FIELDS)[number];

/** One labelled input with its error beside it. */
function Field(props: { f: FieldSpec; values: CheckoutFields; errors: Record<string, string> }) {
  const { f, values, errors } = props;
  return (
    <p class="field">
      <label for={f.name}>{f.label}</label>
      <input
        id={f.name}
        name={f.name}
        type={f.type ?? "text"}
        autocomplete={f.autocomplete}
        value={values[f.name] ?? ""}
        required={f.required}
        list={f.list}
        aria-invalid={errors[f.name] ? "true" : undefined}
        aria-describedby={errors[f.name] ? `${f.name}-error` : undefined}
      />
      {errors[f.name] ? (
        <span class="error" id={`${f.name}-error`}>
          {errors[f.name]}
        </span>
      ) : null}
    </p>
  );
}

/** What typed gift cards would pay: each card's part of the total (its balance kept for the script), and what is left. */
export interface GiftCardPreview {
  cards: { last4: string; balance: number; amount: number }[];
  due: number;
}

/** The order summary with totals; the enhancement script refreshes the parts with ids. */
function Summary(props: { shop: Shop; cart: CartView; quote: CheckoutQuote | null; quoteError?: string; gifts?: GiftCardPreview | null }) {
  const { shop, cart, quote, gifts } = props;
  const m = (x: Money) => formatMoney(x, shop.locale);
  return (
    <section aria-labelledby="summary" class="summary">
      <h2 id="summary">Order summary</h2>
      <ul class="summary-lines">
        {cart.lines.map((l) => (
          <li>
            {l.quantity} × {l.title} <span class="muted">({l.variantTitle})</span> <span class="amount">{m(l.lineTotal)}</span>
          </li>
        ))}
      </ul>
      <dl class="totals" aria-live="polite">
        <dt>Subtotal</dt>
        <dd id="total-subtotal">{m(quote?.subtotal ?? cart.subtotal)}</dd>
        <dt class={quote?.discount.amount ? undefined : "hidden"} id="label-discount">
          Discount
        </dt>
        <dd class={quote?.discount.amount ? undefined : "hidden"} id="total-discount">
          −{quote ? m(quote.discount) : ""}
        </dd>
        <dt>Shipping</dt>
        <dd id="total-shipping">{quote ? m(quote.shipping) : "—"}</dd>
        <dt id="label-tax">{quote ? (quote.taxIncluded ? `incl. ${quote.taxName ?? "tax"}` : (quote.taxName ?? "Tax")) : "Tax"}</dt>
        <dd id="total-tax">{quote ? m(quote.tax) : "—"}</dd>
        <dt>
          <strong>Total</strong>
        </dt>
        <dd>
          <strong id="total-total">{quote ? m(quote.total) : "—"}</strong>
        </dd>
        {quote && gifts?.cards.length ? (
          <>
            {gifts.cards.map((g) => (
              <>
                <dt>Gift card ending {g.last4}</dt>
                <dd data-gift-balance={String(g.balance)}>−{m({ amount: g.amount, currency: quote.total.currency })}</dd>
              </>
            ))}
            <dt>
              <strong>To pay by card</strong>
            </dt>
            <dd>
              <strong id="total-due">{m({ amount: gifts.due, currency: quote.total.currency })}</strong>
            </dd>
          </>
        ) : null}
      </dl>
      <p class="error" id="quote-error" role="status">
        {props.quoteError ?? ""}
      </p>
    </section>
  );
}

/** The checkout form: address, shipping method and the totals before the order is placed. Works without JavaScript. */
export function CheckoutPage(props: {
  shop: Shop;
  categories: CategoryView[];
  cart: CartView;
  countries: { code: string; name: string }[];
  regions: { code: string; name: string }[];
  values: CheckoutFields;
  errors: Record<string, string>;
  csrf: string;
  idempotencyKey: string;
  quote: CheckoutQuote | null;
  quoteError?: string;
  /** What the typed gift card codes would pay, once applied. */
  giftCards?: GiftCardPreview | null;
  /** Points the signed-in shopper may spend (whole steps), when the shop has points. */
  points?: { choices: number[]; rules: { redeemStep: number; stepValue: number } } | null;
  /** Set when Turnstile guards the order button. */
  turnstileSiteKey?: string;
}) {
  const { shop, cart, values, errors, quote } = props;
  const chosen = values.shippingMethod || quote?.shippingMethod || "";
  return (
    <Layout
      shop={shop}
      title="Checkout"
      description={`Checkout at ${shop.name}.`}
      path="/checkout"
      categories={props.categories}
      head={
        <>
          <meta name="robots" content="noindex" />
          {props.turnstileSiteKey ? <script src={TURNSTILE_SCRIPT} async defer /> : null}
        </>
      }
      scripts={["checkout"]}
    >
      <h1>Checkout</h1>
      {Object.keys(errors).length ? (
        <p class="notice" role="alert">
          Please correct the highlighted fields.
        </p>
      ) : null}
      <form method="post" action="/checkout" class="checkout" novalidate data-cart={cart.id}>
        <input type="hidden" name="_csrf" value={props.csrf} />
        <input type="hidden" name="idempotencyKey" value={props.idempotencyKey} />
        <div class="checkout-grid">
          <div>
            <h2>Shipping address</h2>
            {FIELDS.slice(0, 5).map((f) => (
              <Field f={f} values={values} errors={errors} />
            ))}
            <p class="field">
              <label for="country">Country</label>
              <select
                id="country"
                name="country"
                autocomplete="country"
                aria-invalid={errors.country ? "true" : undefined}
                aria-describedby={errors.country ? "country-error" : undefined}
              >
                {props.countries.map((c) => (
                  <option value={c.code} selected={c.code === values.country}>
                    {c.name}
                  </option>
                ))}
              </select>
              {errors.country ? (
                <span class="error" id="country-error">
                  {errors.country}
                </span>
              ) : null}
            </p>
            {FIELDS.slice(5).map((f) => (
              <Field f={f} values={values} errors={errors} />
            ))}
            <datalist id="regions">
              {props.regions.map((r) => (
                <option value={r.code}>{r.name}</option>
              ))}
            </datalist>
            <fieldset id="methods" aria-describedby={errors.shippingMethod ? "shippingMethod-error" : undefined}>
              <legend>Shipping method</legend>
              {quote?.shippingMethods.length ? (
                quote.shippingMethods.map((m) => (
                  <label class="variant">
                    <input type="radio" name="shippingMethod" value={m.id} checked={m.id === chosen} />
                    <span>
                      {m.name} — {m.amount.amount === 0 ? "Free" : formatMoney(m.amount, shop.locale)}
                      {days(m) ? <span class="muted"> · {days(m)}</span> : null}
                    </span>
                  </label>
                ))
              ) : (
                <p class="muted">Enter your address to see shipping options.</p>
              )}
              {errors.shippingMethod ? (
                <span class="error" id="shippingMethod-error">
                  {errors.shippingMethod}
                </span>
              ) : null}
            </fieldset>
            <p>
              <button type="submit" name="action" value="quote" class="secondary" formnovalidate>
                Update totals
              </button>
            </p>
          </div>
          <div>
            <Summary shop={shop} cart={cart} quote={quote} quoteError={props.quoteError} gifts={props.giftCards} />
            {props.points ? (
              <p class="field gift-card">
                <label for="loyaltyPoints">Spend points</label>
                <select
                  id="loyaltyPoints"
                  name="loyaltyPoints"
                  aria-invalid={errors.loyaltyPoints ? "true" : undefined}
                  aria-describedby={errors.loyaltyPoints ? "loyaltyPoints-error" : undefined}
                >
                  <option value="0">None</option>
                  {props.points.choices.map((p) => (
                    <option value={String(p)} selected={values.loyaltyPoints === String(p)}>
                      {p} points: −
                      {formatMoney(
                        {
                          amount: (p / (props.points?.rules.redeemStep ?? 1)) * (props.points?.rules.stepValue ?? 0),
                          currency: cart.currency,
                        },
                        shop.locale,
                      )}
                    </option>
                  ))}
                </select>
                {errors.loyaltyPoints ? (
                  <span class="error" id="loyaltyPoints-error">
                    {errors.loyaltyPoints}
                  </span>
                ) : null}
              </p>
            ) : null}
            <p class="field gift-card">
              <label for="giftCards">Gift card code (optional)</label>
              <span class="inline-form">
                <input
                  id="giftCards"
                  name="giftCards"
                  autocomplete="off"
                  autocapitalize="characters"
                  spellcheck={false}
                  value={values.giftCards ?? ""}
                  aria-invalid={errors.giftCards ? "true" : undefined}
                  aria-describedby={errors.giftCards ? "giftCards-hint giftCards-error" : "giftCards-hint"}
                />
                <button type="submit" name="action" value="gift" class="secondary" formnovalidate>
                  Apply
                </button>
              </span>
              <span class="muted" id="giftCards-hint">
                Several? Separate them with commas.
              </span>
              {errors.giftCards ? (
                <span class="error" id="giftCards-error">
                  {errors.giftCards}
                </span>
              ) : null}
            </p>
            {props.turnstileSiteKey ? <div class="cf-turnstile" data-sitekey={props.turnstileSiteKey} /> : null}
            {errors.turnstile ? (
              <p class="error" role="alert">
                {errors.turnstile}
              </p>
            ) : null}
            <button type="submit" name="action" value="place" class="add">
              Place order and pay
            </button>
            <p class="muted">
              {quote && props.giftCards?.cards.length && props.giftCards.due === 0
                ? "Your gift cards cover the whole order: it is paid as soon as you place it."
                : "You pay on the next page; your items are held for you while you do."}
            </p>
          </div>
        </div>
      </form>
    </Layout>
  );
}
