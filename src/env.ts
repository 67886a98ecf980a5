import type { Db } from "./db";

/** Secrets come from `.dev.vars` locally and `wrangler secret put` in production (parsed in config.ts). */
export interface Secrets {
  ADMIN_TOKEN?: string;
  ADMIN_READONLY_TOKEN?: string;
  SESSION_SECRET?: string;
  STRIPE_SECRET_KEY?: string;
  STRIPE_WEBHOOK_SECRET?: string;
  SHIPPING_WEBHOOK_SECRET?: string;
  RESEND_API_KEY?: string;
}

/** The Worker's bindings: those wrangler.toml declares (`Env`, generated) and the secrets. Read settings through config.ts. */
export type Bindings = Env & Secrets;

export type AdminRole = "admin" | "viewer";

export interface AppVariables {
  requestId: string;
  /** D1 statements sent while handling this request. */
  dbQueries: number;
  db?: Db;
  admin?: { role: AdminRole };
  /** Answers a request through the app itself (lent to job routes for the cache warm-up). */
  fetchPage?: (request: Request) => Promise<Response>;
}

export type AppEnv = { Bindings: Bindings; Variables: AppVariables };
