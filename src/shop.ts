import type { Bindings } from "./env";
import type { Shop } from "./views/layout";

/** Shop settings from the environment. */
export function shopOf(env: Bindings): Shop {
  return {
    name: env.SHOP_NAME,
    locale: env.SHOP_LOCALE,
    currency: env.SHOP_CURRENCY,
    baseUrl: env.PUBLIC_BASE_URL,
  };
}
