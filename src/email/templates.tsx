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
  /** Extra headers (List-Unsubscribe on marketing mail). */
  headers?: Record<string, string>;
}

/** A campaign as its email shows it, with the recipient's own unsubscribe link. */
export interface CampaignEmail {
  subject: string;
  body: string;
  products: { title: string; url: string; price: string; image: string | null }[];
  unsubscribeUrl: string;
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
      {props.order.discount.amount ? (
        <tr>
          <td>Discount</td>
          <td style="text-align:right">−{m(props.order.discount)}</td>
        </tr>
      ) : null}
      <tr>
        <td>Shipping{props.order.shippingMethod ? ` (${props.order.shippingMethod.name})` : ""}</td>
        <td style="text-align:right">{m(props.order.shipping)}</td>
      </tr>
      <tr>
        <td>{taxLabel(props.order)}</td>
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
      {props.order.giftCards.map((g) => (
        <tr>
          <td>Gift card ending {g.last4}</td>
          <td style="text-align:right">−{m(g.amount)}</td>
        </tr>
      ))}
      {props.order.giftCards.length && props.order.amountDue.amount > 0 ? (
        <tr>
          <td>Paid by card</td>
          <td style="text-align:right">{m(props.order.amountDue)}</td>
        </tr>
      ) : null}
    </table>
  );
}

const carrierName = (carrier: string) => ({ ups: "UPS", usps: "USPS", fedex: "FedEx", dhl: "DHL" })[carrier.toLowerCase()] ?? carrier;

const taxLabel = (order: OrderView) => (order.taxIncluded ? `incl. ${order.taxName ?? "tax"}` : (order.taxName ?? "Tax"));

const textLines = (order: OrderView, locale: string) =>
  [
    ...order.lines.map((l) => `${l.quantity} x ${l.title} (${l.variantTitle})  ${formatMoney(l.lineTotal, locale)}`),
    ...(order.discount.amount ? [`Discount  -${formatMoney(order.discount, locale)}`] : []),
    `Shipping  ${formatMoney(order.shipping, locale)}`,
    `${taxLabel(order)}  ${formatMoney(order.tax, locale)}`,
    `Total  ${formatMoney(order.total, locale)}`,
    ...order.giftCards.map((g) => `Gift card ending ${g.last4}  -${formatMoney(g.amount, locale)}`),
    ...(order.giftCards.length && order.amountDue.amount > 0 ? [`Paid by card  ${formatMoney(order.amountDue, locale)}`] : []),
  ].join("\n");

/** Where a refund went: the original payment method, gift cards, or both. */
function refundIntro(order: OrderView, data: Record<string, unknown>, money: (amount: unknown) => string): string {
  const amount = Number(data.amount ?? order.refunded.amount);
  const toCards = order.refunds.find((r) => r.id === data.refundId)?.toGiftCards.amount ?? 0;
  if (toCards >= amount && toCards > 0) return `We put ${money(amount)} back onto your gift card. It can be used again right away.`;
  if (toCards > 0) {
    return `We refunded ${money(amount)}: ${money(amount - toCards)} to your original payment method (it can take a few days to show) and ${money(toCards)} back onto your gift card.`;
  }
  return `We refunded ${money(amount)} to your original payment method. It can take a few days to show.`;
}

/** What an email is rendered from: the notification's stored data, plus the order (loaded by the sender) for order emails. */
export interface EmailContext {
  shop: Shop;
  type: EmailType;
  data: Record<string, unknown>;
  order?: { view: OrderView; url: string };
  campaign?: CampaignEmail;
}

const html = (node: Child) => renderDocument(node);

/** Renders a notification's email from what it is given; it loads nothing. */
export async function renderEmail({ shop: shopInfo, type, data, order: loaded, campaign }: EmailContext): Promise<RenderedEmail> {
  const shop = shopInfo.name;
  const locale = shopInfo.locale;
  const baseUrl = shopInfo.baseUrl;
  if (type === "campaign") {
    if (!campaign) throw new Error("the campaign email needs its campaign");
    const paragraphs = campaign.body
      .split(/\n{2,}/)
      .map((p) => p.trim())
      .filter(Boolean);
    return {
      subject: campaign.subject,
      html: await html(
        <Frame shop={shop} title={campaign.subject}>
          {paragraphs.map((p) => (
            <p>{p}</p>
          ))}
          {campaign.products.length ? (
            <table style="width:100%;border-collapse:collapse">
              {campaign.products.map((p) => (
                <tr>
                  <td style="padding:.5rem 0;width:96px">{p.image ? <img src={p.image} width="80" height="80" alt="" /> : null}</td>
                  <td style="padding:.5rem">
                    <a href={p.url}>{p.title}</a>
                    <br />
                    {p.price}
                  </td>
                </tr>
              ))}
            </table>
          ) : null}
          <p style="font-size:.85rem">
            You get this because you agreed to news from {shop}. <a href={campaign.unsubscribeUrl}>Unsubscribe</a>
          </p>
        </Frame>,
      ),
      text: `${paragraphs.join("\n\n")}\n\n${campaign.products.map((p) => `${p.title} (${p.price}): ${p.url}`).join("\n")}\n\nUnsubscribe: ${campaign.unsubscribeUrl}\n`,
      headers: { "List-Unsubscribe": `<${campaign.unsubscribeUrl}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
    };
  }
  if (type === "newsletter.confirm") {
    const url = String(data.confirmUrl ?? baseUrl);
    return {
      subject: `Confirm your subscription to ${shop}`,
      html: await html(
        <Frame shop={shop} title="One more step">
          <p>Confirm that you want news and offers from {shop} by email:</p>
          <p>
            <a href={url}>Yes, subscribe me</a>
          </p>
          <p style="font-size:.85rem">If you did not ask for this, ignore this email: you will not be subscribed.</p>
        </Frame>,
      ),
      text: `Confirm that you want news and offers from ${shop} by email: ${url}\n\nIf you did not ask for this, ignore this email.\n`,
    };
  }
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
  if (type === "account.login") {
    const url = String(data.loginUrl ?? baseUrl);
    const subject = `Sign in to ${shop}`;
    return {
      subject,
      html: await html(
        <Frame shop={shop} title="Your sign-in link">
          <p>Follow this link to sign in. It works once, for the next 15 minutes.</p>
          <p>
            <a href={url}>Sign in to {shop}</a>
          </p>
          <p style="font-size:.85rem">If you did not ask to sign in, ignore this email: nothing happens without the link.</p>
        </Frame>,
      ),
      text: `Sign in to ${shop}: ${url}\n\nThe link works once, for the next 15 minutes. If you did not ask to sign in, ignore this email.\n`,
    };
  }
  if (type === "review.published") {
    const title = String(data.title ?? "");
    const productTitle = String(data.productTitle ?? "");
    const url = new URL(`/p/${encodeURIComponent(String(data.productSlug ?? ""))}#reviews`, baseUrl).toString();
    return {
      subject: `Your review of ${productTitle} is live`,
      html: await html(
        <Frame shop={shop} title="Thank you for your review">
          <p>
            Your review “{title}” of {productTitle} is now on the product page.
          </p>
          <p>
            <a href={url}>See it</a>
          </p>
        </Frame>,
      ),
      text: `Thank you for your review.\n\nYour review "${title}" of ${productTitle} is now on the product page: ${url}\n`,
    };
  }
  if (type === "gift_card.issued") {
    const amount = formatMoney({ amount: Number(data.amount ?? 0), currency: String(data.currency ?? "USD") }, locale);
    const code = String(data.code ?? "");
    const expires = typeof data.expiresAt === "string" ? new Date(data.expiresAt).toISOString().slice(0, 10) : null;
    const note = typeof data.note === "string" && data.note ? data.note : null;
    const subject = `Your ${amount} gift card for ${shop}`;
    return {
      subject,
      html: await html(
        <Frame shop={shop} title={`A ${amount} gift card for you`}>
          {note ? <p>{note}</p> : null}
          <p>Enter this code at checkout to pay with it:</p>
          <p style="font-size:1.3rem;font-family:ui-monospace,monospace;letter-spacing:.05em">
            <strong>{code}</strong>
          </p>
          <p>{expires ? `It can be used until ${expires}.` : "It does not expire."} Keep this email: the code is shown nowhere else.</p>
          <p>
            <a href={baseUrl}>Visit {shop}</a>
          </p>
        </Frame>,
      ),
      text: `${note ? `${note}\n\n` : ""}A ${amount} gift card for ${shop}.\n\nCode: ${code}\n\nEnter it at checkout. ${expires ? `It can be used until ${expires}.` : "It does not expire."} Keep this email: the code is shown nowhere else.\n${baseUrl}\n`,
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
  const money = (amount: unknown) => formatMoney({ amount: Number(amount ?? 0), currency: order.currency }, locale);
  const text = (v: unknown) => (typeof v === "string" ? v : "");
  const trackingUrl = text(data.trackingUrl);
  const copy: Record<
    Exclude<
      EmailType,
      "cart.abandoned" | "stock.low" | "account.login" | "review.published" | "newsletter.confirm" | "campaign" | "gift_card.issued"
    >,
    { subject: string; title: string; intro: string }
  > = {
    "order.received": {
      subject: `Order ${orderId} received`,
      title: "We have your order",
      intro: "It is reserved for you while your payment goes through. We will email you once it is confirmed.",
    },
    "order.confirmation": {
      subject: `Order ${orderId} confirmed`,
      title: "Thank you for your order",
      intro: "We have your payment and are preparing your order.",
    },
    "order.shipped": {
      subject: `Order ${orderId} is on its way`,
      title: "Your order has shipped",
      intro: `Tracking number: ${text(data.trackingNumber) || "pending"}${text(data.carrier) ? ` (${carrierName(text(data.carrier))})` : ""}.`,
    },
    "order.delivered": { subject: `Order ${orderId} was delivered`, title: "Delivered", intro: "Your order has arrived. Enjoy!" },
    "order.refunded": {
      subject: `Order ${orderId}: refund of ${money(data.amount ?? order.refunded.amount)}`,
      title: "Your refund is on its way",
      intro: refundIntro(order, data, money),
    },
    "order.cancelled": {
      subject: `Order ${orderId} cancelled`,
      title: "Your order was cancelled",
      intro: text(data.reason) ? `Reason: ${text(data.reason)}.` : "Your order was cancelled.",
    },
    "order.stock_lost": {
      subject: `Order ${orderId} cancelled: sold out`,
      title: "We could not keep your order",
      intro: `Your payment reached us after the last of these items had sold, so we cancelled the order and refunded ${money(data.amount ?? order.amountDue.amount)} to your original payment method${order.giftCards.length ? " (what your gift cards paid is back on them)" : ""}. It can take a few days to show. We are sorry.`,
    },
    "return.approved": {
      subject: `Return for order ${orderId} approved`,
      title: "Your return is approved",
      intro: text(data.note) || "Please send the items back in their original packaging, with a copy of this email.",
    },
    "return.rejected": {
      subject: `Return for order ${orderId}`,
      title: "We could not accept your return",
      intro: text(data.note) || "Please reply to this email if you have questions.",
    },
    "return.received": {
      subject: `Return for order ${orderId} received`,
      title: "We received your return",
      intro: "Your items arrived back with us. Your refund follows shortly.",
    },
  };
  const c = copy[type];
  const action =
    type === "order.shipped"
      ? { href: trackingUrl || `${link}#tracking`, label: "Track your parcel" }
      : type === "order.received" && order.status === "pending_payment" && order.paymentUrl
        ? { href: order.paymentUrl, label: "Complete your payment" }
        : { href: link, label: "View your order" };
  return {
    subject: c.subject,
    html: await html(
      <Frame shop={shop} title={c.title}>
        <p>{c.intro}</p>
        <Lines order={order} locale={locale} />
        <p>
          <a href={action.href}>{action.label}</a>
        </p>
        {action.href !== link ? (
          <p style="font-size:.85rem">
            <a href={link}>View your order</a>
          </p>
        ) : null}
      </Frame>,
    ),
    text: `${c.title}\n\n${c.intro}\n\n${textLines(order, locale)}\n\n${action.label}: ${action.href}\n${action.href !== link ? `View your order: ${link}\n` : ""}`,
  };
}
