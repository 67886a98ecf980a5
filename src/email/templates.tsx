import type { Child } from "hono/jsx";
import { formatMoney, type Money } from "../domain/money";
import type { EmailType } from "../domain/notification";
import type { OrderView } from "../domain/order";
import type { Shop } from "../domain/shop";
import { renderDocument } from "../views/document";

/** A rendered email body pair. */
export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

function Frame(props: { shop: string; title: string; children?: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>{props.title}</title>
      </head>
      <body style="font-family:system-ui,sans-serif;color:#1c1b1a;max-width:36rem;margin:auto;padding:1rem">
        <h1 style="font-size:1.3rem">{props.title}</h1>
        {props.children}
        <p style="color:#55524d;font-size:.9rem">{props.shop}</p>
      </body>
    </html>
  );
}

function Lines(props: { order: OrderView; locale: string }) {
  const m = (x: Money) => formatMoney(x, props.locale);
  return (
    <table style="width:100%;border-collapse:collapse">
      {props.order.lines.map((l) => (
        <tr>
          <td>
            {l.quantity} × {l.title} ({l.variantTitle})
          </td>
          <td style="text-align:right">{m(l.lineTotal)}</td>
        </tr>
      ))}
      <tr>
        <td>Shipping</td>
        <td style="text-align:right">{m(props.order.shipping)}</td>
      </tr>
      <tr>
        <td>Tax</td>
        <td style="text-align:right">{m(props.order.tax)}</td>
      </tr>
      <tr>
        <td>
          <strong>Total</strong>
        </td>
        <td style="text-align:right">
          <strong>{m(props.order.total)}</strong>
        </td>
      </tr>
    </table>
  );
}

const textLines = (order: OrderView, locale: string) =>
  [
    ...order.lines.map((l) => `${l.quantity} x ${l.title} (${l.variantTitle})  ${formatMoney(l.lineTotal, locale)}`),
    `Shipping  ${formatMoney(order.shipping, locale)}`,
    `Tax  ${formatMoney(order.tax, locale)}`,
    `Total  ${formatMoney(order.total, locale)}`,
  ].join("\n");

/** What an email is rendered from: the notification's stored data, plus the order (loaded by the sender) for order emails. */
export interface EmailContext {
  shop: Shop;
  type: EmailType;
  data: Record<string, unknown>;
  order?: { view: OrderView; url: string };
}

const html = (node: Child) => renderDocument(node);

/** Renders a notification's email from what it is given; it loads nothing. */
export async function renderEmail({ shop: shopInfo, type, data, order: loaded }: EmailContext): Promise<RenderedEmail> {
  const shop = shopInfo.name;
  const locale = shopInfo.locale;
  const baseUrl = shopInfo.baseUrl;
  if (type === "cart.abandoned") {
    const restore = String(data.restoreUrl ?? baseUrl);
    const unsubscribe = String(data.unsubscribeUrl ?? baseUrl);
    const subject = `You left something in your cart at ${shop}`;
    return {
      subject,
      html: await html(
        <Frame shop={shop} title="Still thinking it over?">
          <p>Your cart is saved. Pick up where you left off:</p>
          <p>
            <a href={restore}>Return to your cart</a>
          </p>
          <p style="font-size:.85rem">
            <a href={unsubscribe}>Stop these reminders</a>
          </p>
        </Frame>,
      ),
      text: `Your cart at ${shop} is saved.\nReturn to it: ${restore}\n\nStop these reminders: ${unsubscribe}\n`,
    };
  }
  if (type === "stock.low") {
    const items = (data.items ?? []) as { sku: string; available: number }[];
    const subject = `Low stock: ${items.length} SKU${items.length === 1 ? "" : "s"}`;
    return {
      subject,
      html: await html(
        <Frame shop={shop} title={subject}>
          <ul>
            {items.map((i) => (
              <li>
                {i.sku}: {i.available} left
              </li>
            ))}
          </ul>
        </Frame>,
      ),
      text: `${subject}\n\n${items.map((i) => `${i.sku}: ${i.available} left`).join("\n")}\n`,
    };
  }
  if (!loaded) throw new Error(`the ${type} email needs its order`);
  const order = loaded.view;
  const orderId = order.id;
  const link = loaded.url;
  const tracking = typeof data.trackingNumber === "string" ? data.trackingNumber : undefined;
  const copy: Record<Exclude<EmailType, "cart.abandoned" | "stock.low">, { subject: string; title: string; intro: string }> = {
    "order.confirmation": {
      subject: `Order ${orderId} confirmed`,
      title: "Thank you for your order",
      intro: "We have your payment and are preparing your order.",
    },
    "order.shipped": {
      subject: `Order ${orderId} is on its way`,
      title: "Your order has shipped",
      intro: `Tracking number: ${tracking ?? "pending"}.`,
    },
    "order.delivered": { subject: `Order ${orderId} was delivered`, title: "Delivered", intro: "Your order has arrived. Enjoy!" },
    "order.refunded": {
      subject: `Order ${orderId} refunded`,
      title: "Your refund is on its way",
      intro: `We refunded ${formatMoney(order.total, locale)} to your original payment method.`,
    },
  };
  const c = copy[type];
  return {
    subject: c.subject,
    html: await html(
      <Frame shop={shop} title={c.title}>
        <p>{c.intro}</p>
        <Lines order={order} locale={locale} />
        <p>
          <a href={type === "order.shipped" ? `${link}#tracking` : link}>
            {type === "order.shipped" ? "Track your parcel" : "View your order"}
          </a>
        </p>
      </Frame>,
    ),
    text: `${c.title}\n\n${c.intro}\n\n${textLines(order, locale)}\n\n${type === "order.shipped" ? `Track your parcel: ${link}#tracking` : `View your order: ${link}`}\n`,
  };
}
