import { zValidator } from "@hono/zod-validator";
import type { ValidationTargets } from "hono";
import type { z } from "zod";
import { type FieldError, invalid } from "./errors";

type Target = keyof ValidationTargets;

/** Per-field errors from a zod failure. */
export function fieldErrors(
  error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] },
  where: FieldError["in"],
): FieldError[] {
  return error.issues.map((issue) => ({
    field: issue.path.length ? issue.path.map(String).join(".") : "(root)",
    in: where,
    message: issue.message,
  }));
}

/** zod validation for a request part; failures become 400 `invalid_request` with per-field errors. */
export function validate<T extends z.ZodType, K extends Target>(target: K, schema: T) {
  return zValidator(target, schema, (result) => {
    if (!result.success) {
      const where = target === "cookie" ? "header" : (target as FieldError["in"]);
      throw invalid("invalid_request", `The request ${target} is invalid.`, fieldErrors(result.error, where));
    }
  });
}
