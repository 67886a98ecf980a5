import { Validator } from "@cfworker/json-schema";
import { expect } from "vitest";
import { ADMIN, call } from "./worker";

type Schema = Record<string, unknown>;

interface Answer {
  $ref?: string;
  description?: string;
  content?: Record<string, { schema?: Schema }>;
}

/** The parts of an OpenAPI document the tests read. */
export interface ApiDocument {
  openapi: string;
  paths: Record<string, Record<string, { responses?: Record<string, Answer> } | undefined>>;
  components: { schemas?: Record<string, Schema>; responses?: Record<string, Answer> };
}

const OPERATION_KEYS = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

/** The store or admin document as the Worker serves it. */
export async function apiDocument(which: "store" | "admin"): Promise<ApiDocument> {
  const res = which === "store" ? await call("/api/openapi.json") : await call("/admin/api/openapi.json", { headers: ADMIN });
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json();
}

/** Operations without a summary, a tag or a described success answer (routes documented by their validators alone). */
export function undescribed(doc: ApiDocument): string[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item ?? {})
      .filter(([key]) => OPERATION_KEYS.includes(key))
      .filter(([, op]) => {
        const { summary, tags, responses } = op as { summary?: string; tags?: string[]; responses?: Record<string, Answer> };
        const success = Object.entries(responses ?? {}).some(([status, answer]) => /^2/.test(status) && answer.description);
        return !summary || !tags?.length || !success;
      })
      .map(([method]) => `${method.toUpperCase()} ${path}`),
  );
}

/** Every operation of a document as `METHOD /path`. */
export function operationsOf(doc: ApiDocument): Set<string> {
  return new Set(
    Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item ?? {})
        .filter((key) => OPERATION_KEYS.includes(key))
        .map((method) => `${method.toUpperCase()} ${path}`),
    ),
  );
}

/** A response schema made standalone: the document's component schemas become its `$defs`. */
function standalone(doc: ApiDocument, schema: Schema): Schema {
  const moved = (value: unknown) => JSON.parse(JSON.stringify(value).replaceAll('"#/components/schemas/', '"#/$defs/'));
  return { ...moved(schema), $defs: moved(doc.components.schemas ?? {}) };
}

/** The schema a document gives for an answer, or a reason there is none. */
function documentedSchema(doc: ApiDocument, method: string, path: string, status: number, mediaType: string): Schema | string {
  const operation = doc.paths[path]?.[method.toLowerCase()];
  if (!operation) return `${method} ${path} is not in the document`;
  let answer = operation.responses?.[String(status)];
  if (answer?.$ref) answer = doc.components.responses?.[answer.$ref.split("/").pop() ?? ""];
  if (!answer) return `${method} ${path} documents no ${status} answer`;
  const schema = answer.content?.[mediaType]?.schema;
  return schema ?? `${method} ${path} documents no ${mediaType} body for ${status}`;
}

/** Errors of validating `body` against a schema of the document (empty when it matches). */
export function schemaErrors(doc: ApiDocument, schema: Schema, body: unknown): string[] {
  const result = new Validator(standalone(doc, schema) as never, "2020-12", false).validate(body);
  return result.errors.map((e) => `${e.instanceLocation} ${e.keywordLocation}: ${e.error}`);
}

/** The documented schema of an answer; fails the test when the document has none. */
export function schemaOf(doc: ApiDocument, method: string, path: string, status: number, mediaType = "application/json"): Schema {
  const found = documentedSchema(doc, method, path, status, mediaType);
  if (typeof found === "string") throw new Error(found);
  return found;
}

/**
 * Checks a response against the document: its status is documented for `method path` (OpenAPI form,
 * `/api/carts/{id}`), with a body schema for its media type, and the body matches it. Returns the body.
 */
export async function expectDocumented<T = Record<string, unknown>>(
  doc: ApiDocument,
  method: string,
  path: string,
  res: Response,
  expectedStatus?: number,
): Promise<T> {
  const text = await res.text();
  if (expectedStatus !== undefined) expect(res.status, text).toBe(expectedStatus);
  const mediaType = (res.headers.get("Content-Type") ?? "").split(";")[0]?.trim() ?? "";
  const found = documentedSchema(doc, method, path, res.status, mediaType);
  expect(typeof found === "string" ? found : "", text).toBe("");
  const body = JSON.parse(text) as T;
  expect(schemaErrors(doc, found as Schema, body), `${method} ${path} ${res.status}: ${text}`).toEqual([]);
  return body;
}
