import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { signedIn } from "../helpers/admin-session";
import { makeCategory, makeStockedProduct } from "../helpers/factories";
import { ADMIN, call } from "../helpers/worker";

/**
 * Every route of the app gets malformed input: wrong JSON types, a 2 MB body, JSON nested 10,000
 * deep, unicode and NUL bytes in bodies, paths and queries, bad ids, wrong methods and content types,
 * junk cookies; with and without the admin token. No answer may be a 5xx, and a rejected request
 * (4xx, or a form sent back with an error) may change nothing: row counts and the catalog version
 * are compared around every run of rejected requests. A fixed seed picks the cases, so a failure
 * reproduces.
 */

const SEED = 20261201;
const CASES_PER_ROUTE = 7;
const WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const TABLES = ["orders", "cart_index", "staff", "audit_log", "products", "notifications", "webhook_events", "job_runs"] as const;

/** mulberry32: a small seeded generator. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const deepObject = (depth: number) => `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
const deepArray = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;
const HUGE = JSON.stringify({ title: "x".repeat(2 * 1024 * 1024), items: [], email: "a@b.co" });

/** Values put where a path expects a parameter: junk, and well-formed ids of things that do not exist. */
const PARAMS = [
  "0x1",
  "%20%31",
  "1e0",
  "-1",
  "01",
  "%00",
  "__proto__",
  "constructor",
  "%F0%9F%92%A9%E2%80%AE",
  "%FF%FE",
  "a".repeat(600),
  "..%2F..%2Fetc",
  "null",
  "999999",
  "9007199254740993",
  "00000000-0000-4000-8000-000000000000",
  `ord_${"0".repeat(24)}`,
  "NO-SUCH-SKU",
  "0".repeat(64),
  "acme",
];

interface Case {
  name: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string | FormData;
  query?: string;
  pathSuffix?: string;
  admin: boolean;
  /** Sent with a real staff session cookie (an owner's) instead of a token. */
  session?: boolean;
}

const json = (body: string, admin = true): Partial<Case> => ({ headers: { "Content-Type": "application/json" }, body, admin });

/** The malformed inputs; each route gets a seeded handful of them. */
const CASES: Case[] = [
  { name: "nothing", admin: false },
  { name: "nothing, admin", admin: true },
  {
    name: "wrong JSON types",
    ...json('{"quantity":"9","sku":123,"email":[],"items":{},"title":null,"set":"1","price":{"amount":"1"}}'),
    admin: true,
  } as Case,
  { name: "JSON array", ...json("[]") } as Case,
  { name: "JSON null", ...json("null") } as Case,
  { name: "JSON string", ...json('"x"', false) } as Case,
  { name: "JSON number", ...json("1e309") } as Case,
  { name: "malformed JSON", ...json('{"a":') } as Case,
  { name: "2 MB JSON", ...json(HUGE) } as Case,
  { name: "2 MB JSON, no token", ...json(HUGE, false) } as Case,
  { name: "JSON object nested 10,000 deep", ...json(deepObject(10_000)) } as Case,
  { name: "JSON array nested 10,000 deep", ...json(deepArray(10_000), false) } as Case,
  {
    name: "unicode and NUL bytes",
    ...json(JSON.stringify({ title: "\u0000\ud800\uffff\u202e", slug: "a\u0000b", sku: "A\u0000", email: "\u0000@x.y", reason: "\udfff" })),
  } as Case,
  { name: "__proto__ keys", ...json('{"__proto__":{"admin":true},"constructor":{"prototype":{}}}') } as Case,
  { name: "JSON as text/plain", headers: { "Content-Type": "text/plain" }, body: '{"title":"x"}', admin: true },
  { name: "JSON without a content type", body: '{"title":"x"}', admin: true },
  { name: "multipart without a boundary", headers: { "Content-Type": "multipart/form-data" }, body: "--x\r\n\r\n", admin: true },
  {
    name: "broken form",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "https://shop.test" },
    body: "a=%ZZ&&=&quantity=&sku=%00&_csrf=x&qty:%00=1e9&email=%FF",
    admin: false,
  },
  {
    name: "broken form, admin",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: "title=&v_sku=%00&v_price=1e9&v_existing=1&v_remove=1&set=0x10&adjust=-0&rate=99.999&parentId=0x1&role=__proto__",
    admin: true,
  },
  {
    name: "junk query",
    query:
      "?page=0x1&limit=1e9&status=__proto__&from=2024-02-30&to=%00&q=%25%25%25&w=0x140&format=svg&deep=%00&token=%FF&sig=x&next=//evil",
    admin: true,
  },
  { name: "NUL and unicode in the path", pathSuffix: "%00%E2%80%AE", admin: true },
  { name: "junk cookies", headers: { Cookie: "cart=abc.def; admin_session=zzz; order=%FF; admin_flash=%%%" }, admin: false },
  {
    name: "forged cart cookie",
    headers: { Cookie: `cart=${encodeURIComponent("00000000-0000-4000-8000-000000000000.forged")}; admin_session=${"a".repeat(4000)}` },
    admin: false,
  },
  { name: "bad Range and If-None-Match", headers: { Range: "bytes=zz-", "If-None-Match": '"\u00ff\u00fe"' }, admin: false },
  { name: "wrong method", method: "WRONG", admin: true },
  { name: "wrong method, no token", method: "WRONG", admin: false },
  { name: "bad bearer", headers: { Authorization: "Bearer \u00ff \u00fe" }, admin: false },
  {
    name: "signed in, broken multipart",
    headers: { "Content-Type": "multipart/form-data" },
    body: "--x\r\n\r\n",
    admin: false,
    session: true,
  },
  {
    name: "signed in, junk form",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: "_csrf=%00&role=owner",
    admin: false,
    session: true,
  },
];

const OTHER_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/** A concrete path for a route pattern: each parameter (with or without its pattern) becomes a value. */
function pathFor(pattern: string, pick: () => string): string {
  return pattern
    .split("/")
    .map((segment) => (segment.startsWith(":") ? pick() : segment === "*" ? "x" : segment))
    .join("/");
}

type Snapshot = Record<string, number | string | null>;

async function snapshot(): Promise<Snapshot> {
  const results = await env.DB.batch(TABLES.map((t) => env.DB.prepare(`select count(*) as n from ${t}`)));
  const counts = Object.fromEntries(TABLES.map((t, i) => [t, (results[i]?.results[0] as { n: number } | undefined)?.n ?? -1]));
  return { ...counts, catalogVersion: await env.CATALOG_CACHE.get("catalog:version") };
}

/** A snapshot once background writes (cart index rows, stock projections) have settled: unchanged over 3 reads. */
async function settled(): Promise<Snapshot> {
  let last = await snapshot();
  let same = 0;
  for (let i = 0; i < 25 && same < 3; i++) {
    await new Promise((resolve) => setTimeout(resolve, 80));
    const next = await snapshot();
    same = JSON.stringify(next) === JSON.stringify(last) ? same + 1 : 0;
    last = next;
  }
  return last;
}

/** Whether a 3xx answer to a form is a refusal: the admin's forms leave an error flash. */
function flashIsError(res: Response): boolean {
  const m = /admin_flash=([^;]+)/.exec(res.headers.get("Set-Cookie") ?? "");
  if (!m?.[1]) return false;
  try {
    const text = new TextDecoder().decode(Uint8Array.from(atob(m[1].replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0)));
    return (JSON.parse(text) as { kind?: string }).kind === "error";
  } catch {
    return false;
  }
}

describe("fuzzing every route", () => {
  it("never answers 5xx, and rejected requests change nothing", async () => {
    // A little real data, so well-formed ids reach past validation into services.
    await makeCategory();
    await makeStockedProduct(3);
    const owner = await signedIn("owner");
    const routes = [...new Map(app.routes.filter((r) => r.method !== "ALL").map((r) => [`${r.method} ${r.path}`, r])).values()];
    expect(routes.length).toBeGreaterThan(100);

    const next = random(SEED);
    const pickOf = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)] as T;
    const serverErrors: string[] = [];
    const changedByRejected: string[] = [];
    let baseline = await settled();
    let rejectedSince: string[] = [];
    let sent = 0;

    const compare = async () => {
      if (!rejectedSince.length) return;
      const now = await snapshot();
      const changed = Object.keys(now).filter((k) => now[k] !== baseline[k]);
      if (changed.length) {
        changedByRejected.push(`${changed.map((k) => `${k} ${baseline[k]} → ${now[k]}`).join(", ")} after: ${rejectedSince.join(" | ")}`);
        baseline = await settled();
      }
      rejectedSince = [];
    };

    for (const route of routes) {
      // Always the plain request and the admin's; then a seeded sample of the rest.
      const cases = [CASES[0] as Case, CASES[1] as Case];
      while (cases.length < CASES_PER_ROUTE) {
        const c = pickOf(CASES.slice(2));
        if (!cases.includes(c)) cases.push(c);
      }
      for (const c of cases) {
        const method = c.method === "WRONG" ? pickOf(OTHER_METHODS.filter((m) => m !== route.method)) : route.method;
        const path = pathFor(route.path, () => pickOf(PARAMS)) + (c.pathSuffix ?? "") + (c.query ?? "");
        const headers: Record<string, string> = { Accept: next() < 0.5 ? "text/html" : "application/json", ...c.headers };
        if (c.admin) Object.assign(headers, ADMIN);
        if (c.session) headers.Cookie = owner.cookie;
        const hasBody = method !== "GET" && method !== "HEAD";
        const label = `${c.name}: ${method} ${path.slice(0, 160)}`;
        // A write may be accepted: check the rejected requests before it first.
        if (WRITES.has(method)) await compare();
        let res: Response;
        try {
          res = await call(path, { method, headers, body: hasBody ? c.body : undefined, redirect: "manual" });
        } catch (err) {
          serverErrors.push(`${label} threw ${String(err).slice(0, 300)}`);
          continue;
        }
        sent++;
        if (res.status >= 500) {
          serverErrors.push(`${label} → ${res.status} ${(await res.text()).slice(0, 300)}`);
          continue;
        }
        const refusedForm = res.status >= 300 && res.status < 400 && flashIsError(res);
        await res.body?.cancel();
        const accepted = WRITES.has(method) && res.status < 400 && !refusedForm;
        if (accepted) {
          // A legitimate change (a cart created, a product archived): compare from here on.
          baseline = await settled();
        } else {
          rejectedSince.push(`${label} → ${res.status}`);
        }
      }
      await compare();
    }

    expect(sent).toBeGreaterThan(routes.length * (CASES_PER_ROUTE - 1));
    expect({ serverErrors, changedByRejected }).toEqual({ serverErrors: [], changedByRejected: [] });
  }, 180_000);
});
