import { formatMoney, type Money } from "../../domain/money";
import type { Shop } from "../../domain/shop";
import { stylesheetUrl } from "../assets";

/** The local test provider's hosted payment page: what is being paid, and Pay / Decline. */
export function PayTestPage(props: { shop: Shop; paymentId: string; orderId: string; total: Money; email: string; open: boolean }) {
  const { shop } = props;
  return (
    <html lang={shop.locale.split("-")[0] ?? "en"}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>Test payment · {shop.name}</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href={stylesheetUrl("store")} />
      </head>
      <body>
        <main id="main" class="pay">
          <p class="muted">{shop.name} — test payments</p>
          <h1>Pay {formatMoney(props.total, shop.locale)}</h1>
          <p class="notice">This is the shop's local test payment page: no card is asked for and no money moves.</p>
          <dl class="totals">
            <dt>Order</dt>
            <dd>{props.orderId}</dd>
            <dt>Email</dt>
            <dd>{props.email}</dd>
          </dl>
          {props.open ? (
            <form method="post" class="pay-actions">
              <button type="submit" name="outcome" value="pay" class="add">
                Pay {formatMoney(props.total, shop.locale)}
              </button>
              <button type="submit" name="outcome" value="decline" class="secondary">
                Decline
              </button>
            </form>
          ) : (
            <p>This payment is no longer open.</p>
          )}
        </main>
      </body>
    </html>
  );
}
