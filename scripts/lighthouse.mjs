// `npm run lighthouse [-- <base URL>]`: Lighthouse (mobile) on the product, category, search and cart pages
// of a running shop (`npm start`). Each page and every picture it shows are requested once first, so the
// runs measure a warm shop (second load: rendered views and resized pictures cached) with a fresh browser
// profile each time. Each page runs RUNS times (default 3); the median run by performance is reported.
// Uses Debian's Chromium; npx fetches Lighthouse.
import { execFileSync } from "node:child_process";

const base = process.argv[2] ?? `http://localhost:${process.env.PORT ?? 8787}`;
// wrangler dev's proxy may close an idle keep-alive socket: one retry.
const get = (url, init) => fetch(url, init).catch(() => fetch(url, init));
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

const RUNS = Number(process.env.RUNS ?? 3);
// What Chromium asks for, so the pictures warmed are the variants it will be sent.
const IMAGE_ACCEPT = "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8";

/** Requests a page, then every picture its HTML and Link header name (src, srcset candidates, preloads). */
async function warm(path) {
  const res = await get(base + path);
  const html = await res.text();
  const urls = new Set();
  for (const [, src] of html.matchAll(/\ssrc="(\/media\/[^"]+)"/g)) urls.add(src);
  for (const [, set] of html.matchAll(/\ssrcset="([^"]+)"/g)) for (const part of set.split(",")) urls.add(part.trim().split(/\s+/)[0]);
  for (const [, href] of (res.headers.get("Link") ?? "").matchAll(/<([^>]+)>/g)) urls.add(href);
  for (const url of [...urls].filter((u) => u.startsWith("/media/"))) {
    await get(base + url.replaceAll("&amp;", "&"), { headers: { Accept: IMAGE_ACCEPT } }).then((r) => r.arrayBuffer());
  }
}

/** One Lighthouse run of a page: the parsed report. */
function lighthouse(path) {
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
  return JSON.parse(out);
}

const rows = [];
for (const [name, path] of pages) {
  await warm(path);
  const reports = [];
  for (let i = 0; i < RUNS; i++) reports.push(lighthouse(path));
  const perfScore = (r) => r.categories.performance?.score ?? 0;
  const ordered = [...reports].sort((a, b) => perfScore(a) - perfScore(b));
  const report = ordered[Math.floor(ordered.length / 2)];
  const score = (id) => Math.round((report.categories[id]?.score ?? 0) * 100);
  const range = `${Math.round(perfScore(ordered[0]) * 100)}–${Math.round(perfScore(ordered[ordered.length - 1]) * 100)}`;
  const lcp = report.audits["largest-contentful-paint"].numericValue / 1000;
  const cls = report.audits["cumulative-layout-shift"].numericValue;
  const tbt = report.audits["total-blocking-time"].numericValue;
  rows.push([
    name,
    path,
    `${score("performance")} (${range})`,
    score("accessibility"),
    score("best-practices"),
    score("seo"),
    lcp.toFixed(2),
    tbt.toFixed(0),
    cls.toFixed(3),
  ]);
  const failing = Object.values(report.audits).filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode === "binary");
  if (failing.length) process.stdout.write(`${name}: ${failing.map((a) => a.id).join(", ")}\n`);
}
console.log(`| page | path | performance (median of ${RUNS}, range) | accessibility | best practices | SEO | LCP s | TBT ms | CLS |`);
console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
for (const r of rows) console.log(`| ${r.join(" | ")} |`);
