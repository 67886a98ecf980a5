import { DurableObject } from "cloudflare:workers";
import type { Bindings } from "../src/env";

/** One SKU's stock and reservations; filled in by the carts and inventory work. */
export class InventoryDurableObject extends DurableObject<Bindings> {}
