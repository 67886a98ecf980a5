import type { CartView } from "../../domain/cart";
import { MAX_LINE_QUANTITY } from "../../domain/cart";
import type { CategoryView } from "../../domain/catalog";
import { formatMoney } from "../../domain/money";
import { Layout, type Shop } from "../layout";

/** Fixed messages the cart page shows for `?notice=` (never text from the URL itself). */
export const CART_NOTICES = {
  "payment-cancelled": "Your payment was not completed, so nothing was charged. Your items are still in your cart.",
  "order-placed": "That order has already been placed; its confirmation is in your email.",
  added: "Added to your cart.",
} as const;
export type CartNotice = keyof typeof CART_NOTICES;

/** The cart page: lines with quantity forms, subtotal, and the way to checkout. Works without JavaScript. */
export function CartPage(props: { shop: Shop; categories: CategoryView[]; cart: CartView | null; csrf: string; notice?: string }) {
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
          class={props.notice === CART_NOTICES.added ? "notice ok" : "notice"}
          role={props.notice === CART_NOTICES.added ? "status" : "alert"}
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
                <th scope="col">Price</th>
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
                  <td>{formatMoney(l.unitPrice, shop.locale)}</td>
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
          <p class="muted">Shipping and tax are added at checkout.</p>
          <a class="button" href="/checkout">
            Checkout
          </a>
        </>
      )}
    </Layout>
  );
}
