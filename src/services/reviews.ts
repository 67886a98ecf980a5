import { bumpCatalogVersion } from "../cache/catalog-cache";
import type { Db } from "../db";
import { customerById } from "../db/customer-store";
import {
  approvedReviews,
  insertReview,
  paidOrderWithProduct,
  type ReviewRow,
  reviewOf,
  reviewsForModeration,
  reviewWithContext,
  setReviewStatus,
} from "../db/review-store";
import { type ReviewsSummary, reviewerName, reviewFlags } from "../domain/review";
import type { Bindings } from "../env";
import { conflict, notFound } from "../errors";
import { log } from "../log";
import { queueEmail } from "./notifications";

/** Approved reviews a product page shows (the newest), with their average and count. */
export async function productReviews(db: Db, productId: number, limit = 10): Promise<ReviewsSummary> {
  const r = await approvedReviews(db, productId, limit);
  return {
    average: r.average === null ? null : Math.round(r.average * 10) / 10,
    count: r.count,
    items: r.items.map((i) => ({ ...i, createdAt: i.createdAt.toISOString() })),
  };
}

/** Whether a customer may review a product: only after a paid order with it, and once. */
export async function reviewStanding(db: Db, customerId: string, productId: number) {
  const [orderId, existing] = await Promise.all([paidOrderWithProduct(db, customerId, productId), reviewOf(db, customerId, productId)]);
  return { orderId, existing };
}

/** A review as submitted by the shopper. */
export interface ReviewInput {
  rating: number;
  title: string;
  body: string;
}

/** Records a review for moderation (flagged by the automatic rules where they apply). */
export async function submitReview(db: Db, customerId: string, productId: number, input: ReviewInput, now = new Date()) {
  const { orderId, existing } = await reviewStanding(db, customerId, productId);
  if (existing) throw conflict("already_reviewed", "You have already reviewed this product.");
  if (!orderId) throw conflict("not_a_buyer", "Only customers who bought this product can review it.");
  const customer = await customerById(db, customerId);
  const flags = reviewFlags(input.title, input.body);
  const id = `rev_${[...crypto.getRandomValues(new Uint8Array(10))].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
  const inserted = await insertReview(db, {
    id,
    productId,
    customerId,
    orderId,
    rating: input.rating,
    title: input.title,
    body: input.body,
    authorName: reviewerName(customer?.name ?? ""),
    status: "pending",
    flags,
    createdAt: now,
    updatedAt: now,
  });
  if (!inserted) throw conflict("already_reviewed", "You have already reviewed this product.");
  log.info("review.submitted", { reviewId: id, productId, flags });
  return { id, status: "pending" as const, flags };
}

/** A review for moderation; the customer is named by id only (reviews are a catalog matter, their emails are not). */
const reviewView = (r: ReviewRow, extra: { productTitle: string | null; productSlug: string | null }) => ({
  id: r.id,
  productId: r.productId,
  productTitle: extra.productTitle,
  productSlug: extra.productSlug,
  customerId: r.customerId,
  rating: r.rating,
  title: r.title,
  body: r.body,
  authorName: r.authorName,
  status: r.status,
  flags: r.flags,
  createdAt: r.createdAt.toISOString(),
  moderatedAt: r.moderatedAt?.toISOString() ?? null,
  moderatedBy: r.moderatedBy,
});
export type ReviewView = ReturnType<typeof reviewView>;

/** The moderation queue (or the approved or rejected reviews): flagged ones first. */
export async function reviewQueue(db: Db, status: ReviewRow["status"], limit = 100) {
  const rows = await reviewsForModeration(db, status, limit);
  return { items: rows.map((r) => reviewView(r.review, r)) };
}

/**
 * Approves or rejects a review. The product page shows the change on its next view: moderation starts
 * a new catalog version (reviews change rarely; a narrower key would save re-rendering other pages).
 * The customer is told once their review is published.
 */
export async function moderateReview(
  env: Bindings,
  db: Db,
  id: string,
  decision: "approved" | "rejected",
  actor: string,
  now = new Date(),
) {
  const before = await reviewWithContext(db, id);
  if (!before) throw notFound("Review", id);
  const changed = await setReviewStatus(db, id, decision, actor, now);
  if (changed) {
    await bumpCatalogVersion(env.CATALOG_CACHE, now);
    if (decision === "approved" && before.email && !before.email.startsWith("deleted:")) {
      const data = {
        reviewId: id,
        title: before.review.title,
        productTitle: before.productTitle ?? "",
        productSlug: before.productSlug ?? "",
      };
      await queueEmail(env, db, { id: `review.published:${id}`, type: "review.published", to: before.email, data }, now);
    }
  }
  const after = (await reviewWithContext(db, id)) as NonNullable<typeof before>;
  return reviewView(after.review, after);
}
