// `npm run lighthouse [-- <base URL>]`: Lighthouse (mobile) on the product, category, search and cart pages
// of a running shop (`npm start`). Each page is requested once first, so the run measures a warm shop
// (second load); the browser profile is fresh each time. Uses Debian's Chromium; npx fetches Lighthouse.
import { execFileSync } from "node:child_process";

const base = process.argv[2] ?? `http://localhost:${process.env.PORT ?? 8787}`;
// wrangler dev's proxy may close an idle keep-alive socket: one retry.
const get = (url) => fetch(url).catch(() => fetch(url));
const json = async (path) => (await get(base + path)).json();

const product = (await json("/api/products?limit=1&sort=newest")).items[0];
const category = (await json("/api/categories")).items.find((c) => c.parentId === null && c.productCount > 0);
const word = product.title.split(/\s+/).find((w) => w.length >= 5) ?? product.title;
const pages = [
  ["product", `/p/${product.slug}`],
  ["category", `/c/${category.slug}`],
  ["search", `/search?q=${encodeURIComponent(word.toLowerCase())}`],
  ["cart", "/cart"],
];

const rows = [];
for (const [name, path] of pages) {
  await get(base + path).then((r) => r.arrayBuffer());
  const out = execFileSync(
    "npx",
    [
      "--yes",
      "lighthouse@13",
      base + path,
      "--form-factor=mobile",
      "--output=json",
      "--quiet",
      "--only-categories=performance,accessibility,best-practices,seo",
      "--chrome-flags=--headless --no-sandbox",
    ],
    { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, env: { ...process.env, CHROME_PATH: process.env.CHROME_PATH ?? "/usr/bin/chromium" } },
  );
  const report = JSON.parse(out);
  const score = (id) => Math.round((report.categories[id]?.score ?? 0) * 100);
  const lcp = report.audits["largest-contentful-paint"].numericValue / 1000;
  const cls = report.audits["cumulative-layout-shift"].numericValue;
  rows.push([
    name,
    path,
    score("performance"),
    score("accessibility"),
    score("best-practices"),
    score("seo"),
    lcp.toFixed(2),
    cls.toFixed(3),
  ]);
  const failing = Object.values(report.audits).filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode === "binary");
  if (failing.length) process.stdout.write(`${name}: ${failing.map((a) => a.id).join(", ")}\n`);
}
console.log("| page | path | performance | accessibility | best practices | SEO | LCP s | CLS |");
console.log("| --- | --- | --- | --- | --- | --- | --- | --- |");
for (const r of rows) console.log(`| ${r.join(" | ")} |`);
