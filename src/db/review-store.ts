import { and, avg, count, desc, eq, isNotNull, sql } from "drizzle-orm";
import type { Db } from "./index";
import { auditLog, customers, orderLines, orders, products, reviews } from "./schema";

export type ReviewRow = typeof reviews.$inferSelect;

/** A paid order of the customer with a line of the product, if any. */
export async function paidOrderWithProduct(db: Db, customerId: string, productId: number): Promise<string | undefined> {
  const [row] = await db
    .select({ id: orders.id })
    .from(orders)
    .innerJoin(orderLines, eq(orderLines.orderId, orders.id))
    .where(and(eq(orders.customerId, customerId), isNotNull(orders.paidAt), eq(orderLines.productId, productId)))
    .limit(1);
  return row?.id;
}

/** The customer's review of a product, if they wrote one. */
export async function reviewOf(db: Db, customerId: string, productId: number): Promise<ReviewRow | undefined> {
  const [row] = await db
    .select()
    .from(reviews)
    .where(and(eq(reviews.customerId, customerId), eq(reviews.productId, productId)))
    .limit(1);
  return row;
}

/** Adds a review; false when the customer already reviewed the product. */
export async function insertReview(db: Db, row: typeof reviews.$inferInsert): Promise<boolean> {
  const rows = await db.insert(reviews).values(row).onConflictDoNothing().returning({ id: reviews.id });
  return rows.length === 1;
}

/** A product's approved reviews (newest first) with their average and count. */
export async function approvedReviews(db: Db, productId: number, limit: number) {
  const approved = and(eq(reviews.productId, productId), eq(reviews.status, "approved"));
  const [stats, items] = await db.batch([
    db
      .select({ average: avg(reviews.rating), count: count() })
      .from(reviews)
      .where(approved),
    db
      .select({
        rating: reviews.rating,
        title: reviews.title,
        body: reviews.body,
        authorName: reviews.authorName,
        createdAt: reviews.createdAt,
      })
      .from(reviews)
      .where(approved)
      .orderBy(desc(reviews.createdAt))
      .limit(limit),
  ]);
  return {
    average: stats[0]?.average === null || stats[0]?.average === undefined ? null : Number(stats[0].average),
    count: stats[0]?.count ?? 0,
    items,
  };
}

const withContext = (db: Db) =>
  db
    .select({ review: reviews, productTitle: products.title, productSlug: products.slug, email: customers.email })
    .from(reviews)
    .leftJoin(products, eq(products.id, reviews.productId))
    .leftJoin(customers, eq(customers.id, reviews.customerId));

/** One review with its product and the customer's email. */
export async function reviewWithContext(db: Db, id: string) {
  const [row] = await withContext(db).where(eq(reviews.id, id)).limit(1);
  return row;
}

/** Reviews in a status for moderation, flagged first, oldest first, with the product and the customer's email. */
export async function reviewsForModeration(db: Db, status: ReviewRow["status"], limit: number) {
  return withContext(db)
    .where(eq(reviews.status, status))
    .orderBy(sql`json_array_length(${reviews.flags}) = 0`, status === "pending" ? reviews.createdAt : desc(reviews.createdAt))
    .limit(limit);
}

/** A review by id. */
export async function reviewById(db: Db, id: string): Promise<ReviewRow | undefined> {
  const [row] = await db.select().from(reviews).where(eq(reviews.id, id)).limit(1);
  return row;
}

/** Sets a review's status with its audit row, in one batch; false if it was already in that status. */
export async function setReviewStatus(db: Db, id: string, status: "approved" | "rejected", actor: string, now: Date): Promise<boolean> {
  const [changed] = await db.batch([
    db
      .update(reviews)
      .set({ status, moderatedAt: now, moderatedBy: actor, updatedAt: now })
      .where(and(eq(reviews.id, id), sql`${reviews.status} <> ${status}`))
      .returning({ id: reviews.id }),
    db.insert(auditLog).select(
      db
        .select({
          id: sql<null>`null`.as("id"),
          at: sql<number>`${now.getTime()}`.as("at"),
          actor: sql<string>`${actor}`.as("actor"),
          action: sql<string>`${status === "approved" ? "approve" : "reject"}`.as("action"),
          entity: sql<string>`'reviews'`.as("entity"),
          entityId: sql<string>`${id}`.as("entity_id"),
          changes: sql<null>`null`.as("changes"),
          requestId: sql<null>`null`.as("request_id"),
        })
        .from(reviews)
        .where(and(eq(reviews.id, id), eq(reviews.status, status), eq(reviews.moderatedAt, now))),
    ),
  ]);
  return changed.length === 1;
}
