import type { Context } from "hono";
import type { CartView } from "../domain/cart";
import type { AppEnv } from "../env";
import type { DomainError } from "../errors";
import { requestDb } from "../request-db";
import { lineItemsFor } from "../services/pricing";

/** How a shopper knows an item: the product's title, and the variant's unless it is the only one. */
export const itemName = (item: { title: string; variantTitle: string }) =>
  item.variantTitle && item.variantTitle !== "Default" ? `${item.title} (${item.variantTitle})` : item.title;

/** Names of the SKUs a refusal mentions: from the cart, else the catalog; unknown ones are left out. */
async function namesOf(c: Context<AppEnv>, skus: string[], cart: CartView | null): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const line of cart?.lines ?? []) names.set(line.sku, itemName(line));
  const missing = skus.filter((sku) => !names.has(sku));
  if (missing.length) {
    const items = await lineItemsFor(requestDb(c), missing);
    for (const [sku, item] of Object.entries(items)) if (item) names.set(sku, itemName(item));
  }
  return names;
}

const quoted = (name: string | undefined, fallback: string) => (name ? `“${name}”` : fallback);

function stockText(items: { sku: string; available: number }[], names: Map<string, string>): string {
  if (!items.length) return "Some items don't have enough stock for the quantity you chose.";
  const parts = items.map(({ sku, available }) => {
    if (available <= 0) return `${quoted(names.get(sku), "This item")} is sold out.`;
    return `Only ${available} of ${quoted(names.get(sku), "this item")} ${available === 1 ? "is" : "are"} left.`;
  });
  return `${parts.join(" ")} Change the ${items.length === 1 ? "quantity" : "quantities"} and try again.`;
}

/**
 * The sentence the cart page shows for a refused cart change or checkout: product names, never SKUs
 * (API clients still get the SKUs in the problem document).
 */
export async function refusalText(c: Context<AppEnv>, err: DomainError, cart: CartView | null): Promise<string> {
  if (err.code === "insufficient_inventory") {
    const items = Array.isArray(err.extra.items) ? (err.extra.items as { sku: string; available: number }[]) : [];
    return stockText(
      items,
      await namesOf(
        c,
        items.map((i) => i.sku),
        cart,
      ),
    );
  }
  if (err.code === "item_unavailable") {
    const skus = Array.isArray(err.extra.skus) ? (err.extra.skus as string[]) : [];
    const names = await namesOf(c, skus, cart);
    const named = skus.map((sku) => names.get(sku)).filter((n): n is string => n !== undefined);
    if (!named.length) return "Some items are no longer for sale; remove them and try again.";
    const list = named.map((n) => `“${n}”`).join(", ");
    return `${list} ${named.length === 1 ? "is" : "are"} no longer for sale; remove ${named.length === 1 ? "it" : "them"} and try again.`;
  }
  if (err.code === "idempotency_in_progress") return "We're still placing your order. Wait a moment, then reload this page.";
  return err.detail;
}
