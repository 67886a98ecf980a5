import { z } from "zod";
import { misconfigured } from "./errors";

/** Where a setting comes from: `[vars]` in wrangler.toml or a secret (`.dev.vars`, `wrangler secret put`). */
type Source = "var" | "secret";

interface Setting<S extends z.ZodType> {
  env: string;
  source: Source;
  /** A missing value fails the operation that reads it (503 `misconfigured`). */
  required: boolean;
  schema: S;
  doc: string;
}

const setting = <S extends z.ZodType>(env: string, source: Source, schema: S, doc: string, required = false): Setting<S> => ({
  env,
  source,
  required,
  schema,
  doc,
});

/** A whole number given as text (vars are strings), within bounds. */
const count = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, "must be a whole number of decimal digits")
    .transform(Number)
    .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

const secret = z.string().min(1, "must not be empty");
const url = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" });

/** Every variable and secret the Worker reads, with its rule and meaning (the README's table is checked against this). */
export const SETTINGS = {
  shopName: setting("SHOP_NAME", "var", z.string().trim().min(1).max(100).default("Edgefront"), "Shop name shown on pages and in emails."),
  shopCurrency: setting(
    "SHOP_CURRENCY",
    "var",
    z
      .string()
      .regex(/^[A-Z]{3}$/, "must be an ISO 4217 code such as USD")
      .default("USD"),
    "ISO 4217 currency of every price (prices are integer minor units).",
  ),
  shopLocale: setting(
    "SHOP_LOCALE",
    "var",
    z
      .string()
      .refine((tag) => {
        try {
          return Intl.getCanonicalLocales(tag).length === 1;
        } catch {
          return false;
        }
      }, "must be a BCP 47 locale such as en-US")
      .default("en-US"),
    "Locale for money and dates on pages and in emails.",
  ),
  publicBaseUrl: setting(
    "PUBLIC_BASE_URL",
    "var",
    url.default("http://localhost:8787"),
    "Absolute base URL for canonical links, emails, feeds and payment return URLs.",
  ),
  emailFrom: setting(
    "EMAIL_FROM",
    "var",
    z.string().min(3).max(200).optional(),
    "Sender of customer email, e.g. `Shop <orders@example.com>` (default: the shop name at orders@example.com).",
  ),
  emailLogLinks: setting(
    "EMAIL_LOG_LINKS",
    "var",
    z.enum(["hidden", "shown"]).default("hidden"),
    "`shown` keeps links (sign-in, order, restore) whole in the notification log: for a local shop, whose log is its inbox. Ignored unless PUBLIC_BASE_URL is on localhost.",
  ),
  staffEmail: setting("STAFF_EMAIL", "var", z.email("must be an email address").optional(), "Recipient of staff alerts (low stock)."),
  catalogVersionTtlMs: setting(
    "CATALOG_VERSION_TTL_MS",
    "var",
    count(0, 86_400_000).default(250),
    "How long an isolate reuses the catalog version it read (0 reads KV on every view).",
  ),
  cartTtlDays: setting("CART_TTL_DAYS", "var", count(1, 365).default(30), "Days of inactivity before a cart is deleted."),
  mediaMaxBytes: setting("MEDIA_MAX_BYTES", "var", count(1, 100 * 1024 * 1024).default(10 * 1024 * 1024), "Largest accepted image upload."),
  refundRestock: setting(
    "REFUND_RESTOCK",
    "var",
    z.enum(["always", "never"], "must be always or never").default("always"),
    "Whether a full refund puts sold units back on hand.",
  ),
  returnWindowDays: setting(
    "RETURN_WINDOW_DAYS",
    "var",
    count(0, 365).default(30),
    "Days after delivery (else after shipping) during which shoppers may ask to return items.",
  ),
  giftCardExpiryDays: setting(
    "GIFT_CARD_EXPIRY_DAYS",
    "var",
    count(0, 3650).default(0),
    "Days a new gift card stays usable after it is issued; 0 (the default) means it never expires. Set it where local law allows expiry.",
  ),
  cacheWarmTop: setting("CACHE_WARM_TOP", "var", count(0, 1000).default(50), "Product pages the daily warm-up renders into the cache."),
  abandonedCartHours: setting(
    "ABANDONED_CART_HOURS",
    "var",
    count(1, 24 * 30).default(24),
    "Hours a cart with an email must be idle before its one reminder.",
  ),
  supplierFeedUrl: setting(
    "SUPPLIER_FEED_URL",
    "var",
    url.optional(),
    "Supplier price/stock feed (CSV or JSON) read when no file waits in R2.",
  ),
  carrierApiUrl: setting(
    "CARRIER_API_URL",
    "var",
    url.optional(),
    "Carrier tracking API base: `GET <base>/track/<carrier>/<trackingNumber>`.",
  ),
  jobBatchSize: setting("JOB_BATCH_SIZE", "var", count(1, 10_000).optional(), "Overrides every job's batch size (ops tuning, tests)."),
  logRequests: setting(
    "LOG_REQUESTS",
    "var",
    z
      .enum(["true", "false"], "must be true or false")
      .default("true")
      .transform((v) => v === "true"),
    "Writes one log line per request (cached catalog hits excepted); false keeps only warnings and errors.",
  ),
  usageFlushSeconds: setting(
    "USAGE_FLUSH_SECONDS",
    "var",
    count(0, 3_600).default(60),
    "How often an isolate writes its request and usage counters to D1 and Analytics Engine (0: after every request).",
  ),
  allowTestPayments: setting(
    "ALLOW_TEST_PAYMENTS",
    "var",
    z.enum(["true", "false"], "must be true or false").optional(),
    "Lets the local test payment page take orders on an https shop without Stripe (staging); localhost always may.",
  ),
  adminToken: setting("ADMIN_TOKEN", "secret", secret, "Bootstrap/ops admin bearer token (full access).", true),
  adminReadonlyToken: setting("ADMIN_READONLY_TOKEN", "secret", secret.optional(), "Read-only admin bearer token."),
  sessionSecret: setting("SESSION_SECRET", "secret", secret, "Signs cart cookies, form tokens, links and order tokens.", true),
  stripeSecretKey: setting(
    "STRIPE_SECRET_KEY",
    "secret",
    z
      .string()
      .regex(/^(sk|rk)_(test|live)(_\w+)?$/, "must be a Stripe secret or restricted key (sk_… or rk_…)")
      .optional(),
    "Switches payments from the local test provider to Stripe.",
  ),
  stripeWebhookSecret: setting("STRIPE_WEBHOOK_SECRET", "secret", secret, "Verifies Stripe webhooks (`whsec_…`).", true),
  shippingWebhookSecret: setting("SHIPPING_WEBHOOK_SECRET", "secret", secret, "Verifies carrier webhooks.", true),
  resendApiKey: setting("RESEND_API_KEY", "secret", secret.optional(), "Sends email through Resend instead of the `send_email` binding."),
  turnstileSiteKey: setting(
    "TURNSTILE_SITE_KEY",
    "var",
    z.string().min(1).max(100).optional(),
    "Turnstile site key: with TURNSTILE_SECRET_KEY, checkout and staff sign-in show a challenge verified on the server.",
  ),
  turnstileSecretKey: setting(
    "TURNSTILE_SECRET_KEY",
    "secret",
    secret.optional(),
    "Turnstile secret key (verifies the challenge's answer).",
  ),
} as const;

type Settings = typeof SETTINGS;
export type ConfigKey = keyof Settings;

/** Parsed settings; reading one that is malformed, or required and missing, throws `misconfigured` naming it. */
export type Config = { readonly [K in ConfigKey]: z.output<Settings[K]["schema"]> };

/** A setting that could not be used, by its variable name. */
export interface ConfigProblem {
  setting: string;
  problem: string;
}

interface Parsed {
  config: Config;
  problems: ConfigProblem[];
}

const parsed = new WeakMap<object, Parsed>();

function parse(env: Record<string, unknown>): Parsed {
  const values: Record<string, unknown> = {};
  const failures = new Map<string, string>();
  for (const [key, s] of Object.entries(SETTINGS) as [ConfigKey, Setting<z.ZodType>][]) {
    const raw = env[s.env];
    const given = raw === "" ? undefined : raw;
    if (given === undefined && s.required) {
      failures.set(key, "missing");
      continue;
    }
    const result = s.schema.safeParse(given);
    if (result.success) values[key] = result.data;
    else failures.set(key, `malformed (${result.error.issues[0]?.message ?? "invalid"})`);
  }
  const config = {} as Config;
  for (const key of Object.keys(SETTINGS) as ConfigKey[]) {
    const failure = failures.get(key);
    Object.defineProperty(config, key, {
      enumerable: true,
      get: failure
        ? () => {
            throw misconfigured(SETTINGS[key].env, failure);
          }
        : () => values[key],
    });
  }
  const problems = [...failures].map(([key, problem]) => ({ setting: SETTINGS[key as ConfigKey].env, problem }));
  return { config, problems };
}

/** Wrappers of an env (such as the metered one made per request) answer this with the env they wrap. */
export const WRAPPED_ENV = Symbol("wrapped env");

function parsedOf(env: object): Parsed {
  const source = (env as { [WRAPPED_ENV]?: object })[WRAPPED_ENV] ?? env;
  let p = parsed.get(source);
  if (!p) {
    p = parse(source as Record<string, unknown>);
    parsed.set(source, p);
  }
  return p;
}

/** The settings of an environment, parsed once per env object (once per isolate in production). */
export const configOf = (env: object): Config => parsedOf(env).config;

/** Every setting that is malformed, or required and missing. */
export const configProblems = (env: object): ConfigProblem[] => parsedOf(env).problems;

/** The settings that may be shown to staff (no secrets), with their effective values. */
export function publicSettings(env: object): { setting: string; value: unknown; problem?: string }[] {
  const { config, problems } = parsedOf(env);
  return (Object.entries(SETTINGS) as [ConfigKey, Setting<z.ZodType>][]).map(([key, s]) => {
    const problem = problems.find((p) => p.setting === s.env)?.problem;
    if (s.source === "secret")
      return { setting: s.env, value: problem ? undefined : config[key] === undefined ? "(not set)" : "(set)", problem };
    return { setting: s.env, value: problem ? undefined : config[key], problem };
  });
}
