import { resolver } from "hono-openapi";
import type { z } from "zod";
import { ProblemSchema } from "./problem";

/** Response schemas describe what handlers send: defaults filled in, no fields beyond those listed. */
const OUTPUT = { options: { io: "output" } };

/** The problem+json media type of every error answer. */
const PROBLEM_TYPE = "application/problem+json";

const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: "The request is invalid; `errors` names each field.",
  401: "Credentials are missing or wrong.",
  403: "The credentials do not allow this.",
  404: "Not found.",
  409: "Conflicts with the current state; `code` says how.",
  413: "The body is too large.",
  415: "The body is not of a supported type.",
  422: "Understood but refused; `code` says why.",
  429: "Too many attempts; see Retry-After.",
  503: "A dependency is unavailable or a setting is missing; retry later.",
};

/** A JSON answer documented by the zod schema of what the handler sends. */
export function jsonBody(description: string, schema: z.ZodType) {
  return { description, content: { "application/json": { schema: resolver(schema, OUTPUT) } } };
}

/** problem+json answers for these statuses. */
export function problems(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: PROBLEM_DESCRIPTIONS[status] ?? "An error.",
        content: { [PROBLEM_TYPE]: { schema: resolver(ProblemSchema, OUTPUT) } },
      },
    ]),
  );
}

/** A problem+json answer referring to the shared Problem schema (for answers declared outside a route). */
export function problemResponse(description: string) {
  return { description, content: { [PROBLEM_TYPE]: { schema: { $ref: "#/components/schemas/Problem" } } } };
}
