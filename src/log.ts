/** Fields of a log line; values are redacted by key when they could hold secrets or personal data. */
export type LogFields = Record<string, unknown>;

type Level = "debug" | "info" | "warn" | "error";

/** Keys whose values never reach a log line. */
const REDACTED_KEYS =
  /^(email|recipient|name|phone|address|shippingaddress|line1|line2|postalcode|token|ordertoken|password|secret|authorization|cookie|apikey|sig|signature|clientsecret)$/i;
const EMAIL = /[^\s@"'<>]+@[^\s@"'<>]+\.[^\s@"'<>]+/g;
const MAX_STRING = 500;

/**
 * Values a database driver echoes into its messages: drizzle's `params: …` after a failed query, and
 * D1's "not supported for value '…'". Only the values go; the statement and the reason stay.
 */
const BOUND_VALUES: [RegExp, string][] = [
  [/(\bparams: )[\s\S]*?(?=\n\s+at |$)/g, "$1[redacted]"],
  [/(\bvalues? )'(?:[^'\\]|\\.)*'/g, "$1'[redacted]'"],
];

/** What a logged error shows of itself. */
export interface ErrorDescription {
  name: string;
  message: string;
  stack?: string;
  cause?: { name: string; message: string };
}

/**
 * An error's name, message, stack and cause (a driver's error wrapped by the ORM) with bound values
 * and email addresses removed.
 */
export function describeError(err: unknown): ErrorDescription {
  const name = err instanceof Error ? err.name : "Error";
  const message = scrub(err instanceof Error ? err.message : String(err));
  const stack = err instanceof Error && err.stack ? scrub(err.stack, 2000) : undefined;
  const described: ErrorDescription = stack ? { name, message, stack } : { name, message };
  if (err instanceof Error && err.cause !== undefined) {
    const cause = err.cause instanceof Error ? err.cause : new Error(String(err.cause));
    described.cause = { name: cause.name, message: scrub(cause.message) };
  }
  return described;
}

function scrub(text: string, max = MAX_STRING): string {
  let clean = text;
  for (const [pattern, replacement] of BOUND_VALUES) clean = clean.replace(pattern, replacement);
  clean = clean.replace(EMAIL, "[email]");
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

function clean(value: unknown, depth: number, withStack: boolean): unknown {
  if (value instanceof Error) {
    const { stack, ...described } = describeError(value);
    return withStack && stack ? { ...described, stack } : described;
  }
  if (typeof value === "string") return scrub(value);
  if (value === null || typeof value !== "object") return value;
  if (depth > 3) return "[…]";
  if (Array.isArray(value)) return value.slice(0, 20).map((v) => clean(v, depth + 1, withStack));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = REDACTED_KEYS.test(k) ? "[redacted]" : clean(v, depth + 1, withStack);
  return out;
}

function write(level: Level, event: string, fields: LogFields = {}) {
  // Stacks only for errors: warnings are expected outcomes (a retry later, a refused move).
  const line = JSON.stringify({ level, event, at: new Date().toISOString(), ...(clean(fields, 0, level === "error") as LogFields) });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}

/** The one structured logger: a JSON line per event, never secrets or personal data. */
export const log = {
  debug: (event: string, fields?: LogFields) => write("debug", event, fields),
  info: (event: string, fields?: LogFields) => write("info", event, fields),
  warn: (event: string, fields?: LogFields) => write("warn", event, fields),
  error: (event: string, fields?: LogFields) => write("error", event, fields),
};
