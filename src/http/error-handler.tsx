import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { configOf } from "../config";
import type { CategoryView } from "../domain/catalog";
import type { Shop } from "../domain/shop";
import type { AppEnv } from "../env";
import { DomainError, type ErrorKind } from "../errors";
import { log } from "../log";
import { shopCategories } from "../routes/catalog-data";
import { stylesheetUrl } from "../views/assets";
import { renderDocument } from "../views/document";
import { ShopperErrorPage } from "../views/pages/error";

/** The one place where kinds of failure become HTTP statuses. */
export const STATUS_OF: Record<ErrorKind, ContentfulStatusCode> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported: 415,
  unprocessable: 422,
  rate_limited: 429,
  unavailable: 503,
  misconfigured: 503,
  internal: 500,
};

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  416: "Range Not Satisfiable",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

const KIND_OF_STATUS: Record<number, ErrorKind> = {
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  413: "too_large",
  415: "unsupported",
};

const MACHINE_PREFIXES = ["/api/", "/admin/api/", "/webhooks/", "/media/"];

function wantsHtml(c: Context<AppEnv>): boolean {
  const path = c.req.path;
  if (MACHINE_PREFIXES.some((p) => path.startsWith(p))) return false;
  return (c.req.header("Accept") ?? "").includes("text/html");
}

function toDomainError(err: unknown, c: Context<AppEnv>): { error: DomainError; status: ContentfulStatusCode } {
  if (err instanceof DomainError) return { error: err, status: STATUS_OF[err.kind] };
  if (err instanceof HTTPException && err.status < 500) {
    const kind = KIND_OF_STATUS[err.status] ?? "invalid";
    const code = err.status === 413 ? "payload_too_large" : err.status === 403 ? "forbidden" : "invalid_request";
    return {
      error: new DomainError(kind, code, err.message || "The request could not be processed."),
      status: err.status as ContentfulStatusCode,
    };
  }
  log.error("request.failed", { requestId: c.get("requestId"), method: c.req.method, path: c.req.path, error: err });
  return {
    error: new DomainError("internal", "internal", "Something went wrong on our side. Quote the request id if you contact us."),
    status: 500,
  };
}

/** The problem+json (RFC 9457) document for an error. */
export function problemBody(err: DomainError, status: number, instance: string, requestId?: string) {
  return {
    type: `urn:edgefront:problem:${err.code}`,
    title: TITLES[status] ?? "Error",
    status,
    detail: err.detail,
    code: err.code,
    instance,
    ...(requestId ? { requestId } : {}),
    ...(err.errors ? { errors: err.errors } : {}),
    ...err.extra,
  };
}

function ErrorPage(props: { title: string; detail: string; requestId?: string; admin?: boolean }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{props.title}</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href={stylesheetUrl("store")} />
      </head>
      <body>
        <main id="main">
          <h1>{props.title}</h1>
          <p>{props.detail}</p>
          <p>{props.admin ? <a href="/admin">Back to the admin</a> : <a href="/">Back to the shop</a>}</p>
          {props.requestId ? <p class="muted">Request id: {props.requestId}</p> : null}
        </main>
      </body>
    </html>
  );
}

/** How long a shopper's error page waits for the category list before it renders without one. */
const CATEGORIES_WAIT_MS = 1_000;

/** A setting, or `fallback` when it is malformed (the failure being reported may be exactly that). */
function settingOr<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch {
    return fallback;
  }
}

function shopForErrors(c: Context<AppEnv>): Shop {
  const config = configOf(c.env);
  return {
    name: settingOr(() => config.shopName, "Shop"),
    locale: settingOr(() => config.shopLocale, "en-US"),
    currency: settingOr(() => config.shopCurrency, "USD"),
    baseUrl: settingOr(() => config.publicBaseUrl, new URL(c.req.url).origin),
  };
}

/** The shop's categories from the versioned cache (D1 on a miss); none if that fails or takes too long. */
async function categoriesForErrors(c: Context<AppEnv>): Promise<CategoryView[]> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<CategoryView[]>((resolve) => {
    timer = setTimeout(() => resolve([]), CATEGORIES_WAIT_MS);
  });
  try {
    return await Promise.race([shopCategories(c), late]);
  } catch (err) {
    log.warn("error_page.categories_failed", { requestId: c.get("requestId"), error: err });
    return [];
  } finally {
    clearTimeout(timer);
  }
}

/** The shopper's error page: plain words, a search box and the main categories; never internal detail. */
async function shopperErrorHtml(c: Context<AppEnv>, error: DomainError, status: number, requestId: string): Promise<string> {
  const path = /^\/(?!\/)/.test(c.req.path) ? c.req.path : "/";
  try {
    const page = (
      <ShopperErrorPage
        shop={shopForErrors(c)}
        categories={await categoriesForErrors(c)}
        status={status}
        path={path}
        detail={status === 404 || status >= 500 ? undefined : error.detail}
        requestId={status >= 500 ? requestId : undefined}
      />
    );
    return await renderDocument(page);
  } catch (err) {
    log.error("error_page.render_failed", { requestId, error: err });
    const title = status === 404 ? "Page not found" : "Something went wrong";
    const detail = status === 404 ? "We can't find that page." : "Something went wrong on our side. Please try again in a moment.";
    return renderDocument(<ErrorPage title={title} detail={detail} requestId={status >= 500 ? requestId : undefined} />);
  }
}

/** The one error handler: problem+json for clients, an HTML page for browsers (shoppers' own, or the admin's). */
export async function handleError(err: unknown, c: Context<AppEnv>): Promise<Response> {
  const { error, status } = toDomainError(err, c);
  const requestId = c.get("requestId");
  const headers: Record<string, string> = { "Cache-Control": "no-store" };
  const retryAfter = error.extra.retryAfter;
  if (typeof retryAfter === "number") headers["Retry-After"] = String(retryAfter);
  if (wantsHtml(c)) {
    if (!c.req.path.startsWith("/admin")) return c.html(await shopperErrorHtml(c, error, status, requestId), status, headers);
    const title =
      status === 404 ? "Page not found" : status === 403 ? "Not allowed" : status >= 500 ? "Something went wrong" : "Bad request";
    const html = await renderDocument(<ErrorPage title={title} detail={error.detail} requestId={requestId} admin />);
    return c.html(html, status, headers);
  }
  return c.body(JSON.stringify(problemBody(error, status, c.req.path, requestId)), status, {
    ...headers,
    "Content-Type": "application/problem+json",
  });
}
