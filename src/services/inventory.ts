import type { Bindings } from "../env";

/** The SKU's inventory object. */
export const inventoryOf = (env: Bindings, sku: string) => env.INVENTORY.getByName(sku);
