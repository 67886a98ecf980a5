import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { schedule } from "../../cron";
import wranglerToml from "../../wrangler.toml?raw";

describe("worker configuration", () => {
  it("has every binding from the design present at start-up", () => {
    for (const name of [
      "DB",
      "CATALOG_CACHE",
      "MEDIA",
      "IMAGES",
      "CART",
      "INVENTORY",
      "WEBHOOKS",
      "WEBHOOKS_DLQ",
      "EMAILS",
      "EMAILS_DLQ",
    ]) {
      expect(env[name as keyof typeof env], name).toBeDefined();
    }
  });

  it("maps every cron expression in wrangler.toml, in every environment, to jobs", () => {
    const blocks = [...wranglerToml.matchAll(/crons\s*=\s*\[([^\]]*)\]/g)];
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    for (const [, list] of blocks) {
      const expressions = [...list!.matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
      for (const expression of expressions) expect(schedule, expression).toHaveProperty([expression]);
    }
  });

  it("declares dead-letter queues for the webhook and email consumers", () => {
    expect(wranglerToml).toMatch(/queue = "edgefront-webhooks"[^[]*dead_letter_queue = "edgefront-webhooks-dlq"/);
    expect(wranglerToml).toMatch(/queue = "edgefront-emails"[^[]*dead_letter_queue = "edgefront-emails-dlq"/);
  });
});
