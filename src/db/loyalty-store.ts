import { and, asc, eq, isNotNull, lte, sql } from "drizzle-orm";
import { DEFAULT_LOYALTY, type LoyaltySettings } from "../domain/loyalty";
import type { Db } from "./index";
import { loyaltyAccounts, loyaltySettings } from "./schema";

/** The shop's points rules (the defaults, switched off, until staff save them). */
export async function readLoyaltySettings(db: Db): Promise<LoyaltySettings> {
  const [row] = await db.select().from(loyaltySettings).where(eq(loyaltySettings.id, 1)).limit(1);
  if (!row) return DEFAULT_LOYALTY;
  const { id: _id, updatedBy: _by, updatedAt: _at, ...settings } = row;
  return settings;
}

/** Saves the points rules. */
export async function writeLoyaltySettings(db: Db, settings: LoyaltySettings, actor: string, now: Date): Promise<void> {
  const values = { ...settings, updatedBy: actor, updatedAt: now };
  await db
    .insert(loyaltySettings)
    .values({ id: 1, ...values })
    .onConflictDoUpdate({ target: loyaltySettings.id, set: values });
}

/** Keeps the listed copy of a customer's points in step with their object (a copy older than the stored one is dropped). */
export async function mirrorPoints(
  db: Db,
  customerId: string,
  s: { available: number; pending: number; nextDueAt: number | null; version: number },
  now: Date,
) {
  const values = {
    available: s.available,
    pending: s.pending,
    nextDueAt: s.nextDueAt === null ? null : new Date(s.nextDueAt),
    version: s.version,
    updatedAt: now,
  };
  await db
    .insert(loyaltyAccounts)
    .values({ customerId, ...values })
    .onConflictDoUpdate({ target: loyaltyAccounts.customerId, set: values, setWhere: sql`${loyaltyAccounts.version} <= excluded.version` });
}

/** Customers whose points have something to confirm or expire by `now`, soonest first. */
export async function pointsDue(db: Db, now: Date, limit: number): Promise<string[]> {
  const rows = await db
    .select({ id: loyaltyAccounts.customerId })
    .from(loyaltyAccounts)
    .where(and(isNotNull(loyaltyAccounts.nextDueAt), lte(loyaltyAccounts.nextDueAt, now)))
    .orderBy(asc(loyaltyAccounts.nextDueAt))
    .limit(limit);
  return rows.map((r) => r.id);
}

/** A customer's listed points. */
export async function pointsOf(db: Db, customerId: string) {
  const [row] = await db.select().from(loyaltyAccounts).where(eq(loyaltyAccounts.customerId, customerId)).limit(1);
  return row;
}

/** How many customers hold points, and how many in all (spendable, pending). */
export async function pointsTotals(db: Db) {
  const [row] = await db
    .select({
      customers: sql<number>`count(*)`,
      available: sql<number>`coalesce(sum(${loyaltyAccounts.available}), 0)`,
      pending: sql<number>`coalesce(sum(${loyaltyAccounts.pending}), 0)`,
    })
    .from(loyaltyAccounts)
    .where(sql`${loyaltyAccounts.available} + ${loyaltyAccounts.pending} > 0`);
  return row ?? { customers: 0, available: 0, pending: 0 };
}
