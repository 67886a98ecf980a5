import type { CartView } from "../../domain/cart";
import { MAX_LINE_QUANTITY } from "../../domain/cart";
import type { CategoryView } from "../../domain/catalog";
import { formatMoney, type Money } from "../../domain/money";
import { Layout, type Shop } from "../layout";

/** Fixed messages the cart page shows for `?notice=` (never text from the URL itself). */
export const CART_NOTICES = {
  "payment-cancelled": "Your payment was not completed, so nothing was charged. Your items are still in your cart.",
  "order-placed": "That order has already been placed; its confirmation is in your email.",
  added: "Added to your cart.",
  code_applied: "Discount code applied.",
} as const;

/** The cart's discounts as the page shows them. */
export interface CartDiscounts {
  codes: string[];
  discount: Money;
  discounts: { code: string | null; title: string; amount: Money; freeShipping: boolean }[];
  refusedCodes: { code: string; reason: string }[];
}

const REFUSED: Record<string, string> = {
  expired: "has expired",
  not_started: "is not valid yet",
  minimum_not_met: "needs a bigger cart",
  usage_limit_reached: "has been used up",
  not_applicable: "does not apply to this cart",
};
export type CartNotice = keyof typeof CART_NOTICES;

/** The cart page: lines with quantity forms, subtotal, and the way to checkout. Works without JavaScript. */
export function CartPage(props: {
  shop: Shop;
  categories: CategoryView[];
  cart: CartView | null;
  csrf: string;
  notice?: string;
  discounts?: CartDiscounts | null;
}) {
  const { shop, cart } = props;
  const lines = cart?.lines ?? [];
  return (
    <Layout
      shop={shop}
      title="Your cart"
      description={`Your cart at ${shop.name}.`}
      path="/cart"
      categories={props.categories}
      head={<meta name="robots" content="noindex" />}
    >
      <h1>Your cart</h1>
      {props.notice ? (
        <p
          class={props.notice === CART_NOTICES.added || props.notice === CART_NOTICES.code_applied ? "notice ok" : "notice"}
          role={props.notice === CART_NOTICES.added || props.notice === CART_NOTICES.code_applied ? "status" : "alert"}
        >
          {props.notice}
        </p>
      ) : null}
      {lines.length === 0 ? (
        <p>
          Your cart is empty. <a href="/">Continue shopping</a>
        </p>
      ) : (
        <>
          <table class="lines">
            <caption class="skip">Items in your cart</caption>
            <thead>
              <tr>
                <th scope="col">Item</th>
                <th scope="col" class="unit-price">
                  Price
                </th>
                <th scope="col">Quantity</th>
                <th scope="col">Total</th>
              </tr>
            </thead>
            <tbody>
              {lines.map((l) => (
                <tr>
                  <td>
                    <a href={`/p/${l.productSlug}?variant=${encodeURIComponent(l.sku)}`}>{l.title}</a>
                    <div class="muted">{l.variantTitle}</div>
                  </td>
                  <td class="unit-price">{formatMoney(l.unitPrice, shop.locale)}</td>
                  <td>
                    <form method="post" action={`/cart/lines/${encodeURIComponent(l.sku)}`} class="inline">
                      <input type="hidden" name="_csrf" value={props.csrf} />
                      <label class="skip" for={`qty-${l.sku}`}>
                        Quantity of {l.title}
                      </label>
                      <input
                        id={`qty-${l.sku}`}
                        name="quantity"
                        type="number"
                        min="0"
                        max={String(MAX_LINE_QUANTITY)}
                        value={String(l.quantity)}
                        inputmode="numeric"
                      />
                      <button type="submit">Update</button>
                    </form>
                    <form method="post" action={`/cart/lines/${encodeURIComponent(l.sku)}`} class="inline">
                      <input type="hidden" name="_csrf" value={props.csrf} />
                      <input type="hidden" name="quantity" value="0" />
                      <button type="submit" class="link">
                        Remove<span class="skip"> {l.title}</span>
                      </button>
                    </form>
                  </td>
                  <td>{formatMoney(l.lineTotal, shop.locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p class="total">
            Subtotal: <strong>{formatMoney(cart!.subtotal, shop.locale)}</strong>
          </p>
          <Discounts shop={shop} csrf={props.csrf} discounts={props.discounts ?? null} />
          <p class="muted">Shipping and tax are added at checkout.</p>
          <a class="button" href="/checkout">
            Checkout
          </a>
        </>
      )}
    </Layout>
  );
}

/** Discounts that apply, codes entered (with a way to remove each), and the form for another code. */
function Discounts(props: { shop: Shop; csrf: string; discounts: CartDiscounts | null }) {
  const d = props.discounts;
  const m = (x: Money) => formatMoney(x, props.shop.locale);
  const applied = new Set((d?.discounts ?? []).map((x) => x.code));
  return (
    <section class="discounts" aria-labelledby="discounts-heading">
      <h2 id="discounts-heading" class="skip">
        Discounts
      </h2>
      {d?.discounts.length ? (
        <ul class="plain">
          {d.discounts.map((x) => (
            <li>
              {x.title}
              {x.code ? <span class="muted"> ({x.code})</span> : null}: {x.freeShipping ? "free shipping" : `−${m(x.amount)}`}
            </li>
          ))}
        </ul>
      ) : null}
      {d?.refusedCodes.length ? (
        <ul class="plain">
          {d.refusedCodes.map((r) => (
            <li class="error">
              {r.code} {REFUSED[r.reason] ?? "does not apply"}.
            </li>
          ))}
        </ul>
      ) : null}
      {d?.codes.length ? (
        <div>
          {d.codes.map((code) => (
            <form method="post" action="/cart/discounts/remove" class="inline">
              <input type="hidden" name="_csrf" value={props.csrf} />
              <input type="hidden" name="code" value={code} />
              <button type="submit" class="link">
                Remove code {code}
                {applied.has(code) ? "" : " (not applied)"}
              </button>
            </form>
          ))}
        </div>
      ) : null}
      <form method="post" action="/cart/discounts" class="inline code-form">
        <input type="hidden" name="_csrf" value={props.csrf} />
        <label for="discount-code">Discount code</label>
        <input id="discount-code" name="code" autocomplete="off" maxlength={64} />
        <button type="submit" class="secondary">
          Apply
        </button>
      </form>
    </section>
  );
}
