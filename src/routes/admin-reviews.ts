import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import { z } from "zod";
import { REVIEW_ID_PATTERN } from "../domain/review";
import type { AppEnv } from "../env";
import { adminActor } from "../http/admin-auth";
import { ReviewListSchema, ReviewSchema } from "../openapi/admin-schemas";
import { jsonBody, problems } from "../openapi/responses";
import { requestDb } from "../request-db";
import { moderateReview, reviewQueue } from "../services/reviews";
import { validate } from "../validation";

const reviewIdParam = z.object({ id: z.string().regex(REVIEW_ID_PATTERN, "Not a review id.") });

const decide = (summary: string) =>
  describeRoute({
    tags: ["Reviews"],
    summary,
    description: "The product page shows the change on its next view. Approving tells the customer their review is live.",
    responses: { 200: jsonBody("The review after the decision.", ReviewSchema), ...problems(404) },
  });

/** Review moderation: the queue, approving and rejecting. */
export const adminReviews = new Hono<AppEnv>()
  .get(
    "/",
    describeRoute({
      tags: ["Reviews"],
      summary: "List reviews by status",
      description: "`pending` (default) is the moderation queue, flagged reviews first.",
      responses: { 200: jsonBody("Reviews.", ReviewListSchema), ...problems(400) },
    }),
    validate("query", z.object({ status: z.enum(["pending", "approved", "rejected"]).default("pending") })),
    async (c) => c.json(await reviewQueue(requestDb(c), c.req.valid("query").status)),
  )
  .post("/:id/approve", decide("Approve a review"), validate("param", reviewIdParam), async (c) =>
    c.json(await moderateReview(c.env, requestDb(c), c.req.valid("param").id, "approved", adminActor(c))),
  )
  .post("/:id/reject", decide("Reject a review"), validate("param", reviewIdParam), async (c) =>
    c.json(await moderateReview(c.env, requestDb(c), c.req.valid("param").id, "rejected", adminActor(c))),
  );
