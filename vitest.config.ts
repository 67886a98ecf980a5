import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

export default defineConfig(async () => {
  const migrations = await readD1Migrations("./migrations");
  return {
    test: {
      projects: [
        {
          // Unit and integration suites: inside workerd with the real local bindings from wrangler.toml.
          plugins: [
            cloudflareTest({
              wrangler: { configPath: "./wrangler.toml" },
              miniflare: {
                bindings: {
                  TEST_MIGRATIONS: migrations,
                  ADMIN_TOKEN: "test-admin-token",
                  ADMIN_READONLY_TOKEN: "test-readonly-token",
                  SESSION_SECRET: "test-session-secret",
                  STRIPE_WEBHOOK_SECRET: "whsec_test_secret",
                  SHIPPING_WEBHOOK_SECRET: "shipping-test-secret",
                  PUBLIC_BASE_URL: "https://shop.test",
                  ALLOW_TEST_PAYMENTS: "true",
                  // One line per request would bury the test output; the redaction test turns it on.
                  LOG_REQUESTS: "false",
                },
              },
            }),
          ],
          test: {
            name: "workers",
            include: ["test/unit/**/*.test.{ts,tsx}", "test/integration/**/*.test.{ts,tsx}"],
            setupFiles: ["./test/setup.ts"],
            testTimeout: 30_000,
          },
        },
        {
          // Ops scripts (setup, deploy) in Node against a stand-in wrangler on PATH.
          test: {
            name: "scripts",
            include: ["test/scripts/**/*.test.ts"],
            environment: "node",
            testTimeout: 60_000,
          },
        },
        {
          // Browser walks: the built Worker in Miniflare, driven by Debian's Chromium (one for the run).
          test: {
            name: "e2e",
            include: ["test/e2e/**/*.test.ts"],
            environment: "node",
            globalSetup: ["./test/e2e/global-setup.ts"],
            testTimeout: 60_000,
            hookTimeout: 180_000,
            fileParallelism: false,
          },
        },
      ],
    },
  };
});
