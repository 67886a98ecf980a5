import { describe, expect, it } from "vitest";
import devVarsExample from "../../.dev.vars.example?raw";
import readme from "../../README.md?raw";
import deployHelpers from "../../scripts/cloudflare/run-wrangler.mjs?raw";
import { configOf, configProblems, SETTINGS } from "../../src/config";
import { DomainError } from "../../src/errors";

const base = { SESSION_SECRET: "s3cret", ADMIN_TOKEN: "t0ken", STRIPE_WEBHOOK_SECRET: "whsec_x", SHIPPING_WEBHOOK_SECRET: "ship" };

describe("configuration", () => {
  it("applies defaults for everything that is not set", () => {
    const config = configOf({ ...base });
    expect(config.cartTtlDays).toBe(30);
    expect(config.catalogVersionTtlMs).toBe(250);
    expect(config.shopCurrency).toBe("USD");
    expect(config.refundRestock).toBe("always");
    expect(configProblems({ ...base })).toEqual([]);
  });

  it("parses settings once into typed values", () => {
    const env = { ...base, CACHE_WARM_TOP: "12", SHOP_LOCALE: "de-DE" };
    const config = configOf(env);
    expect(config.cacheWarmTop).toBe(12);
    expect(config.shopLocale).toBe("de-DE");
    expect(configOf(env)).toBe(config);
  });

  it("refuses a malformed value when it is read, naming the variable, and lists it as a problem", () => {
    const env = { ...base, CACHE_WARM_TOP: "-5", REFUND_RESTOCK: "sometimes", CART_TTL_DAYS: "0x10" };
    const config = configOf(env);
    expect(() => config.cacheWarmTop).toThrow(DomainError);
    expect(() => config.cacheWarmTop).toThrow(/CACHE_WARM_TOP/);
    expect(() => config.refundRestock).toThrow(/REFUND_RESTOCK/);
    expect(config.shopCurrency).toBe("USD");
    expect(
      configProblems(env)
        .map((p) => p.setting)
        .sort(),
    ).toEqual(["CACHE_WARM_TOP", "CART_TTL_DAYS", "REFUND_RESTOCK"]);
  });

  it("refuses a required secret that is missing only where it is read", () => {
    const { SESSION_SECRET: _, ...env } = base;
    const config = configOf(env);
    expect(() => config.sessionSecret).toThrow(/SESSION_SECRET/);
    expect(config.adminToken).toBe("t0ken");
    try {
      void config.sessionSecret;
    } catch (err) {
      expect(err).toMatchObject({ kind: "misconfigured", code: "misconfigured", extra: { setting: "SESSION_SECRET" } });
    }
  });

  it("documents every variable and secret in the README's configuration table, and nothing else", () => {
    const section = readme.slice(readme.indexOf("## Configuration"), readme.indexOf("\n## ", readme.indexOf("## Configuration") + 5));
    const documented = new Set([...section.matchAll(/^\|\s*`([A-Z][A-Z0-9_]+)`\s*\|/gm)].map((m) => m[1]));
    const settings = new Set(Object.values(SETTINGS).map((s) => s.env));
    expect([...documented].sort()).toEqual([...settings].sort());
  });

  it("keeps the deploy check's required secrets and .dev.vars.example in step with the schema", () => {
    const required = Object.values(SETTINGS)
      .filter((s) => s.source === "secret" && s.required)
      .map((s) => s.env)
      .sort();
    const listed = /REQUIRED_SECRETS = \[([^\]]*)\]/
      .exec(deployHelpers)?.[1]
      ?.match(/"([A-Z_]+)"/g)
      ?.map((x) => x.slice(1, -1));
    expect(listed?.sort()).toEqual(required);
    for (const name of required) expect(devVarsExample).toMatch(new RegExp(`^${name}=.+$`, "m"));
  });
});
