import { ADMIN_JS } from "./scripts/admin";
import { CHECKOUT_JS } from "./scripts/checkout";
import { ORDER_STATUS_JS } from "./scripts/order-status";
import { STORE_JS } from "./scripts/store";

/** A short, stable fingerprint of a script's text (FNV-1a), so its URL changes when it does. */
function fingerprint(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36);
}

const SOURCES = { checkout: CHECKOUT_JS, "order-status": ORDER_STATUS_JS, admin: ADMIN_JS, store: STORE_JS } as const;

export type ScriptName = keyof typeof SOURCES;

/** Every browser script with its fingerprinted file name (`checkout.1a2b3c.js`). */
export const SCRIPTS: ReadonlyMap<string, { name: ScriptName; source: string }> = new Map(
  (Object.entries(SOURCES) as [ScriptName, string][]).map(([name, source]) => [`${name}.${fingerprint(source)}.js`, { name, source }]),
);

/** The URL of a browser script (served from /assets/, same origin, so the CSP allows only 'self'). */
export function scriptUrl(name: ScriptName): string {
  for (const [file, script] of SCRIPTS) if (script.name === name) return `/assets/${file}`;
  throw new Error(`no script ${name}`);
}
