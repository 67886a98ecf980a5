import { configOf } from "./config";
import { TURNSTILE_ORIGIN } from "./domain/turnstile";
import { log } from "./log";

/** The site key when Turnstile is configured (site and secret key both set), else undefined. */
export function turnstileSiteKey(env: object): string | undefined {
  const config = configOf(env);
  return config.turnstileSiteKey && config.turnstileSecretKey ? config.turnstileSiteKey : undefined;
}

/** Asks Turnstile whether a widget's answer is good (once: answers are single-use); false on any failure. */
export async function verifyTurnstile(env: object, answer: unknown, clientAddress: string | undefined): Promise<boolean> {
  const secret = configOf(env).turnstileSecretKey;
  if (!secret || typeof answer !== "string" || !answer || answer.length > 2048) return false;
  const body = new FormData();
  body.set("secret", secret);
  body.set("response", answer);
  if (clientAddress) body.set("remoteip", clientAddress);
  try {
    const res = await fetch(`${TURNSTILE_ORIGIN}/turnstile/v0/siteverify`, { method: "POST", body });
    if (!res.ok) return false;
    const result = (await res.json()) as { success?: boolean; "error-codes"?: string[] };
    if (!result.success) log.warn("turnstile.refused", { codes: result["error-codes"] ?? [] });
    return result.success === true;
  } catch (err) {
    log.warn("turnstile.unavailable", { error: err });
    return false;
  }
}
