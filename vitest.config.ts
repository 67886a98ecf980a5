import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

export default defineConfig(async () => {
  const migrations = await readD1Migrations("./migrations");
  return {
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
          },
        },
      }),
    ],
    test: {
      include: ["test/**/*.test.{ts,tsx}"],
      setupFiles: ["./test/setup.ts"],
      testTimeout: 30_000,
    },
  };
});
