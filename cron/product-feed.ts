import { sql } from "drizzle-orm";
import { createDb } from "../src/db";
import { toDecimalString } from "../src/money";
import type { Job } from "./job";

const MAX_PRODUCTS = 50_000;

const xml = (s: string) =>
  s
    .replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c] as string)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "");

/** R2 keys of the generated files, served at /feeds/google.xml and /sitemap.xml. */
export const FEED_KEYS = { google: "feeds/google.xml", sitemap: "feeds/sitemap.xml" } as const;

interface Row {
  id: number;
  slug: string;
  title: string;
  description: string;
  brand: string | null;
  updated_at: number;
  price: number;
  currency: string;
  sku: string;
  gtin: string | null;
  in_stock: number;
  image: string | null;
}

/** Google Merchant Center feed (g: namespace) and sitemap.xml, written to R2. */
export const productFeed: Job = {
  name: "product-feed-sitemap",
  async run(env) {
    const db = createDb(env.DB);
    const base = env.PUBLIC_BASE_URL;
    const url = (path: string) => xml(new URL(path, base).toString());
    const products = await db.all<Row>(sql`
      select p.id, p.slug, p.title, p.description, p.brand, p.updated_at,
        v.price_amount as price, v.currency, v.sku, v.gtin,
        exists(select 1 from variants v2 join stock_levels s on s.sku = v2.sku where v2.product_id = p.id and s.available > 0) as in_stock,
        (select media_key from product_media m where m.product_id = p.id order by m.position, m.id limit 1) as image
      from products p join variants v on v.id = (select id from variants where product_id = p.id order by price_amount, id limit 1)
      where p.status = 'published' order by p.id limit ${MAX_PRODUCTS}`);
    const categories = await db.all<{ slug: string; updated_at: number }>(
      sql`select slug, updated_at from categories order by position, id`,
    );
    const items = products.map((p) =>
      [
        "<item>",
        `<g:id>${xml(p.sku)}</g:id>`,
        `<g:title>${xml(p.title)}</g:title>`,
        `<g:description>${xml(p.description.slice(0, 5000))}</g:description>`,
        `<g:link>${url(`/p/${p.slug}`)}</g:link>`,
        p.image ? `<g:image_link>${url(`/media/${p.image}?w=1280&format=jpeg`)}</g:image_link>` : "",
        `<g:availability>${p.in_stock ? "in_stock" : "out_of_stock"}</g:availability>`,
        `<g:price>${toDecimalString({ amount: p.price, currency: p.currency })} ${xml(p.currency)}</g:price>`,
        `<g:condition>new</g:condition>`,
        p.brand ? `<g:brand>${xml(p.brand)}</g:brand>` : "",
        p.gtin ? `<g:gtin>${xml(p.gtin)}</g:gtin>` : `<g:mpn>${xml(p.sku)}</g:mpn>`,
        p.gtin || p.brand ? "" : "<g:identifier_exists>no</g:identifier_exists>",
        "</item>",
      ].join(""),
    );
    const feed = `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:g="http://base.google.com/ns/1.0"><channel><title>${xml(env.SHOP_NAME)}</title><link>${url("/")}</link><description>${xml(env.SHOP_NAME)} products</description>\n${items.join("\n")}\n</channel></rss>\n`;
    const lastmod = (t: number) => new Date(t).toISOString().slice(0, 10);
    const urls = [
      `<url><loc>${url("/")}</loc></url>`,
      ...categories.map((c) => `<url><loc>${url(`/c/${c.slug}`)}</loc><lastmod>${lastmod(c.updated_at)}</lastmod></url>`),
      ...products.map((p) => `<url><loc>${url(`/p/${p.slug}`)}</loc><lastmod>${lastmod(p.updated_at)}</lastmod></url>`),
    ];
    const sitemap = `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join("\n")}\n</urlset>\n`;
    await Promise.all([
      env.MEDIA.put(FEED_KEYS.google, feed, { httpMetadata: { contentType: "application/xml; charset=utf-8" } }),
      env.MEDIA.put(FEED_KEYS.sitemap, sitemap, { httpMetadata: { contentType: "application/xml; charset=utf-8" } }),
    ]);
    return { items: products.length, errors: 0, detail: { products: products.length, urls: urls.length } };
  },
};
