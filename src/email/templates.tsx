import type { Child } from "hono/jsx";
import type { Db } from "../db";
import type { Bindings } from "../env";
import { formatMoney, type Money } from "../money";
import type { EmailType } from "../services/notifications";
import { getOrder, type OrderView } from "../services/orders";
import { orderTokenFor } from "../workflows/checkout";

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

async function orderLink(env: Bindings, orderId: string) {
  const token = await orderTokenFor(env.SESSION_SECRET as string, orderId);
  return new URL(`/orders/${orderId}?token=${encodeURIComponent(token)}`, env.PUBLIC_BASE_URL).toString();
}

const html = async (node: Child) => `<!doctype html>${await String(node)}`;

/** Renders a notification's email from its type and data (orders are read fresh from D1). */
export async function renderEmail(env: Bindings, db: Db, type: EmailType, data: Record<string, unknown>): Promise<RenderedEmail> {
  const shop = env.SHOP_NAME;
  const locale = env.SHOP_LOCALE;
  if (type === "cart.abandoned") {
    const restore = String(data.restoreUrl ?? env.PUBLIC_BASE_URL);
    const unsubscribe = String(data.unsubscribeUrl ?? env.PUBLIC_BASE_URL);
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
  const orderId = String(data.orderId);
  const order = await getOrder(db, orderId);
  if (!order) throw new Error(`order ${orderId} not found for ${type} email`);
  const link = await orderLink(env, orderId);
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
