import { configOf } from "../config";
import type { Db } from "../db";
import { feedCategories, feedProducts } from "../db/catalog-store";
import { INFO_PAGE_SLUGS } from "../domain/info-pages";
import { toDecimalString } from "../domain/money";
import type { Bindings } from "../env";

/** R2 keys of the generated files, served at /feeds/google.xml and /sitemap.xml. */
export const FEED_KEYS = { google: "feeds/google.xml", sitemap: "feeds/sitemap.xml" } as const;

const MAX_PRODUCTS = 50_000;

/** Text safe inside XML: escaped markup characters, and no characters XML 1.0 forbids. */
export const xmlText = (s: string) =>
  s
    .replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c] as string)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]/gu, "");

/** Writes the Google Merchant Center feed (g: namespace) and sitemap.xml to R2; returns what they list. */
export async function writeFeeds(env: Bindings, db: Db): Promise<{ products: number; urls: number }> {
  const config = configOf(env);
  const url = (path: string) => xmlText(new URL(path, config.publicBaseUrl).toString());
  const [products, categories] = await Promise.all([feedProducts(db, MAX_PRODUCTS), feedCategories(db)]);
  const items = products.map((p) =>
    [
      "<item>",
      `<g:id>${xmlText(p.sku)}</g:id>`,
      `<g:title>${xmlText(p.title)}</g:title>`,
      `<g:description>${xmlText(p.description.slice(0, 5000))}</g:description>`,
      `<g:link>${url(`/p/${p.slug}`)}</g:link>`,
      p.image ? `<g:image_link>${url(`/media/${p.image}?w=1280&format=jpeg`)}</g:image_link>` : "",
      `<g:availability>${p.inStock ? "in_stock" : "out_of_stock"}</g:availability>`,
      `<g:price>${toDecimalString({ amount: p.price, currency: p.currency })} ${xmlText(p.currency)}</g:price>`,
      "<g:condition>new</g:condition>",
      p.brand ? `<g:brand>${xmlText(p.brand)}</g:brand>` : "",
      p.gtin ? `<g:gtin>${xmlText(p.gtin)}</g:gtin>` : `<g:mpn>${xmlText(p.sku)}</g:mpn>`,
      p.gtin || p.brand ? "" : "<g:identifier_exists>no</g:identifier_exists>",
      "</item>",
    ].join(""),
  );
  const name = xmlText(config.shopName);
  const feed = `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:g="http://base.google.com/ns/1.0"><channel><title>${name}</title><link>${url("/")}</link><description>${name} products</description>\n${items.join("\n")}\n</channel></rss>\n`;
  const lastmod = (t: Date) => t.toISOString().slice(0, 10);
  const urls = [
    `<url><loc>${url("/")}</loc></url>`,
    ...categories.map((c) => `<url><loc>${url(`/c/${c.slug}`)}</loc><lastmod>${lastmod(c.updatedAt)}</lastmod></url>`),
    ...products.map((p) => `<url><loc>${url(`/p/${p.slug}`)}</loc><lastmod>${lastmod(p.updatedAt)}</lastmod></url>`),
    ...INFO_PAGE_SLUGS.map((slug) => `<url><loc>${url(`/pages/${slug}`)}</loc></url>`),
  ];
  const sitemap = `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join("\n")}\n</urlset>\n`;
  const xml = { httpMetadata: { contentType: "application/xml; charset=utf-8" } };
  await Promise.all([env.MEDIA.put(FEED_KEYS.google, feed, xml), env.MEDIA.put(FEED_KEYS.sitemap, sitemap, xml)]);
  return { products: products.length, urls: urls.length };
}
