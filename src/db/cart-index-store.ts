import { and, asc, eq, gt, gte, inArray, isNotNull, isNull, lt, lte, notInArray, sql } from "drizzle-orm";
import type { Db } from "./index";
import { cartIndex, emailUnsubscribes } from "./schema";

export type CartIndexRow = typeof cartIndex.$inferInsert;

/** Upserts a cart's row; an older write never overwrites a newer one. */
export async function upsertCartIndex(db: Db, row: CartIndexRow): Promise<void> {
  const { cartId: _id, remindedAt: _reminded, currency: _currency, ...changes } = row;
  await db
    .insert(cartIndex)
    .values(row)
    .onConflictDoUpdate({ target: cartIndex.cartId, set: changes, setWhere: sql`excluded.updated_at >= ${cartIndex.updatedAt}` });
}

/** Removes a deleted cart's row. */
export async function deleteCartIndex(db: Db, cartId: string): Promise<void> {
  await db.delete(cartIndex).where(eq(cartIndex.cartId, cartId));
}

/** Open carts with an email and items, idle since `idleSince`, never reminded, not expired, not unsubscribed. */
export async function abandonedCarts(db: Db, idleSince: Date, now: Date, limit: number) {
  return db
    .select({ cartId: cartIndex.cartId, email: cartIndex.email })
    .from(cartIndex)
    .where(
      and(
        eq(cartIndex.status, "open"),
        isNotNull(cartIndex.email),
        gt(cartIndex.itemCount, 0),
        isNull(cartIndex.remindedAt),
        lte(cartIndex.updatedAt, idleSince),
        gt(cartIndex.expiresAt, now),
        notInArray(sql`lower(${cartIndex.email})`, db.select({ email: emailUnsubscribes.email }).from(emailUnsubscribes)),
      ),
    )
    .orderBy(asc(cartIndex.updatedAt))
    .limit(limit) as Promise<{ cartId: string; email: string }[]>;
}

/** Notes that a cart's reminder went out. */
export async function markCartReminded(db: Db, cartId: string, now: Date): Promise<void> {
  await db.update(cartIndex).set({ remindedAt: now }).where(eq(cartIndex.cartId, cartId));
}

/** Carts active in [from, to). */
export async function activeCartsBetween(db: Db, from: Date, to: Date): Promise<number> {
  return db.$count(cartIndex, and(gte(cartIndex.updatedAt, from), lt(cartIndex.updatedAt, to)));
}

/** Deletes up to `limit` rows of carts that expired before `now`; returns how many. */
export async function deleteExpiredCartIndex(db: Db, now: Date, limit: number): Promise<number> {
  const expired = db.select({ cartId: cartIndex.cartId }).from(cartIndex).where(lt(cartIndex.expiresAt, now)).limit(limit);
  return (await db.delete(cartIndex).where(inArray(cartIndex.cartId, expired)).returning({ cartId: cartIndex.cartId })).length;
}
