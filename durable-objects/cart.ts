import { DurableObject } from "cloudflare:workers";
import type { Bindings } from "../src/env";

/** One shopper's cart (lines, totals, expiry); filled in by the carts and checkout work. */
export class CartDurableObject extends DurableObject<Bindings> {}
