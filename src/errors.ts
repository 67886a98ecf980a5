/** What kind of failure an error is; the HTTP layer alone decides what status each kind gets. */
export type ErrorKind =
  | "invalid"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "too_large"
  | "unsupported"
  | "unprocessable"
  | "rate_limited"
  | "unavailable"
  | "misconfigured"
  | "internal";

/** One field-level validation failure. */
export interface FieldError {
  field: string;
  in: "query" | "param" | "json" | "form" | "header" | "body";
  message: string;
}

/** A failure a caller can act on: a kind, a stable snake_case code, a sentence, optional details. */
export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
    readonly errors?: FieldError[],
  ) {
    super(detail);
    this.name = "DomainError";
  }
}

/** A missing resource. */
export const notFound = (what: string, id?: string | number) =>
  new DomainError("not_found", "not_found", id === undefined ? `${what} not found.` : `${what} '${id}' not found.`);

/** Input that parsed but makes no sense. */
export const invalid = (code: string, detail: string, errors?: FieldError[], extra: Record<string, unknown> = {}) =>
  new DomainError("invalid", code, detail, extra, errors);

/** A write that collides with existing state. */
export const conflict = (code: string, detail: string, extra: Record<string, unknown> = {}) =>
  new DomainError("conflict", code, detail, extra);

/** Credentials missing or wrong. */
export const unauthorized = (detail = "Send 'Authorization: Bearer <token>'.") => new DomainError("unauthorized", "unauthorized", detail);

/** Valid credentials without the right. */
export const forbidden = (detail: string, code = "forbidden") => new DomainError("forbidden", code, detail);

/** Too many attempts; `retryAfter` seconds until the next may succeed (sent as Retry-After). */
export const rateLimited = (detail: string, retryAfter: number) => new DomainError("rate_limited", "rate_limited", detail, { retryAfter });

/** A body larger than allowed. */
export const tooLarge = (detail: string) => new DomainError("too_large", "payload_too_large", detail);

/** Content of a type the operation does not take. */
export const unsupported = (code: string, detail: string) => new DomainError("unsupported", code, detail);

/** The deployment lacks (or has a malformed) setting an operation needs. */
export const misconfigured = (setting: string, problem = "missing") =>
  new DomainError("misconfigured", "misconfigured", `The server's '${setting}' setting is ${problem}.`, { setting });

/** A dependency that did not answer (a provider, a binding); worth retrying later. */
export const unavailable = (code: string, detail: string) => new DomainError("unavailable", code, detail);

/** The column a UNIQUE constraint failure names (`products.slug`), if `err` is one. */
export function uniqueViolation(err: unknown): string | undefined {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    const match = /UNIQUE constraint failed: ([\w.]+)/.exec(e.message);
    if (match) return match[1];
  }
  return undefined;
}
