import { and, asc, desc, eq, gt, inArray, isNull, lte, or, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "./index";
import { discountCodes, discounts, orderDiscounts, orders, productCategories } from "./schema";

export type DiscountRow = typeof discounts.$inferSelect;

type Batch = [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]];

/** Adds a discount. */
export async function insertDiscount(db: Db, row: typeof discounts.$inferInsert): Promise<void> {
  await db.insert(discounts).values(row);
}

/** A discount by id. */
export async function discountById(db: Db, id: string): Promise<DiscountRow | undefined> {
  const [row] = await db.select().from(discounts).where(eq(discounts.id, id)).limit(1);
  return row;
}

/** Discounts, newest first, with how many codes each has. */
export async function listDiscountRows(db: Db, limit: number) {
  return db
    .select({
      discount: discounts,
      codes: sql<number>`(select count(*) from ${discountCodes} where ${discountCodes.discountId} = ${discounts.id})`,
    })
    .from(discounts)
    .orderBy(desc(discounts.createdAt))
    .limit(limit);
}

/** Switches a discount on or off. */
export async function setDiscountActive(db: Db, id: string, active: boolean, now: Date): Promise<boolean> {
  const rows = await db.update(discounts).set({ active, updatedAt: now }).where(eq(discounts.id, id)).returning({ id: discounts.id });
  return rows.length === 1;
}

/**
 * Adds codes to a discount, skipping any already taken (by this discount or another); answers the
 * codes added. Statements go 25 codes at a time (D1 binds at most 100 values each), 50 to a batch.
 */
export async function insertCodes(db: Db, discountId: string, codes: string[], batch: string | null, now: Date): Promise<string[]> {
  const statements = [];
  for (let i = 0; i < codes.length; i += 25) {
    statements.push(
      db
        .insert(discountCodes)
        .values(codes.slice(i, i + 25).map((code) => ({ code, discountId, batch, createdAt: now })))
        .onConflictDoNothing()
        .returning({ code: discountCodes.code }),
    );
  }
  const added: string[] = [];
  for (let i = 0; i < statements.length; i += 50) {
    const results = (await db.batch(statements.slice(i, i + 50) as unknown as Batch)) as { code: string }[][];
    for (const rows of results) added.push(...rows.map((r) => r.code));
  }
  return added;
}

/** The discount a code belongs to. */
export async function discountByCode(db: Db, code: string) {
  const [row] = await db
    .select({ discount: discounts })
    .from(discountCodes)
    .innerJoin(discounts, eq(discounts.id, discountCodes.discountId))
    .where(eq(discountCodes.code, code))
    .limit(1);
  return row?.discount;
}

/** Active automatic discounts whose window holds at `now`. */
export async function automaticDiscounts(db: Db, now: Date): Promise<DiscountRow[]> {
  return db
    .select()
    .from(discounts)
    .where(
      and(
        eq(discounts.automatic, true),
        eq(discounts.active, true),
        or(isNull(discounts.startsAt), lte(discounts.startsAt, now)),
        or(isNull(discounts.endsAt), gt(discounts.endsAt, now)),
      ),
    );
}

/** A discount's codes (of one batch when given), oldest first. */
export async function codesOf(db: Db, discountId: string, batch?: string) {
  return db
    .select({ code: discountCodes.code, batch: discountCodes.batch, createdAt: discountCodes.createdAt })
    .from(discountCodes)
    .where(and(eq(discountCodes.discountId, discountId), batch ? eq(discountCodes.batch, batch) : undefined))
    .orderBy(asc(discountCodes.createdAt), asc(discountCodes.code));
}

/** Category ids of each product. */
export async function categoriesOfProducts(db: Db, productIds: number[]): Promise<Map<number, number[]>> {
  const map = new Map<number, number[]>(productIds.map((id) => [id, []]));
  if (!productIds.length) return map;
  // D1 binds at most 100 values per statement: ask in chunks.
  for (let i = 0; i < productIds.length; i += 90) {
    const rows = await db
      .select({ productId: productCategories.productId, categoryId: productCategories.categoryId })
      .from(productCategories)
      .where(inArray(productCategories.productId, productIds.slice(i, i + 90)));
    for (const r of rows) map.get(r.productId)?.push(r.categoryId);
  }
  return map;
}

/** Whether an address has an order that is not cancelled (paid, or awaiting payment), other than `except` (first-order discounts). */
export async function hasOrdered(db: Db, email: string, except = ""): Promise<boolean> {
  const [row] = await db
    .select({ id: orders.id })
    .from(orders)
    .where(and(sql`lower(${orders.email}) = ${email}`, sql`${orders.status} <> 'cancelled'`, sql`${orders.id} <> ${except}`))
    .limit(1);
  return row !== undefined;
}

/** The discounts an order took, as statements for its creation batch. */
export function orderDiscountStatements(
  db: Db,
  orderId: string,
  taken: { discountId: string; code: string | null; title: string; amount: number }[],
) {
  return taken.map((t) =>
    db
      .insert(orderDiscounts)
      .values({ orderId, ...t })
      .onConflictDoNothing(),
  );
}

/** The discounts an order took. */
export async function discountsOfOrder(db: Db, orderId: string) {
  return db.select().from(orderDiscounts).where(eq(orderDiscounts.orderId, orderId)).orderBy(asc(orderDiscounts.discountId));
}

/** Marks an order's use of a discount given back. */
export async function markReleased(db: Db, orderId: string, discountId: string, now: Date): Promise<void> {
  await db
    .update(orderDiscounts)
    .set({ releasedAt: now })
    .where(and(eq(orderDiscounts.orderId, orderId), eq(orderDiscounts.discountId, discountId), isNull(orderDiscounts.releasedAt)));
}

/** Orders that used a discount and kept the use, and the money it took off them. */
export async function discountTotals(db: Db, discountId: string) {
  const [row] = await db
    .select({ orders: sql<number>`count(*)`, amount: sql<number>`coalesce(sum(${orderDiscounts.amount}), 0)` })
    .from(orderDiscounts)
    .where(and(eq(orderDiscounts.discountId, discountId), isNull(orderDiscounts.releasedAt)));
  return { orders: row?.orders ?? 0, amount: row?.amount ?? 0 };
}
