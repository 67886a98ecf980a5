import type { Env, Hono, Schema } from "hono";
import { generateSpecs, resolver } from "hono-openapi";
import { CSRF_HEADER, SESSION_COOKIE } from "../http/admin-auth";
import { ProblemSchema } from "./problem";
import { problemResponse } from "./responses";

/** Which API a document describes. */
export type ApiName = "store" | "admin";

/** A generated OpenAPI 3.1 document. */
export type OpenApiDocument = Awaited<ReturnType<typeof generateSpecs>>;

type Tag = NonNullable<OpenApiDocument["tags"]>[number];
type Security = NonNullable<OpenApiDocument["security"]>;
type SecurityScheme = NonNullable<OpenApiDocument["components"]["securitySchemes"]>[string];

/** Where each API's routes live, and where its document is served. */
const API_PREFIX: Record<ApiName, string> = { store: "/api/", admin: "/admin/api/" };

/** The path of an API's document. */
export const documentPath = (which: ApiName) => `${API_PREFIX[which]}openapi.json`;

const SCHEMA_REF = "#/components/schemas/";
const WRITES = new Set(["post", "put", "patch", "delete"]);
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

const INFO: Record<ApiName, OpenApiDocument["info"]> = {
  store: {
    title: "Edgefront store API",
    version: "1",
    description:
      "What a storefront needs: the published catalog, carts, quotes, checkout, and a shopper's order. Errors are " +
      "application/problem+json (see the Problem schema).",
  },
  admin: {
    title: "Edgefront admin API",
    version: "1",
    description:
      "Catalog, stock, orders, returns, shipping, events and jobs, for staff. Send a bearer token, or the staff session " +
      `cookie (${SESSION_COOKIE}) with the session's ${CSRF_HEADER} header on writes. Errors are application/problem+json.`,
  },
};

const TAGS: Record<ApiName, Tag[]> = {
  store: [
    { name: "Catalog", description: "Published products and categories; cached at the edge." },
    { name: "Carts", description: "Carts live in their own Durable Object, priced in the shop currency." },
    { name: "Checkout", description: "Quotes and idempotent checkout." },
    { name: "Orders", description: "A shopper's order, opened with the token checkout answered." },
  ],
  admin: [
    { name: "Products", description: "Products and their variants and images; every write starts a new catalog version." },
    { name: "Categories", description: "The category tree." },
    {
      name: "Pages",
      description: "The info pages shoppers read (shipping, returns, privacy, terms, contact); every edit starts a new catalog version.",
    },
    { name: "Audit", description: "Who changed the catalog, and how." },
    { name: "Inventory", description: "Stock per SKU, held by the SKU's Durable Object." },
    { name: "Orders", description: "Search, fulfil, refund, cancel." },
    { name: "Returns", description: "Shoppers' return requests." },
    { name: "Shipping", description: "Zones, methods and tax rates that checkout quotes from." },
    { name: "Events", description: "Provider webhooks, the email log, and test payments." },
    { name: "Jobs", description: "Scheduled jobs and the reports they feed." },
    { name: "Media", description: "Image uploads." },
    { name: "Staff", description: "Staff accounts, API tokens and sessions; owners only." },
  ],
};

const SECURITY_SCHEMES: Record<ApiName, Record<string, SecurityScheme>> = {
  store: {
    orderToken: { type: "http", scheme: "bearer", description: "The `orderToken` of a checkout answer (or `?token=`)." },
  },
  admin: {
    bearerAuth: {
      type: "http",
      scheme: "bearer",
      description: "ADMIN_TOKEN (owner), ADMIN_READONLY_TOKEN (reads), or a named API token (`eft_…`) with its scopes.",
    },
    adminSession: { type: "apiKey", in: "cookie", name: SESSION_COOKIE, description: "A staff member's signed-in session." },
    csrfToken: {
      type: "apiKey",
      in: "header",
      name: CSRF_HEADER,
      description: "The session's CSRF token; required on writes with a session.",
    },
  },
};

const READ_SECURITY: Security = [{ bearerAuth: [] }, { adminSession: [] }];
const WRITE_SECURITY: Security = [{ bearerAuth: [] }, { adminSession: [], csrfToken: [] }];

/** Admin operations: the auth alternatives they accept and the two answers every one of them may give. */
function addAdminAuth(paths: OpenApiDocument["paths"]) {
  for (const item of Object.values(paths)) {
    for (const method of METHODS) {
      const operation = item?.[method];
      if (!operation) continue;
      operation.security = WRITES.has(method) ? WRITE_SECURITY : READ_SECURITY;
      operation.responses = {
        ...operation.responses,
        401: { $ref: "#/components/responses/Unauthorized" },
        403: { $ref: "#/components/responses/Forbidden" },
      };
    }
  }
}

/** Drops the ±(2^53 − 1) bounds zod gives every integer: they only say "a safe integer" and clutter each field. */
function dropSafeIntegerBounds(node: unknown): void {
  if (Array.isArray(node)) for (const item of node) dropSafeIntegerBounds(item);
  else if (node && typeof node === "object") {
    const schema = node as Record<string, unknown>;
    if (schema.minimum === Number.MIN_SAFE_INTEGER) delete schema.minimum;
    if (schema.maximum === Number.MAX_SAFE_INTEGER) delete schema.maximum;
    for (const value of Object.values(schema)) dropSafeIntegerBounds(value);
  }
}

/**
 * Keeps the schemas this document refers to: the generator collects every route's schemas, the
 * other API's included.
 */
function pruneSchemas(document: OpenApiDocument): void {
  const schemas = document.components.schemas ?? {};
  const used = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) for (const item of node) visit(item);
    else if (node && typeof node === "object") {
      const ref = (node as { $ref?: unknown }).$ref;
      const name = typeof ref === "string" && ref.startsWith(SCHEMA_REF) ? ref.slice(SCHEMA_REF.length) : undefined;
      if (name && !used.has(name)) {
        used.add(name);
        visit(schemas[name]);
      }
      for (const value of Object.values(node)) visit(value);
    }
  };
  visit({ $ref: `${SCHEMA_REF}Problem` });
  visit(document.paths);
  visit(document.components.responses);
  document.components.schemas = Object.fromEntries(Object.entries(schemas).filter(([name]) => used.has(name)));
}

async function generate(app: Hono<Env, Schema, string>, which: ApiName): Promise<OpenApiDocument> {
  const prefix = API_PREFIX[which];
  const problem = await resolver(ProblemSchema, { options: { io: "output" } }).toOpenAPISchema();
  const document = await generateSpecs(app, {
    documentation: {
      openapi: "3.1.0",
      info: INFO[which],
      tags: TAGS[which],
      security: which === "admin" ? READ_SECURITY : undefined,
      components: {
        schemas: problem.components?.schemas,
        securitySchemes: SECURITY_SCHEMES[which],
        responses:
          which === "admin"
            ? {
                Unauthorized: problemResponse("Sign in or send a bearer token."),
                Forbidden: problemResponse("Your role or token lacks the right."),
              }
            : undefined,
      },
    },
    // Each document holds its own prefix only; its own openapi.json route is not an operation of the API.
    exclude: [new RegExp(`^(?!${prefix.replace(/\//g, "\\/")})`), documentPath(which)],
    defaultValidationErrorResponse: problemResponse("The request is invalid; `errors` names each field."),
  });
  if (which === "admin") addAdminAuth(document.paths);
  pruneSchemas(document);
  dropSafeIntegerBounds(document);
  return document;
}

const documents = new WeakMap<object, Map<ApiName, Promise<OpenApiDocument>>>();

/** The OpenAPI 3.1 document of the store or admin API, generated once per isolate from the app's routes. */
export function openApiDocument<E extends Env, S extends Schema, P extends string>(
  app: Hono<E, S, P>,
  which: ApiName,
): Promise<OpenApiDocument> {
  const byName = documents.get(app) ?? new Map<ApiName, Promise<OpenApiDocument>>();
  documents.set(app, byName);
  let pending = byName.get(which);
  if (!pending) {
    pending = generate(app as unknown as Hono<Env, Schema, string>, which);
    byName.set(which, pending);
    pending.catch(() => byName.delete(which));
  }
  return pending;
}
