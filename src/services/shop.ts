import { configOf } from "../config";
import type { Shop } from "../domain/shop";
import type { Bindings } from "../env";

/** Shop settings from the environment. */
export function shopOf(env: Bindings): Shop {
  const config = configOf(env);
  return { name: config.shopName, locale: config.shopLocale, currency: config.shopCurrency, baseUrl: config.publicBaseUrl };
}
