import type { Db } from "./db";
import type { Permission, StaffRole } from "./domain/staff";

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

/** Who is calling the admin: a signed-in staff member, a named API token, or one of the ops tokens. */
export interface AdminPrincipal {
  /** As written in audit rows and order events: `staff:<email>`, `token:<name>#<id>`, `token:admin`, `token:readonly`. */
  actor: string;
  kind: "session" | "token" | "ops";
  /** The staff role behind a session; ops tokens act as owner and viewer; API tokens have none. */
  role?: StaffRole;
  permissions: ReadonlySet<Permission>;
  /** Owners (and the ops token) may use paths outside every area: staff, tokens, settings. */
  owner: boolean;
  staffId?: string;
  email?: string;
  /** For sessions: the stored hash of the cookie token and the CSRF token its forms carry. */
  session?: { tokenHash: string; csrf: string };
}

export interface AppVariables {
  requestId: string;
  /** D1 statements sent while handling this request. */
  dbQueries: number;
  db?: Db;
  admin?: AdminPrincipal;
  /** A CSP nonce for this response's scripts (admin pages). */
  nonce?: string;
  /** An admin form was refused (its redirect carries the reason): nothing to audit. */
  refused?: boolean;
  /** Answers a request through the app itself (lent to job routes for the cache warm-up). */
  fetchPage?: (request: Request) => Promise<Response>;
}

export type AppEnv = { Bindings: Bindings; Variables: AppVariables };
