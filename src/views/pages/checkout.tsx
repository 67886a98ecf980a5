import type { CartView } from "../../domain/cart";
import type { CategoryView } from "../../domain/catalog";
import { formatMoney } from "../../domain/money";
import { Layout, type Shop } from "../layout";

export type CheckoutFields = Record<string, string>;

const FIELDS: { name: string; label: string; autocomplete: string; required?: boolean; type?: string }[] = [
  { name: "email", label: "Email", autocomplete: "email", required: true, type: "email" },
  { name: "name", label: "Full name", autocomplete: "name", required: true },
  { name: "line1", label: "Address", autocomplete: "address-line1", required: true },
  { name: "line2", label: "Apartment, suite (optional)", autocomplete: "address-line2" },
  { name: "city", label: "City", autocomplete: "address-level2", required: true },
  { name: "region", label: "State or region (optional)", autocomplete: "address-level1" },
  { name: "postalCode", label: "Postal code", autocomplete: "postal-code", required: true },
  { name: "phone", label: "Phone (optional)", autocomplete: "tel", type: "tel" },
];

/** The checkout form; `errors` maps field names to messages after a failed submit. */
export function CheckoutPage(props: {
  shop: Shop;
  categories: CategoryView[];
  cart: CartView;
  countries: { code: string; name: string }[];
  values: CheckoutFields;
  errors: Record<string, string>;
  csrf: string;
  idempotencyKey: string;
}) {
  const { shop, cart, values, errors } = props;
  return (
    <Layout
      shop={shop}
      title="Checkout"
      description={`Checkout at ${shop.name}.`}
      path="/checkout"
      categories={props.categories}
      head={<meta name="robots" content="noindex" />}
    >
      <h1>Checkout</h1>
      {Object.keys(errors).length ? (
        <p class="notice" role="alert">
          Please correct the highlighted fields.
        </p>
      ) : null}
      <form method="post" action="/checkout" class="checkout" novalidate>
        <input type="hidden" name="_csrf" value={props.csrf} />
        <input type="hidden" name="idempotencyKey" value={props.idempotencyKey} />
        {FIELDS.map((f) => (
          <p class="field">
            <label for={f.name}>{f.label}</label>
            <input
              id={f.name}
              name={f.name}
              type={f.type ?? "text"}
              autocomplete={f.autocomplete}
              value={values[f.name] ?? ""}
              required={f.required}
              aria-invalid={errors[f.name] ? "true" : undefined}
              aria-describedby={errors[f.name] ? `${f.name}-error` : undefined}
            />
            {errors[f.name] ? (
              <span class="error" id={`${f.name}-error`}>
                {errors[f.name]}
              </span>
            ) : null}
          </p>
        ))}
        <p class="field">
          <label for="country">Country</label>
          <select id="country" name="country" autocomplete="country" aria-invalid={errors.country ? "true" : undefined}>
            {props.countries.map((c) => (
              <option value={c.code} selected={c.code === values.country}>
                {c.name}
              </option>
            ))}
          </select>
          {errors.country ? <span class="error">{errors.country}</span> : null}
        </p>
        <section aria-labelledby="summary">
          <h2 id="summary">Order summary</h2>
          <ul>
            {cart.lines.map((l) => (
              <li>
                {l.quantity} × {l.title} ({l.variantTitle}) — {formatMoney(l.lineTotal, shop.locale)}
              </li>
            ))}
          </ul>
          <p>
            Subtotal: <strong>{formatMoney(cart.subtotal, shop.locale)}</strong> (shipping and tax shown on your order)
          </p>
        </section>
        <button type="submit" class="add">
          Place order
        </button>
      </form>
    </Layout>
  );
}
