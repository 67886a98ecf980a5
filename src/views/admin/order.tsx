import { formatMoney, type Money, toDecimalString } from "../../domain/money";
import type { OrderView } from "../../domain/order";
import { AddressLines } from "../address";
import { type AdminContext, AdminLayout, Csrf, may } from "./layout";
import { Field, StatusBadge, Table, when } from "./parts";

/** What the order page may offer, decided by the state machine and the order's figures. */
export interface OrderActions {
  cancel: boolean;
  fulfil: { sku: string; title: string; owed: number }[];
  refundable: Money | null;
  /** A fresh key for the refund form, so a double submit refunds once. */
  refundKey: string;
  carriers: { id: string; name: string }[];
}

/** An email sent (or queued) about the order. */
export interface OrderEmail {
  id: string;
  type: string;
  status: string;
  createdAt: Date;
}

function Money_(props: { m: Money; locale: string }) {
  return <>{formatMoney(props.m, props.locale)}</>;
}

/** An order with its lines, totals, payment, shipments, refunds, returns, emails and timeline, and the actions allowed now. */
export function OrderPage(props: { ctx: AdminContext; order: OrderView; actions: OrderActions; emails: OrderEmail[] }) {
  const { ctx, order, actions } = props;
  const locale = ctx.shop.locale;
  const write = may(ctx, "orders:write");
  const a = order.shippingAddress;
  return (
    <AdminLayout ctx={ctx} title={`Order ${order.id}`} scripts={["admin"]}>
      <p class="actions">
        <a href="/admin/orders">All orders</a>
        <span>
          Order <StatusBadge value={order.status} />
        </span>
        <span>
          Payment <StatusBadge value={order.paymentStatus} />
        </span>
        <span>
          Shipping <StatusBadge value={order.fulfilmentStatus} />
        </span>
      </p>
      <div class="two">
        <div>
          <section class="card" aria-labelledby="lines-h">
            <h2 id="lines-h">Lines</h2>
            <Table
              columns={[
                "Item",
                { label: "Qty", num: true },
                { label: "Shipped", num: true },
                { label: "Refunded", num: true },
                { label: "Total", num: true },
              ]}
            >
              {order.lines.map((l) => (
                <tr>
                  <td>
                    {l.title} <span class="muted">{l.variantTitle}</span>
                    <br />
                    <small class="muted">{l.sku}</small>
                  </td>
                  <td class="num">{l.quantity}</td>
                  <td class="num">{l.fulfilledQuantity}</td>
                  <td class="num">{l.refundedQuantity}</td>
                  <td class="num">
                    <Money_ m={l.lineTotal} locale={locale} />
                  </td>
                </tr>
              ))}
            </Table>
            <dl class="kv">
              <dt>Subtotal</dt>
              <dd>
                <Money_ m={order.subtotal} locale={locale} />
              </dd>
              {order.discount.amount ? (
                <>
                  <dt>Discount</dt>
                  <dd>
                    −<Money_ m={order.discount} locale={locale} />
                  </dd>
                </>
              ) : null}
              <dt>Shipping{order.shippingMethod ? ` (${order.shippingMethod.name})` : ""}</dt>
              <dd>
                <Money_ m={order.shipping} locale={locale} />
              </dd>
              <dt>
                {order.taxIncluded
                  ? `Tax included${order.taxName ? ` (${order.taxName})` : ""}`
                  : `Tax${order.taxName ? ` (${order.taxName})` : ""}`}
              </dt>
              <dd>
                <Money_ m={order.tax} locale={locale} />
              </dd>
              <dt>Total</dt>
              <dd>
                <strong>
                  <Money_ m={order.total} locale={locale} />
                </strong>
              </dd>
              {order.giftCards.map((g) => (
                <>
                  <dt>Gift card ending {g.last4}</dt>
                  <dd>
                    −<Money_ m={g.amount} locale={locale} />
                  </dd>
                </>
              ))}
              {order.giftCards.length && order.amountDue.amount > 0 ? (
                <>
                  <dt>Through {order.payment.provider ?? "the provider"}</dt>
                  <dd>
                    <Money_ m={order.amountDue} locale={locale} />
                  </dd>
                </>
              ) : null}
              <dt>Refunded</dt>
              <dd>
                <Money_ m={order.refunded} locale={locale} />
              </dd>
            </dl>
          </section>
          <section class="card" aria-labelledby="ship-h">
            <h2 id="ship-h">Shipments</h2>
            {order.shipments.length ? (
              <ul>
                {order.shipments.map((s) => (
                  <li>
                    {s.carrier.toUpperCase()} {s.trackingUrl ? <a href={s.trackingUrl}>{s.trackingNumber}</a> : s.trackingNumber} —{" "}
                    {s.lines.map((l) => `${l.quantity} × ${l.sku}`).join(", ")} <span class="muted">{when(s.createdAt)}</span>
                  </li>
                ))}
              </ul>
            ) : (
              <p class="muted">Nothing shipped yet.</p>
            )}
            {order.tracking.length ? (
              <ul>
                {order.tracking.map((t) => (
                  <li>
                    {when(t.at)}: {t.status.replace(/_/g, " ")} {t.location ? `(${t.location})` : ""}
                  </li>
                ))}
              </ul>
            ) : null}
          </section>
          <section class="card" aria-labelledby="refunds-h">
            <h2 id="refunds-h">Refunds and returns</h2>
            {order.refunds.length ? (
              <ul>
                {order.refunds.map((r) => (
                  <li>
                    <Money_ m={r.amount} locale={locale} />
                    {r.toGiftCards.amount ? (
                      <>
                        {" "}
                        (<Money_ m={r.toGiftCards} locale={locale} /> to gift cards)
                      </>
                    ) : null}{" "}
                    <StatusBadge value={r.status} /> {r.reason}{" "}
                    <span class="muted">
                      ({r.source}, {when(r.createdAt)})
                    </span>
                  </li>
                ))}
              </ul>
            ) : (
              <p class="muted">No refunds.</p>
            )}
            {order.returns.length ? (
              <ul>
                {order.returns.map((r) => (
                  <li>
                    <a href={`/admin/returns?status=${r.status}`}>Return</a> <StatusBadge value={r.status} />{" "}
                    {r.lines.map((l) => `${l.quantity} × ${l.sku}`).join(", ")}: {r.reason}
                  </li>
                ))}
              </ul>
            ) : null}
          </section>
          <section class="card" aria-labelledby="timeline-h">
            <h2 id="timeline-h">Timeline</h2>
            <ol class="timeline">
              {order.events.map((e) => (
                <li>
                  <span class="muted">{when(e.at)}</span> {e.kind === "status" ? `${e.from ?? "new"} → ${e.to}` : `${e.kind}: ${e.to}`}
                  {e.applied ? "" : " (refused)"} {e.reason ? `— ${e.reason}` : ""} <small class="muted">by {e.actor}</small>
                </li>
              ))}
            </ol>
          </section>
        </div>
        <div>
          <section class="card" aria-labelledby="customer-h">
            <h2 id="customer-h">Customer</h2>
            <dl class="kv">
              <dt>Email</dt>
              <dd>{order.email}</dd>
              <dt>Ship to</dt>
              <dd>
                <AddressLines address={a} />
              </dd>
              <dt>Payment</dt>
              <dd>
                {order.payment.provider ?? "—"} {order.payment.id ? <small class="muted wrap">{order.payment.id}</small> : null}
                {order.paidAt ? <div>Paid {when(order.paidAt)}</div> : null}
              </dd>
              <dt>Placed</dt>
              <dd>{when(order.createdAt)}</dd>
              {order.cancelReason ? (
                <>
                  <dt>Cancelled</dt>
                  <dd>{order.cancelReason}</dd>
                </>
              ) : null}
            </dl>
          </section>
          {write && actions.fulfil.length ? (
            <form method="post" action={`/admin/orders/${order.id}/fulfil`} class="card">
              <Csrf ctx={ctx} />
              <h2>Fulfil</h2>
              {actions.fulfil.map((l, i) => (
                <Field label={`${l.title} (${l.sku}), ${l.owed} to ship`} for={`ship-${i}`}>
                  <input type="hidden" name="sku" value={l.sku} />
                  <input id={`ship-${i}`} name="quantity" type="number" min="0" max={String(l.owed)} value={String(l.owed)} />
                </Field>
              ))}
              <Field label="Carrier" for="carrier">
                <select id="carrier" name="carrier">
                  {actions.carriers.map((c) => (
                    <option value={c.id}>{c.name}</option>
                  ))}
                </select>
              </Field>
              <Field label="Tracking number" for="trackingNumber">
                <input id="trackingNumber" name="trackingNumber" required maxlength={64} />
              </Field>
              <Field label="Tracking link (for other carriers)" for="trackingUrl">
                <input id="trackingUrl" name="trackingUrl" type="url" maxlength={500} />
              </Field>
              <label>
                <input type="checkbox" name="notify" value="1" checked /> Email the customer the tracking link
              </label>
              <p>
                <button type="submit">Mark shipped</button>
              </p>
            </form>
          ) : null}
          {write && actions.refundable ? (
            <form method="post" action={`/admin/orders/${order.id}/refund`} class="card" data-confirm="Refund this amount to the customer?">
              <Csrf ctx={ctx} />
              <input type="hidden" name="key" value={actions.refundKey} />
              <h2>Refund</h2>
              <Field
                label={`Amount in ${order.currency}`}
                for="amount"
                hint={`Up to ${formatMoney(actions.refundable, locale)}; empty refunds all of it.`}
              >
                <input id="amount" name="amount" inputmode="decimal" placeholder={toDecimalString(actions.refundable)} />
              </Field>
              <Field label="Reason" for="reason">
                <input id="reason" name="reason" required maxlength={200} />
              </Field>
              <label>
                <input type="checkbox" name="restock" value="1" /> Put unshipped units back in stock
              </label>
              <p>
                <button type="submit">Refund</button>
              </p>
            </form>
          ) : null}
          {write && actions.cancel ? (
            <form
              method="post"
              action={`/admin/orders/${order.id}/cancel`}
              class="card"
              data-confirm={order.paidAt ? "Cancel this order and refund it in full?" : "Cancel this order?"}
            >
              <Csrf ctx={ctx} />
              <h2>Cancel</h2>
              <Field label="Reason" for="cancel-reason">
                <input id="cancel-reason" name="reason" maxlength={200} />
              </Field>
              <p class="muted">{order.paidAt ? "Refunds the payment in full and puts the units back." : "Releases the held stock."}</p>
              <button type="submit" class="danger">
                Cancel order
              </button>
            </form>
          ) : null}
          <section class="card" aria-labelledby="emails-h">
            <h2 id="emails-h">Emails</h2>
            {props.emails.length ? (
              <ul>
                {props.emails.map((e) => (
                  <li>
                    {e.type} <StatusBadge value={e.status} /> <span class="muted">{when(e.createdAt)}</span>
                    {write ? (
                      <form method="post" action={`/admin/orders/${order.id}/emails/resend`} class="inline">
                        <Csrf ctx={ctx} />
                        <input type="hidden" name="id" value={e.id} />
                        <button type="submit" class="secondary">
                          Resend
                        </button>
                      </form>
                    ) : null}
                  </li>
                ))}
              </ul>
            ) : (
              <p class="muted">No emails yet.</p>
            )}
          </section>
        </div>
      </div>
    </AdminLayout>
  );
}
