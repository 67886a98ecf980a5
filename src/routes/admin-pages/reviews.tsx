import { Hono } from "hono";
import { REVIEW_ID_PATTERN } from "../../domain/review";
import type { AppEnv } from "../../env";
import { notFound } from "../../errors";
import { adminActor } from "../../http/admin-auth";
import { requestDb } from "../../request-db";
import { moderateReview, reviewQueue } from "../../services/reviews";
import { ReviewsPage } from "../../views/admin/reviews";
import { adminContext, formAction, renderPage } from "./kit";

const STATUSES = ["pending", "approved", "rejected"] as const;

/** Admin pages for review moderation. */
export const reviewPages = new Hono<AppEnv>()
  .get("/", async (c) => {
    const ctx = adminContext(c);
    const s = c.req.query("status");
    const status = (STATUSES as readonly string[]).includes(s ?? "") ? (s as (typeof STATUSES)[number]) : "pending";
    const { items } = await reviewQueue(requestDb(c), status);
    return renderPage(c, ctx, <ReviewsPage ctx={ctx} items={items} status={status} />);
  })
  .post("/:id/:decision{approve|reject}", async (c) => {
    const id = c.req.param("id");
    if (!REVIEW_ID_PATTERN.test(id)) throw notFound("Review", id);
    const decision = c.req.param("decision") === "approve" ? "approved" : "rejected";
    return formAction(
      c,
      "/admin/reviews",
      decision === "approved" ? "Review approved: it is on the product page." : "Review rejected.",
      () => moderateReview(c.env, requestDb(c), id, decision, adminActor(c)),
    );
  });
