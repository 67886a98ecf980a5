import type { ContentfulStatusCode } from "hono/utils/http-status";

/** One field-level validation failure. */
export interface FieldError {
  field: string;
  in: "query" | "param" | "json" | "form" | "header" | "body";
  message: string;
}

/** A failure a client can act on; rendered as RFC 9457 problem+json by the app's error handler. */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: ContentfulStatusCode,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
    readonly errors?: FieldError[],
  ) {
    super(detail);
    this.name = "AppError";
  }
}

/** 404 for a missing resource. */
export const notFound = (what: string, id?: string | number) =>
  new AppError("not_found", 404, id === undefined ? `${what} not found.` : `${what} '${id}' not found.`);

/** 400 for input that parsed but makes no sense. */
export const badRequest = (code: string, detail: string, errors?: FieldError[]) => new AppError(code, 400, detail, {}, errors);

/** 409 for a write that collides with existing state. */
export const conflict = (code: string, detail: string, extra: Record<string, unknown> = {}) => new AppError(code, 409, detail, extra);

/** 401 when credentials are missing or wrong. */
export const unauthorized = (detail = "Send 'Authorization: Bearer <token>'.") => new AppError("unauthorized", 401, detail);

/** 403 when the credentials are valid but lack the role. */
export const forbidden = (detail: string) => new AppError("forbidden", 403, detail);

/** 503 when the deployment lacks configuration a route needs (a missing secret). */
export const misconfigured = (setting: string) => new AppError("misconfigured", 503, `The server is missing the '${setting}' setting.`);

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

/** The problem+json document for an error. */
export function problemBody(err: AppError, instance: string, requestId?: string) {
  return {
    type: `urn:edgefront:problem:${err.code}`,
    title: TITLES[err.status] ?? "Error",
    status: err.status,
    detail: err.detail,
    code: err.code,
    instance,
    ...(requestId ? { requestId } : {}),
    ...(err.errors ? { errors: err.errors } : {}),
    ...err.extra,
  };
}

/** The column a UNIQUE constraint failure names (`products.slug`), if `err` is one. */
export function uniqueViolation(err: unknown): string | undefined {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    const match = /UNIQUE constraint failed: ([\w.]+)/.exec(e.message);
    if (match) return match[1];
  }
  return undefined;
}
