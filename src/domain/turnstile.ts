/** The origin Turnstile's widget script and frame come from (the only origin its pages add to the CSP). */
export const TURNSTILE_ORIGIN = "https://challenges.cloudflare.com";
/** The widget's script. */
export const TURNSTILE_SCRIPT = `${TURNSTILE_ORIGIN}/turnstile/v0/api.js`;
/** The form field the widget fills with its answer. */
export const TURNSTILE_FIELD = "cf-turnstile-response";
