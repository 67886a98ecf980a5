import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Child } from "hono/jsx";
import { base64url, randomToken } from "../../crypto";
import { DECIMAL_ID_PATTERN } from "../../domain/ids";
import type { AppEnv } from "../../env";
import { DomainError, invalid, notFound } from "../../errors";
import { shopOf } from "../../services/shop";
import type { AdminContext } from "../../views/admin/layout";
import { renderDocument } from "../../views/document";

const FLASH_COOKIE = "admin_flash";

/** The Content-Security-Policy of admin pages: scripts and styles only with this response's nonce. */
export function adminPolicy(nonce: string, widgetOrigins: string[] = []): string {
  return [
    "default-src 'self'",
    "img-src 'self' data: blob:",
    `style-src 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    ...(widgetOrigins.length ? [`frame-src ${widgetOrigins.join(" ")}`] : []),
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** A fresh nonce for a response's scripts and styles. */
export const newNonce = () => randomToken(18);

function readFlash(c: Context<AppEnv>): AdminContext["flash"] {
  const raw = getCookie(c, FLASH_COOKIE);
  if (!raw) return undefined;
  deleteCookie(c, FLASH_COOKIE, { path: "/admin" });
  try {
    const parsed = JSON.parse(
      new TextDecoder().decode(Uint8Array.from(atob(raw.replace(/-/g, "+").replace(/_/g, "/")), (ch) => ch.charCodeAt(0))),
    );
    if ((parsed.kind === "ok" || parsed.kind === "error") && typeof parsed.text === "string")
      return { kind: parsed.kind, text: parsed.text.slice(0, 500) };
  } catch {
    // A cookie we did not write: ignore it.
  }
  return undefined;
}

/** The request's admin context (who, what they may do, the flash message left by the last action). */
export function adminContext(c: Context<AppEnv>): AdminContext {
  const principal = c.get("admin");
  if (!principal) throw new Error("admin pages run behind adminAuth");
  let nonce = c.get("nonce");
  if (!nonce) {
    nonce = newNonce();
    c.set("nonce", nonce);
  }
  return {
    shop: shopOf(c.env),
    path: c.req.path,
    nonce,
    csrf: principal.session?.csrf ?? "",
    actor: principal.actor,
    email: principal.email,
    role: principal.role,
    permissions: principal.permissions,
    owner: principal.owner,
    flash: c.req.method === "GET" ? readFlash(c) : undefined,
  };
}

/** Answers an admin page with its nonce-based CSP. */
export async function renderPage(
  c: Context<AppEnv>,
  ctx: AdminContext,
  page: Child,
  status: 200 | 400 | 401 | 403 | 404 | 409 | 422 | 429 = 200,
) {
  return c.html(await renderDocument(page), status, {
    "Content-Security-Policy": adminPolicy(ctx.nonce),
    "Cache-Control": "no-store",
  });
}

/** Redirects after a form (303), leaving a one-time message for the next page; an error one marks the request refused (not audited). */
export function redirectWith(c: Context<AppEnv>, location: string, text: string, kind: "ok" | "error" = "ok") {
  if (kind === "error") c.set("refused", true);
  const json = new TextEncoder().encode(JSON.stringify({ kind, text }));
  setCookie(c, FLASH_COOKIE, base64url(json), {
    path: "/admin",
    httpOnly: true,
    sameSite: "Strict",
    secure: new URL(c.req.url).protocol === "https:",
    maxAge: 60,
  });
  return c.redirect(location, 303);
}

/** Runs a form's action: success → back with `done`; a domain error → back with its sentence (nothing else is caught). */
export async function formAction(c: Context<AppEnv>, back: string, done: string, action: () => Promise<unknown>) {
  return formActionTo(c, back, action, () => ({ location: back, text: done }));
}

/**
 * Runs a form's action whose success page depends on its result: `then` turns the result into where
 * to go and what to say; a domain error goes back to `back` with its sentence.
 */
export async function formActionTo<T>(
  c: Context<AppEnv>,
  back: string,
  action: () => Promise<T>,
  then: (result: T) => { location: string; text: string },
) {
  let result: T;
  try {
    result = await action();
  } catch (err) {
    if (err instanceof DomainError && err.kind !== "internal" && err.kind !== "misconfigured") {
      c.set("refused", true);
      const fields = err.errors?.map((e) => `${e.field}: ${e.message}`).join("; ");
      return redirectWith(c, back, fields ? `${err.detail} (${fields})` : err.detail, "error");
    }
    throw err;
  }
  const next = then(result);
  return redirectWith(c, next.location, next.text);
}

/** The submitted form's fields (strings; files kept as File); a body that is not a readable form is a 400. */
export async function formOf(c: Context<AppEnv>): Promise<Record<string, string | File | (string | File)[]>> {
  try {
    return (await c.req.parseBody({ all: true })) as Record<string, string | File | (string | File)[]>;
  } catch {
    throw invalid("invalid_request", "The form could not be read.");
  }
}

/** One text field of a form (the first, trimmed; "" when missing or a file). */
export function text(form: Record<string, unknown>, name: string): string {
  const v = form[name];
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === "string" ? first.trim() : "";
}

/** Every value of a repeated text field. */
export function texts(form: Record<string, unknown>, name: string): string[] {
  const v = form[name];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === "string").map((s) => s.trim());
}

/** A positive id written in canonical decimal digits, else undefined (`0x1`, ` 1`, `1e0` and `01` are not ids). */
export const decimalId = (raw: string | undefined): number | undefined =>
  raw !== undefined && DECIMAL_ID_PATTERN.test(raw) ? Number(raw) : undefined;

/** The page number a list asks for (1 to 1000); one not written in plain digits is not a page. */
export function pageOf(c: Context<AppEnv>): number {
  const raw = c.req.query("page");
  if (!raw) return 1;
  const page = decimalId(raw);
  if (page === undefined) throw notFound("Page", raw.slice(0, 20));
  return Math.min(1000, page);
}

/** A trimmed query parameter, cut to `max` characters; undefined when empty. */
export const queryText = (c: Context<AppEnv>, name: string, max = 200) => c.req.query(name)?.trim().slice(0, max) || undefined;
