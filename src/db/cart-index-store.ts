import { and, asc, eq, exists, gt, gte, inArray, isNotNull, isNull, lt, lte, notExists, notInArray, or, sql } from "drizzle-orm";
import type { Db } from "./index";
import { cartIndex, emailReminders, emailUnsubscribes, orders } from "./schema";

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

/** How long an address waits between two reminder emails. */
export const REMINDER_INTERVAL_MS = 24 * 3_600_000;

/**
 * Open carts with an email and items, idle since `idleSince`, never reminded, not expired, whose
 * address may get a reminder: the shopper asked for one on this cart, or the address has paid for an
 * order before; never unsubscribed, and not reminded about any cart in the last 24 hours.
 */
export async function abandonedCarts(db: Db, idleSince: Date, now: Date, limit: number) {
  const address = sql`lower(${cartIndex.email})`;
  const paidBefore = db
    .select({ one: sql`1` })
    .from(orders)
    .where(and(sql`lower(${orders.email}) = ${address}`, isNotNull(orders.paidAt)));
  const remindedLately = db
    .select({ one: sql`1` })
    .from(emailReminders)
    .where(and(eq(emailReminders.email, address), gt(emailReminders.lastSentAt, new Date(now.getTime() - REMINDER_INTERVAL_MS))));
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
        or(eq(cartIndex.remindMe, true), exists(paidBefore)),
        notExists(remindedLately),
        notInArray(address, db.select({ email: emailUnsubscribes.email }).from(emailUnsubscribes)),
      ),
    )
    .orderBy(asc(cartIndex.updatedAt))
    .limit(limit) as Promise<{ cartId: string; email: string }[]>;
}

/**
 * Takes the right to send `email` a reminder now: true at most once per address in 24 hours (a
 * guarded upsert, so concurrent runs and two carts of one address cannot both send).
 */
export async function claimReminderAddress(db: Db, email: string, now: Date): Promise<boolean> {
  const claimed = await db
    .insert(emailReminders)
    .values({ email: email.trim().toLowerCase(), lastSentAt: now })
    .onConflictDoUpdate({
      target: emailReminders.email,
      set: { lastSentAt: now },
      setWhere: lte(emailReminders.lastSentAt, new Date(now.getTime() - REMINDER_INTERVAL_MS)),
    })
    .returning({ email: emailReminders.email });
  return claimed.length === 1;
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
