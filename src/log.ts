/** Fields of a log line; values are redacted by key when they could hold secrets or personal data. */
export type LogFields = Record<string, unknown>;

type Level = "debug" | "info" | "warn" | "error";

/** Keys whose values never reach a log line. */
const REDACTED_KEYS =
  /^(email|recipient|name|phone|address|shippingaddress|line1|line2|postalcode|token|ordertoken|password|secret|authorization|cookie|apikey|sig|signature|clientsecret)$/i;
const EMAIL = /[^\s@"'<>]+@[^\s@"'<>]+\.[^\s@"'<>]+/g;
const MAX_STRING = 500;

/** An error's name and message with email addresses removed (drivers may echo bound values). */
export function describeError(err: unknown): { name: string; message: string } {
  const name = err instanceof Error ? err.name : "Error";
  const raw = err instanceof Error ? err.message : String(err);
  return { name, message: scrub(raw) };
}

function scrub(text: string): string {
  return text.replace(EMAIL, "[email]").slice(0, MAX_STRING);
}

function clean(value: unknown, depth: number): unknown {
  if (value instanceof Error) return describeError(value);
  if (typeof value === "string") return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value.replace(EMAIL, "[email]");
  if (value === null || typeof value !== "object") return value;
  if (depth > 3) return "[…]";
  if (Array.isArray(value)) return value.slice(0, 20).map((v) => clean(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = REDACTED_KEYS.test(k) ? "[redacted]" : clean(v, depth + 1);
  return out;
}

function write(level: Level, event: string, fields: LogFields = {}) {
  const line = JSON.stringify({ level, event, at: new Date().toISOString(), ...(clean(fields, 0) as LogFields) });
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
