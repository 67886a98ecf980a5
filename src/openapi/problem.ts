import { z } from "zod";

/** One field-level failure inside a problem. */
const FieldErrorSchema = z
  .object({
    field: z.string().meta({ description: "Dotted path of the field, or `(root)`." }),
    in: z.enum(["query", "param", "json", "form", "header", "body"]),
    message: z.string(),
  })
  .meta({ id: "FieldError" });

/** An RFC 9457 problem document: every error answer of the APIs. Some codes add fields (e.g. `from`/`to`, `setting`). */
export const ProblemSchema = z
  .looseObject({
    type: z.string().meta({ description: "`urn:edgefront:problem:<code>`." }),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    code: z.string().meta({ description: "Stable snake_case code to branch on." }),
    instance: z.string().meta({ description: "The request path." }),
    requestId: z.string().optional(),
    errors: z.array(FieldErrorSchema).optional(),
  })
  .meta({ id: "Problem", description: "An error answer (application/problem+json)." });
