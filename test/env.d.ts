/// <reference types="vite/client" />
declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
    ADMIN_TOKEN: string;
    ADMIN_READONLY_TOKEN: string;
    SESSION_SECRET: string;
    STRIPE_WEBHOOK_SECRET: string;
    SHIPPING_WEBHOOK_SECRET: string;
  }
}

declare module "*?raw" {
  const content: string;
  export default content;
}
