import type { CategoryView } from "../../domain/catalog";
import { formatMoney, type Money } from "../../domain/money";
import type { OrderView } from "../../domain/order";
import { Layout, type Shop } from "../layout";

/** An order status in the shopper's words. */
export const STATUS_TEXT: Record<string, string> = {
  pending_payment: "Awaiting payment",
  paid: "Paid — we are preparing your order",
  fulfilled: "Packed and handed over for shipping",
  shipped: "Shipped",
  delivered: "Delivered",
  cancelled: "Cancelled",
  refunded: "Refunded",
};

const PAYMENT_TEXT: Record<string, string> = {
  unpaid: "Not paid",
  paid: "Paid",
  partially_refunded: "Partly refunded",
  refunded: "Refunded",
};

const RETURN_TEXT: Record<string, string> = {
  requested: "Requested — we will reply by email",
  approved: "Approved — please send the items back",
  rejected: "Not accepted",
  received: "Received — your refund follows",
  refunded: "Refunded",
};

/** What the order page may offer besides showing the order. */
export interface OrderPageOptions {
  /** The shopper just came back from the payment page and the confirmation has not landed yet. */
  awaitingConfirmation: boolean;
  /** The order token, for the return form and the status check. */
  token: string;
  /** Units per SKU the shopper may still ask to return (empty when returns are closed). */
  returnable: Record<string, number>;
  notice?: string;
  errors?: Record<string, string>;
}

const dateTime = (iso: string, locale: string) =>
  new Date(iso).toLocaleString(locale, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/** The shopper's order page: status, payment, items, totals, shipments with tracking, refunds and returns. */
export function OrderPage(props: { shop: Shop; categories: CategoryView[]; order: OrderView; options: OrderPageOptions }) {
  const { shop, order, options } = props;
  const m = (money: Money) => formatMoney(money, shop.locale);
  const processing = order.status === "pending_payment" && options.awaitingConfirmation;
  const canReturn = Object.values(options.returnable).some((n) => n > 0);
  const apiUrl = `/api/orders/${order.id}?token=${encodeURIComponent(options.token)}`;
  return (
    <Layout
      shop={shop}
      title={`Order ${order.id}`}
      description={`Order status at ${shop.name}.`}
      path={`/orders/${order.id}`}
      categories={props.categories}
      head={<meta name="robots" content="noindex" />}
      scripts={processing ? ["order-status"] : []}
    >
      <h1 class="order-id">Order {order.id}</h1>
      {options.notice ? (
        <p class="notice ok" role="status">
          {options.notice}
        </p>
      ) : null}
      {processing ? (
        <div class="processing" role="status" data-order-poll={apiUrl} data-status={order.status}>
          <p>
            <strong>Payment processing.</strong> We are waiting for the payment provider to confirm it; this usually takes a few seconds.
          </p>
          <p>
            <a href={`/orders/${order.id}?token=${encodeURIComponent(options.token)}&from=payment`}>Check again</a>
          </p>
        </div>
      ) : (
        <p role="status">
          Status: <strong>{STATUS_TEXT[order.status] ?? order.status}</strong>
          {order.cancelReason ? ` (${order.cancelReason})` : null}
        </p>
      )}
      <p class="muted">
        Payment: {PAYMENT_TEXT[order.paymentStatus]}
        {order.refunded.amount > 0 ? ` · ${m(order.refunded)} refunded` : ""}
      </p>
      {order.status === "pending_payment" && !processing && order.paymentUrl ? (
        <p>
          <a class="button" href={order.paymentUrl}>
            Pay now
          </a>
          {order.holdExpiresAt ? (
            <span class="muted"> Your items are held until {dateTime(order.holdExpiresAt, shop.locale)} UTC.</span>
          ) : null}
        </p>
      ) : null}
      <div class="table-scroll">
        <table class="lines">
          <caption class="skip">Items in your order</caption>
          <thead>
            <tr>
              <th scope="col">Item</th>
              <th scope="col">Quantity</th>
              <th scope="col">Total</th>
            </tr>
          </thead>
          <tbody>
            {order.lines.map((l) => (
              <tr>
                <td>
                  {l.title} <span class="muted">({l.variantTitle})</span>
                  {l.refundedQuantity ? <div class="muted">{l.refundedQuantity} refunded</div> : null}
                </td>
                <td>{l.quantity}</td>
                <td>{m(l.lineTotal)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <dl class="totals">
        <dt>Subtotal</dt>
        <dd>{m(order.subtotal)}</dd>
        {order.discount.amount ? (
          <>
            <dt>Discount</dt>
            <dd>−{m(order.discount)}</dd>
          </>
        ) : null}
        <dt>Shipping{order.shippingMethod ? ` (${order.shippingMethod.name})` : ""}</dt>
        <dd>{m(order.shipping)}</dd>
        <dt>{order.taxIncluded ? `incl. ${order.taxName ?? "tax"}` : (order.taxName ?? "Tax")}</dt>
        <dd>{m(order.tax)}</dd>
        <dt>Total</dt>
        <dd>
          <strong>{m(order.total)}</strong>
        </dd>
        {order.giftCards.map((g) => (
          <>
            <dt>Gift card ending {g.last4}</dt>
            <dd>−{m(g.amount)}</dd>
          </>
        ))}
        {order.giftCards.length && order.amountDue.amount > 0 ? (
          <>
            <dt>Paid by card</dt>
            <dd>{m(order.amountDue)}</dd>
          </>
        ) : null}
      </dl>
      {order.shipments.length ? (
        <section aria-labelledby="shipments">
          <h2 id="shipments">Shipments</h2>
          <ul class="plain">
            {order.shipments.map((s) => (
              <li>
                {s.carrier.toUpperCase()} {s.trackingUrl ? <a href={s.trackingUrl}>{s.trackingNumber}</a> : s.trackingNumber}
                <span class="muted">
                  {" "}
                  · {s.lines.reduce((n, l) => n + l.quantity, 0)} item(s) · {dateTime(s.createdAt, shop.locale)}
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {order.tracking.length ? (
        <section aria-labelledby="tracking">
          <h2 id="tracking">Tracking</h2>
          <p>
            {order.tracking[0]?.carrier.toUpperCase()} · {order.tracking[0]?.trackingNumber}
          </p>
          <ol>
            {order.tracking.map((t) => (
              <li>
                {dateTime(t.at, shop.locale)}: {t.status.replace(/_/g, " ")}
                {t.location ? ` (${t.location})` : ""}
              </li>
            ))}
          </ol>
        </section>
      ) : null}
      {order.refunds.length ? (
        <section aria-labelledby="refunds">
          <h2 id="refunds">Refunds</h2>
          <ul class="plain">
            {order.refunds
              .filter((r) => r.status !== "failed")
              .map((r) => (
                <li>
                  {m(r.amount)}
                  {r.toGiftCards.amount >= r.amount.amount
                    ? " back onto your gift card"
                    : r.toGiftCards.amount > 0
                      ? ` (${m({ amount: r.amount.amount - r.toGiftCards.amount, currency: r.amount.currency })} to your payment method, ${m(r.toGiftCards)} back onto your gift card)`
                      : ""}{" "}
                  <span class="muted">· {dateTime(r.createdAt, shop.locale)}</span>
                </li>
              ))}
          </ul>
        </section>
      ) : null}
      {order.returns.length ? (
        <section aria-labelledby="returns">
          <h2 id="returns">Returns</h2>
          <ul class="plain">
            {order.returns.map((r) => (
              <li>
                {r.lines.reduce((n, l) => n + l.quantity, 0)} item(s): {RETURN_TEXT[r.status] ?? r.status}
                {r.note ? <div class="muted">{r.note}</div> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {canReturn ? (
        <section aria-labelledby="return-form">
          <h2 id="return-form">Return items</h2>
          <form method="post" action={`/orders/${order.id}/returns`} class="checkout">
            <input type="hidden" name="token" value={options.token} />
            {order.lines
              .filter((l) => (options.returnable[l.sku] ?? 0) > 0)
              .map((l, i) => (
                <p class="field">
                  <label for={`return-${i}`}>
                    {l.title} ({l.variantTitle}) — how many to return
                  </label>
                  <select id={`return-${i}`} name={`qty:${l.sku}`}>
                    {Array.from({ length: (options.returnable[l.sku] ?? 0) + 1 }, (_, n) => (
                      <option value={String(n)}>{n}</option>
                    ))}
                  </select>
                </p>
              ))}
            <p class="field">
              <label for="reason">Why are you returning them?</label>
              <textarea
                id="reason"
                name="reason"
                rows={3}
                maxlength={1000}
                aria-invalid={options.errors?.reason ? "true" : undefined}
                aria-describedby={options.errors?.reason ? "reason-error" : undefined}
              />
              {options.errors?.reason ? (
                <span class="error" id="reason-error">
                  {options.errors.reason}
                </span>
              ) : null}
            </p>
            {options.errors?.lines ? <p class="error">{options.errors.lines}</p> : null}
            <button type="submit">Request a return</button>
          </form>
        </section>
      ) : null}
      <h2>Shipping to</h2>
      <address>
        {order.shippingAddress.name}
        <br />
        {order.shippingAddress.line1}
        {order.shippingAddress.line2 ? (
          <>
            <br />
            {order.shippingAddress.line2}
          </>
        ) : null}
        <br />
        {order.shippingAddress.postalCode} {order.shippingAddress.city}
        {order.shippingAddress.region ? `, ${order.shippingAddress.region}` : ""}
        <br />
        {order.shippingAddress.country}
      </address>
    </Layout>
  );
}
