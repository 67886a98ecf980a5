import type { ApiAnswer, ApiField, ApiOperation, ApiReference, ApiTag } from "../views/pages/api-docs";
import { type ApiName, documentPath, type OpenApiDocument } from "./documents";

/** A JSON Schema as the documents hold it (only what the reference reads). */
interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  description?: string;
}

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: JsonSchema;
  $ref?: string;
}

interface MediaContent {
  [media: string]: { schema?: JsonSchema };
}

interface Operation {
  tags?: string[];
  summary?: string;
  description?: string;
  security?: Record<string, string[]>[];
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: MediaContent };
  responses?: Record<string, { description?: string; content?: MediaContent; $ref?: string }>;
}

const METHODS = ["get", "post", "put", "patch", "delete"] as const;
const SAFE_INTEGER = Number.MAX_SAFE_INTEGER;
const MAX_DEPTH = 3;

const ACCESS: Record<ApiName, string> = {
  store: "public",
  admin: "needs an admin bearer token or a staff session",
};

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");

const refName = (ref: string) => ref.split("/").pop() ?? ref;

/** Resolves `#/components/<kind>/<name>` references against a document. */
function deref<T extends { $ref?: string }>(doc: OpenApiDocument, value: T | undefined): T | undefined {
  let current = value;
  for (let hops = 0; current?.$ref && hops < 8; hops++) {
    const [, , kind, name] = current.$ref.split("/");
    const components = doc.components as Record<string, Record<string, unknown> | undefined>;
    current = components[kind ?? ""]?.[name ?? ""] as T | undefined;
  }
  return current;
}

function limits(s: JsonSchema): string[] {
  const out: string[] = [];
  const range = (min: number | undefined, max: number | undefined, unit: string) => {
    const lo = min !== undefined && Math.abs(min) < SAFE_INTEGER ? min : undefined;
    const hi = max !== undefined && Math.abs(max) < SAFE_INTEGER ? max : undefined;
    if (lo !== undefined && hi !== undefined) out.push(`${lo}–${hi}${unit}`);
    else if (lo !== undefined) out.push(`≥ ${lo}${unit}`);
    else if (hi !== undefined) out.push(`≤ ${hi}${unit}`);
  };
  range(s.minimum, s.maximum, "");
  range(s.minLength, s.maxLength, " chars");
  range(s.minItems, s.maxItems, " items");
  if (s.default !== undefined) out.push(`default ${JSON.stringify(s.default)}`);
  return out;
}

/** A short type label: `string (email)`, `Money | null`, `"flat" | "weight"`, `integer[]`. */
function typeLabel(s: JsonSchema | undefined): string {
  if (!s) return "any";
  if (s.$ref) return refName(s.$ref);
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(" | ");
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) return alternatives.map(typeLabel).join(" | ");
  if (s.allOf) return s.allOf.map(typeLabel).join(" & ");
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  const label = types
    .map((t) => (t === "array" ? `${typeLabel(s.items)}[]` : t === "string" && s.format ? `string (${s.format})` : t))
    .join(" | ");
  return label || "any";
}

const withLimits = (s: JsonSchema) => [typeLabel(s), ...limits(s)].join(", ");

/** Body fields with dotted names for nested objects (`shippingAddress.city`, `lines[].sku`). */
function fieldsOf(doc: OpenApiDocument, schema: JsonSchema | undefined, prefix = "", depth = 0): ApiField[] {
  const s = deref(doc, schema);
  if (!s?.properties) return [];
  return Object.entries(s.properties).flatMap(([key, raw]) => {
    const prop = deref(doc, raw) ?? {};
    const name = `${prefix}${key}`;
    const field: ApiField = {
      name,
      type: withLimits(prop),
      required: s.required?.includes(key) ?? false,
      description: prop.description,
    };
    if (depth >= MAX_DEPTH) return [field];
    const item = prop.type === "array" ? deref(doc, prop.items) : undefined;
    const nested = item?.properties ? fieldsOf(doc, item, `${name}[].`, depth + 1) : fieldsOf(doc, prop, `${name}.`, depth + 1);
    return [field, ...nested];
  });
}

function bodyOf(doc: OpenApiDocument, op: Operation): ApiOperation["body"] {
  const [mediaType, media] = Object.entries(op.requestBody?.content ?? {})[0] ?? [];
  if (!mediaType) return undefined;
  const root = deref(doc, media?.schema);
  const options = root?.anyOf ?? root?.oneOf;
  const alternatives = options ? options.map((o) => fieldsOf(doc, o)) : [fieldsOf(doc, root)];
  return { mediaType, required: op.requestBody?.required ?? false, alternatives };
}

function answersOf(doc: OpenApiDocument, op: Operation): ApiAnswer[] {
  return Object.entries(op.responses ?? {}).map(([status, raw]) => {
    const response = deref(doc, raw);
    const [mediaType, media] = Object.entries(response?.content ?? {})[0] ?? [];
    return {
      status,
      description: response?.description ?? "",
      body: mediaType ? `${mediaType} · ${typeLabel(media?.schema)}` : undefined,
    };
  });
}

function authOf(op: Operation): string | undefined {
  const schemes = (op.security ?? []).map((requirement) => Object.keys(requirement).join(" + ")).filter(Boolean);
  if (!schemes.length) return undefined;
  const optional = (op.security ?? []).some((requirement) => Object.keys(requirement).length === 0);
  return `${schemes.join(" or ")}${optional ? " (or a query parameter)" : ""}`;
}

/** The reference page's view of an OpenAPI document: operations grouped by their first tag, in the document's tag order. */
export function referenceOf(doc: OpenApiDocument, which: ApiName): ApiReference {
  const tags = new Map<string, ApiTag>();
  for (const tag of doc.tags ?? []) {
    tags.set(tag.name, { anchor: `${which}-${slug(tag.name)}`, name: tag.name, description: tag.description, operations: [] });
  }
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = (item as Record<string, Operation | undefined> | undefined)?.[method];
      if (!op) continue;
      const tagName = op.tags?.[0] ?? "Other";
      if (!tags.has(tagName)) tags.set(tagName, { anchor: `${which}-${slug(tagName)}`, name: tagName, operations: [] });
      tags.get(tagName)?.operations.push({
        anchor: `${which}-${method}-${slug(path)}`,
        method,
        path,
        summary: op.summary ?? "",
        description: op.description,
        auth: authOf(op),
        parameters: (op.parameters ?? []).map((raw) => {
          const p = deref(doc, raw) ?? raw;
          return { name: p.name, in: p.in, type: withLimits(p.schema ?? {}), required: p.required ?? false, description: p.description };
        }),
        body: bodyOf(doc, op),
        answers: answersOf(doc, op),
      });
    }
  }
  return {
    anchor: which,
    title: doc.info.title,
    description: doc.info.description,
    documentUrl: documentPath(which),
    access: ACCESS[which],
    tags: [...tags.values()].filter((t) => t.operations.length),
  };
}
