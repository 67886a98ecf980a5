import type { Db } from "./db";

/** Secrets come from `.dev.vars` locally and `wrangler secret put` in production. */
export interface Secrets {
  ADMIN_TOKEN?: string;
  ADMIN_READONLY_TOKEN?: string;
  SESSION_SECRET?: string;
  STRIPE_SECRET_KEY?: string;
  STRIPE_WEBHOOK_SECRET?: string;
  SHIPPING_WEBHOOK_SECRET?: string;
  /** Resend API key: when set, email goes through Resend's HTTP API instead of the send_email binding. */
  RESEND_API_KEY?: string;
}

/** Optional tuning variables (absent from wrangler.toml means the default). */
export interface Tuning {
  /** How long an isolate reuses the catalog version it read from KV; 0 reads it on every view. */
  CATALOG_VERSION_TTL_MS?: string;
  /** Days of inactivity after which a cart is deleted (default 30). */
  CART_TTL_DAYS?: string;
  /** Flat shipping per country in minor units, JSON: {"US": 500, "*": 1500}. */
  SHIPPING_RATES?: string;
  /** Tax per country in basis points, JSON: {"DE": 1900, "*": 0}. */
  TAX_RATES?: string;
  /** Largest accepted image upload in bytes (default 10 MB). */
  MEDIA_MAX_BYTES?: string;
  /** Whether refunds restock: "always" (default) or "never". */
  REFUND_RESTOCK?: string;
  /** Sender of customer emails, e.g. "Edgefront <orders@example.com>". */
  EMAIL_FROM?: string;
  /** Where staff alerts (low stock) go. */
  STAFF_EMAIL?: string;
  /** Pages the daily warm-up renders into the cache (default 50 products). */
  CACHE_WARM_TOP?: string;
  /** Hours a cart with an email must be idle before its one reminder (default 24). */
  ABANDONED_CART_HOURS?: string;
  /** Supplier feed URL (CSV or JSON) read when no file waits in R2 feeds/incoming/. */
  SUPPLIER_FEED_URL?: string;
  /** Carrier tracking API base: GET <base>/track/<carrier>/<trackingNumber>. */
  CARRIER_API_URL?: string;
  /** Overrides every job's batch size (tuning; tests use it to exercise resume). */
  JOB_BATCH_SIZE?: string;
}

export type Bindings = Env & Secrets & Tuning;

export type AdminRole = "admin" | "viewer";

export interface AppVariables {
  requestId: string;
  /** D1 statements sent while handling this request. */
  dbQueries: number;
  db?: Db;
  admin?: { role: AdminRole };
}

export type AppEnv = { Bindings: Bindings; Variables: AppVariables };
