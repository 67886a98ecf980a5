import type { CategoryView } from "../../domain/catalog";
import { formatMoney } from "../../domain/money";
import type { OrderView } from "../../domain/order";
import { Layout, type Shop } from "../layout";

const STATUS_TEXT: Record<string, string> = {
  pending_payment: "Awaiting payment",
  paid: "Paid — we are preparing your order",
  fulfilled: "Packed and ready to ship",
  shipped: "Shipped",
  delivered: "Delivered",
  cancelled: "Cancelled",
  refunded: "Refunded",
};

/** The shopper's order status page. */
export function OrderPage(props: { shop: Shop; categories: CategoryView[]; order: OrderView }) {
  const { shop, order } = props;
  const m = (money: OrderView["total"]) => formatMoney(money, shop.locale);
  return (
    <Layout
      shop={shop}
      title={`Order ${order.id}`}
      description={`Order status at ${shop.name}.`}
      path={`/orders/${order.id}`}
      categories={props.categories}
      head={<meta name="robots" content="noindex" />}
    >
      <h1>Order {order.id}</h1>
      <p role="status">
        Status: <strong>{STATUS_TEXT[order.status] ?? order.status}</strong>
        {order.cancelReason ? ` (${order.cancelReason})` : null}
      </p>
      {order.status === "pending_payment" && order.holdExpiresAt ? (
        <p class="muted">Your items are held until {new Date(order.holdExpiresAt).toUTCString()}.</p>
      ) : null}
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
              </td>
              <td>{l.quantity}</td>
              <td>{m(l.lineTotal)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <dl class="totals">
        <dt>Subtotal</dt>
        <dd>{m(order.subtotal)}</dd>
        <dt>Shipping</dt>
        <dd>{m(order.shipping)}</dd>
        <dt>Tax</dt>
        <dd>{m(order.tax)}</dd>
        <dt>Total</dt>
        <dd>
          <strong>{m(order.total)}</strong>
        </dd>
      </dl>
      {order.tracking.length ? (
        <section aria-labelledby="tracking">
          <h2 id="tracking">Tracking</h2>
          <p>
            {order.tracking[0]?.carrier} · {order.tracking[0]?.trackingNumber}
          </p>
          <ol>
            {order.tracking.map((t) => (
              <li>
                {new Date(t.at).toUTCString()}: {t.status.replace(/_/g, " ")}
                {t.location ? ` (${t.location})` : ""}
              </li>
            ))}
          </ol>
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
