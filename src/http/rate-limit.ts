import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";
import { rateLimited } from "../errors";

type LimiterName = {
  [K in keyof Env]: Env[K] extends RateLimit ? K : never;
}[keyof Env];

/** One limited kind of request: which requests, which limiter (its limit is in wrangler.toml), keyed by what. */
interface Rule {
  name: string;
  methods: readonly string[];
  path: RegExp;
  limiter: LimiterName;
  /** The key to count under; undefined skips the rule (a request without a client address comes from no edge). */
  key: (c: Context<AppEnv>, match: RegExpExecArray) => string | undefined;
  /** Limit only when this holds (e.g. a product listing that searches). */
  when?: (c: Context<AppEnv>) => boolean;
}

/** Seconds until a fixed one-minute window has surely passed. */
const RETRY_AFTER_SECONDS = 60;

/** The client's address as Cloudflare's edge reports it. */
export const clientAddress = (c: Context<AppEnv>) => c.req.header("CF-Connecting-IP") ?? undefined;

const byClient = (c: Context<AppEnv>) => {
  const ip = clientAddress(c);
  return ip ? `ip:${ip}` : undefined;
};

const WRITES = ["POST", "PUT", "PATCH", "DELETE"] as const;

/** What is limited; everything else (cached catalog pages, media, assets) is not. */
export const RULES: readonly Rule[] = [
  { name: "search", methods: ["GET"], path: /^\/(search|api\/search\/suggest)$/, limiter: "SEARCH_LIMITER", key: byClient },
  {
    name: "search",
    methods: ["GET"],
    path: /^\/api\/products$/,
    limiter: "SEARCH_LIMITER",
    key: byClient,
    when: (c) => Boolean(c.req.query("q")),
  },
  { name: "cart-create", methods: ["POST"], path: /^\/api\/carts$/, limiter: "CART_LIMITER", key: byClient },
  {
    name: "cart-lines",
    methods: WRITES,
    path: /^\/api\/carts\/([^/]+)\/lines(\/|$)/,
    limiter: "CART_LINE_LIMITER",
    key: (_c, m) => `cart:${m[1]}`,
  },
  { name: "cart-form", methods: ["POST"], path: /^\/cart\/lines(\/|$)/, limiter: "CART_LINE_LIMITER", key: byClient },
  // Code guesses: per client address, however many carts it makes.
  { name: "discount-code", methods: WRITES, path: /^\/api\/carts\/[^/]+\/discounts$/, limiter: "CART_LIMITER", key: byClient },
  { name: "discount-form", methods: ["POST"], path: /^\/cart\/discounts(\/|$)/, limiter: "CART_LIMITER", key: byClient },
  { name: "checkout", methods: ["POST"], path: /^\/api\/carts\/[^/]+\/checkout$/, limiter: "CHECKOUT_LIMITER", key: byClient },
  { name: "checkout", methods: ["POST"], path: /^\/checkout$/, limiter: "CHECKOUT_LIMITER", key: byClient },
  {
    name: "order-lookup",
    methods: ["GET", "POST"],
    path: /^\/(api\/)?orders\/[^/]+(\/returns)?$/,
    limiter: "ORDER_LOOKUP_LIMITER",
    key: byClient,
  },
  { name: "webhooks", methods: ["POST"], path: /^\/webhooks\//, limiter: "WEBHOOK_LIMITER", key: byClient },
];

/**
 * Counts each limited request with the Workers Rate Limiting binding and answers 429 problem+json
 * `rate_limited` with Retry-After past the limit. A request matches at most one rule.
 */
export function rateLimits(rules: readonly Rule[] = RULES): MiddlewareHandler<AppEnv> {
  return async function rateLimits(c, next) {
    const path = c.req.path;
    for (const rule of rules) {
      if (!rule.methods.includes(c.req.method)) continue;
      const match = rule.path.exec(path);
      if (!match || (rule.when && !rule.when(c))) continue;
      const key = rule.key(c, match);
      if (key === undefined) break;
      const { success } = await c.env[rule.limiter].limit({ key: `${rule.name}:${key}` });
      if (!success) throw rateLimited(`Too many ${rule.name.replace("-", " ")} requests; try again in a minute.`, RETRY_AFTER_SECONDS);
      break;
    }
    await next();
  };
}
