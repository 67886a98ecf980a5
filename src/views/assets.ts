import { ADMIN_JS } from "./scripts/admin";
import { CHECKOUT_JS } from "./scripts/checkout";
import { ORDER_STATUS_JS } from "./scripts/order-status";
import { STORE_JS } from "./scripts/store";
import { DOC_STYLES, STYLES } from "./styles";

/** A short, stable fingerprint of a file's text (FNV-1a), so its URL changes when it does. */
function fingerprint(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36);
}

const SCRIPT_SOURCES = { checkout: CHECKOUT_JS, "order-status": ORDER_STATUS_JS, admin: ADMIN_JS, store: STORE_JS } as const;
const STYLESHEET_SOURCES = { store: STYLES, docs: STYLES + DOC_STYLES } as const;

export type ScriptName = keyof typeof SCRIPT_SOURCES;
export type StylesheetName = keyof typeof STYLESHEET_SOURCES;

/** A file served from /assets/ under a fingerprinted name. */
export interface Asset {
  kind: "script" | "stylesheet";
  name: string;
  /** The fingerprinted file name. */
  file: string;
  type: string;
  source: string;
}

function register(kind: Asset["kind"], ext: string, type: string, sources: Record<string, string>): [string, Asset][] {
  return Object.entries(sources).map(([name, source]) => {
    const file = `${name}.${fingerprint(source)}.${ext}`;
    return [file, { kind, name, file, type, source }];
  });
}

/** Every browser script and stylesheet by its fingerprinted file name (`store.1a2b3c.js`, `store.4d5e6f.css`). */
export const ASSETS: ReadonlyMap<string, Asset> = new Map([
  ...register("script", "js", "text/javascript; charset=utf-8", SCRIPT_SOURCES),
  ...register("stylesheet", "css", "text/css; charset=utf-8", STYLESHEET_SOURCES),
]);

function assetOf(kind: Asset["kind"], name: string): Asset | undefined {
  for (const asset of ASSETS.values()) if (asset.kind === kind && asset.name === name) return asset;
  return undefined;
}

function urlOf(kind: Asset["kind"], name: string): string {
  const asset = assetOf(kind, name);
  if (!asset) throw new Error(`no ${kind} ${name}`);
  return `/assets/${asset.file}`;
}

/** The URL of a browser script (same origin, so the CSP allows only 'self'). */
export function scriptUrl(name: ScriptName): string {
  return urlOf("script", name);
}

/** The URL of a stylesheet (same origin; cached for a year under its fingerprint). */
export function stylesheetUrl(name: StylesheetName): string {
  return urlOf("stylesheet", name);
}

/** For a stylesheet file name of another build (a page cached before a deploy): this build's stylesheet of the same name. */
export function currentStylesheet(file: string): Asset | undefined {
  const name = /^([a-z]+)\.[0-9a-z]+\.css$/.exec(file)?.[1];
  return name ? assetOf("stylesheet", name) : undefined;
}

/** The `Link` header value that preloads a stylesheet (sent before the page, as an early hint where the platform does). */
export function stylesheetPreload(name: StylesheetName): string {
  return `<${stylesheetUrl(name)}>; rel=preload; as=style`;
}

/** The `Link` header value that preloads the shop's stylesheet. */
export const STYLESHEET_PRELOAD = stylesheetPreload("store");
