import type { MiddlewareHandler, ValidationTargets } from "hono";
import { resolver, uniqueSymbol, VALIDATION_MARKER, validator } from "hono-openapi";
import type { z } from "zod";
import { type FieldError, invalid, unsupported } from "./errors";

type Target = keyof ValidationTargets;

/** An issue's path step: a key, or a Standard Schema path segment holding one. */
type PathStep = PropertyKey | { readonly key: PropertyKey };

/** Per-field errors from a zod failure (or any Standard Schema issue list). */
export function fieldErrors(
  error: { issues: readonly { path?: readonly PathStep[] | undefined; message: string }[] },
  where: FieldError["in"],
): FieldError[] {
  return error.issues.map((issue) => {
    const path = (issue.path ?? []).map((step) => String(typeof step === "object" ? step.key : step));
    return { field: path.length ? path.join(".") : "(root)", in: where, message: issue.message };
  });
}

/**
 * zod validation for a request part; failures become 400 `invalid_request` with per-field errors.
 * The schema is also what the OpenAPI documents show for that part of the request.
 */
export function validate<T extends z.ZodType, K extends Target>(target: K, schema: T) {
  const checked = validator(target, schema, (result) => {
    if (!result.success) {
      const where = target === "cookie" ? "header" : (target as FieldError["in"]);
      throw invalid("invalid_request", `The request ${target} is invalid.`, fieldErrors({ issues: result.error }, where));
    }
  });
  const middleware = target === "json" ? jsonBodiesOnly(checked) : checked;
  if (target === "json" && schema.safeParse(undefined).success) describeOptionalBody(middleware, schema);
  return middleware;
}

const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;

/**
 * Refuses a body that is not declared as JSON (415) before the validator would read it as `{}`;
 * a request without a body still reaches the schema (optional bodies).
 */
function jsonBodiesOnly<M extends MiddlewareHandler>(validateJson: M): M {
  const guarded: MiddlewareHandler = async function jsonBodiesOnly(c, next) {
    const mediaType = (c.req.header("Content-Type") ?? "").split(";")[0]?.trim() ?? "";
    if (!JSON_MEDIA_TYPE.test(mediaType) && c.req.raw.body !== null && (await c.req.text()).trim() !== "") {
      throw unsupported("unsupported_media_type", "Send the body as JSON with 'Content-Type: application/json'.");
    }
    return validateJson(c, next);
  };
  // hono-openapi finds the validator's schema on this symbol.
  return Object.assign(guarded, { [uniqueSymbol]: (validateJson as unknown as Record<symbol, unknown>)[uniqueSymbol] }) as unknown as M;
}

/** Documents a JSON body the route also accepts absent (the generator marks every validated body required). */
function describeOptionalBody(middleware: object, schema: z.ZodType) {
  const requestBody = { required: false, content: { "application/json": { schema: resolver(schema) } } };
  Object.assign(middleware, { [uniqueSymbol]: { spec: { requestBody, [VALIDATION_MARKER]: true } } });
}
