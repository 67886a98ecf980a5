export const EMAIL_TYPES = [
  "order.confirmation",
  "order.shipped",
  "order.delivered",
  "order.refunded",
  "cart.abandoned",
  "stock.low",
] as const;
export type EmailType = (typeof EMAIL_TYPES)[number];

/** Email types that are about one order (their data holds `orderId`). */
export const ORDER_EMAIL_TYPES: ReadonlySet<EmailType> = new Set([
  "order.confirmation",
  "order.shipped",
  "order.delivered",
  "order.refunded",
]);
