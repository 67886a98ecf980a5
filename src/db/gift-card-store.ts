import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "./index";
import { giftCards, orderGiftCards, orders } from "./schema";

export type GiftCardRow = typeof giftCards.$inferSelect;
export type OrderGiftCardRow = typeof orderGiftCards.$inferSelect;

type Batch = [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]];

/** Records an issued card; the same id again is a no-op (a repeated purchase issue). */
export async function insertGiftCard(db: Db, row: typeof giftCards.$inferInsert): Promise<void> {
  await db.insert(giftCards).values(row).onConflictDoNothing();
}

/** A card by id. */
export async function giftCardById(db: Db, id: string): Promise<GiftCardRow | undefined> {
  const [row] = await db.select().from(giftCards).where(eq(giftCards.id, id)).limit(1);
  return row;
}

/** The cards whose codes hash to these values. */
export async function giftCardsByCodeHash(db: Db, hashes: string[]): Promise<GiftCardRow[]> {
  if (!hashes.length) return [];
  return db.select().from(giftCards).where(inArray(giftCards.codeHash, hashes));
}

/** Cards, newest first; `last4` narrows to codes ending so. */
export async function listGiftCardRows(db: Db, query: { last4?: string; limit: number }): Promise<GiftCardRow[]> {
  return db
    .select()
    .from(giftCards)
    .where(query.last4 ? eq(giftCards.last4, query.last4) : undefined)
    .orderBy(desc(giftCards.createdAt))
    .limit(query.limit);
}

/** Cards a paid order issued (bought gift cards). */
export async function giftCardsIssuedBy(db: Db, orderId: string): Promise<GiftCardRow[]> {
  return db.select().from(giftCards).where(eq(giftCards.orderId, orderId)).orderBy(asc(giftCards.id));
}

/** Keeps the listed copy of a card's balance (and switch) in step with its object. */
export async function mirrorGiftCard(db: Db, id: string, fields: { balance?: number; disabled?: boolean }, now: Date): Promise<void> {
  await db
    .update(giftCards)
    .set({ ...fields, updatedAt: now })
    .where(eq(giftCards.id, id));
}

/** Keeps the listed expiry in step with the card's object. */
export async function setGiftCardExpiry(db: Db, id: string, expiresAt: Date | null, now: Date): Promise<void> {
  await db.update(giftCards).set({ expiresAt, updatedAt: now }).where(eq(giftCards.id, id));
}

/** Records, before any is charged, which cards an order is to be paid with (so an undo knows them all). */
export async function planOrderGiftCards(db: Db, orderId: string, cards: { cardId: string; last4: string }[]): Promise<void> {
  if (!cards.length) return;
  await db
    .insert(orderGiftCards)
    .values(cards.map((c, position) => ({ orderId, cardId: c.cardId, last4: c.last4, position, amount: 0 })))
    .onConflictDoNothing();
}

/** Writes what each card paid and their sum on the order, together. */
export async function settleOrderGiftCards(db: Db, orderId: string, paid: { cardId: string; amount: number }[], now: Date): Promise<void> {
  const statements = [
    ...paid.map((p) =>
      db
        .update(orderGiftCards)
        .set({ amount: p.amount })
        .where(and(eq(orderGiftCards.orderId, orderId), eq(orderGiftCards.cardId, p.cardId))),
    ),
    db
      .update(orders)
      .set({
        giftCardTotal: sql`(select coalesce(sum(${orderGiftCards.amount}), 0) from ${orderGiftCards} where ${orderGiftCards.orderId} = ${orderId})`,
        updatedAt: now,
      })
      .where(eq(orders.id, orderId)),
  ];
  await db.batch(statements as unknown as Batch);
}

/** The cards an order was (or was to be) paid with, in the order applied. */
export async function orderGiftCardsOf(db: Db, orderId: string): Promise<OrderGiftCardRow[]> {
  return db.select().from(orderGiftCards).where(eq(orderGiftCards.orderId, orderId)).orderBy(asc(orderGiftCards.position));
}
