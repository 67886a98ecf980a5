export const EMAIL_TYPES = [
  "order.received",
  "order.confirmation",
  "order.shipped",
  "order.delivered",
  "order.refunded",
  "order.cancelled",
  "order.stock_lost",
  "return.approved",
  "return.rejected",
  "return.received",
  "cart.abandoned",
  "stock.low",
  "account.login",
  "review.published",
  "newsletter.confirm",
  "campaign",
  "gift_card.issued",
] as const;
export type EmailType = (typeof EMAIL_TYPES)[number];

/** Email types that are about one order (their data holds `orderId`). */
export const ORDER_EMAIL_TYPES: ReadonlySet<EmailType> = new Set(
  EMAIL_TYPES.filter((t) => t.startsWith("order.") || t.startsWith("return.")),
);
