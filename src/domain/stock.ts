/** Up to this many units, shoppers see the exact count ("Only 3 left"). */
export const LOW_STOCK_MAX = 5;

export type StockStatus = "in_stock" | "low_stock" | "out_of_stock";

/** What a shopper is shown for a quantity; cached pages change only when this changes. */
export interface StockDisplay {
  status: StockStatus;
  quantity?: number;
}

/** The displayed stock state of `available` units. */
export function stockDisplay(available: number): StockDisplay {
  if (available <= 0) return { status: "out_of_stock" };
  if (available <= LOW_STOCK_MAX) return { status: "low_stock", quantity: available };
  return { status: "in_stock" };
}

/** Whether two quantities display differently. */
export function displayChanged(before: number, after: number): boolean {
  const a = stockDisplay(before);
  const b = stockDisplay(after);
  return a.status !== b.status || a.quantity !== b.quantity;
}
