import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { expect, inject } from "vitest";

/** The running shop's base URL and admin token (from the global setup). */
export const shopUrl = () => inject("shopUrl");
export const adminToken = () => inject("adminToken");

let browser: Browser | undefined;

/** The one Chromium of this run (connected once per test file). */
export async function connect(): Promise<Browser> {
  browser ??= await chromium.connect(inject("browserEndpoint"));
  return browser;
}

/** A fresh browser context (its own cookies), desktop or phone-sized. */
export async function newContext(kind: "desktop" | "phone" = "desktop"): Promise<BrowserContext> {
  const b = await connect();
  return kind === "phone"
    ? b.newContext({ baseURL: shopUrl(), viewport: { width: 412, height: 915 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true })
    : b.newContext({ baseURL: shopUrl(), viewport: { width: 1280, height: 900 } });
}

/** Calls the admin API. */
export async function adminApi<T = unknown>(path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(`${shopUrl()}${path}`, {
    ...init,
    headers: { Authorization: `Bearer ${adminToken()}`, "Content-Type": "application/json", ...init.headers },
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<T>;
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** Runs axe-core in the page (through the DevTools protocol, so the page's CSP stays as it is) and fails on serious or critical violations. */
export async function expectAccessible(page: Page) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: {
          run: (
            ctx: Document,
            opts: unknown,
          ) => Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }>;
        };
      }
    ).axe;
    return axe.run(document, { resultTypes: ["violations"] });
  });
  const serious = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

/**
 * Fails when the page scrolls sideways (content wider than the window's width as set, which a phone
 * browser would otherwise widen its layout to), or when its stylesheet did not apply (an unstyled page proves nothing).
 */
export async function expectNoHorizontalScroll(page: Page) {
  const measured = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    bodyMargin: getComputedStyle(document.body).margin,
  }));
  const { scrollWidth, bodyMargin } = measured;
  const innerWidth = page.viewportSize()?.width ?? measured.innerWidth;
  expect(bodyMargin, `page ${page.url()} has no stylesheet applied`).toBe("0px");
  expect(scrollWidth, `page ${page.url()} is ${scrollWidth}px wide in a ${innerWidth}px window`).toBeLessThanOrEqual(innerWidth);
}
