import { and, asc, eq, gt, isNull, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { MoneyBounds } from "../domain/rfm";
import type { Db } from "./index";
import { customerSegmentHistory, customers } from "./schema";

const live = and(isNull(customers.mergedInto), isNull(customers.deletedAt));

/** Lifetime values at the buyer quintiles (0s when there are no buyers). */
export async function moneyBounds(db: Db): Promise<MoneyBounds> {
  const buyers = and(live, gt(customers.ordersCount, 0));
  const [row] = await db.select({ n: sql<number>`count(*)` }).from(customers).where(buyers);
  const n = row?.n ?? 0;
  if (!n) return [0, 0, 0, 0];
  const at = (k: number) =>
    db
      .select({ v: customers.lifetimeValue })
      .from(customers)
      .where(buyers)
      .orderBy(asc(customers.lifetimeValue))
      .limit(1)
      .offset(Math.min(n - 1, Math.floor((n * k) / 5)));
  const [a, b, c, d] = await db.batch([at(1), at(2), at(3), at(4)]);
  return [a[0]?.v ?? 0, b[0]?.v ?? 0, c[0]?.v ?? 0, d[0]?.v ?? 0];
}

/** The next live customers after `after` (by id), with what scoring reads. */
export async function customersToScore(db: Db, after: string, limit: number) {
  return db
    .select({
      id: customers.id,
      ordersCount: customers.ordersCount,
      lifetimeValue: customers.lifetimeValue,
      lastOrderAt: customers.lastOrderAt,
      segment: customers.segment,
      rfm: customers.rfm,
    })
    .from(customers)
    .where(and(live, gt(customers.id, after)))
    .orderBy(asc(customers.id))
    .limit(limit);
}

/** Writes scores; a customer whose segment changed gets a history row (so rescoring the same day writes none). */
export async function writeScores(db: Db, scores: { id: string; segment: string; rfm: string | null; changed: boolean }[], now: Date) {
  const statements: BatchItem<"sqlite">[] = scores.flatMap((s) => [
    db.update(customers).set({ segment: s.segment, rfm: s.rfm, scoredAt: now }).where(eq(customers.id, s.id)),
    ...(s.changed
      ? [db.insert(customerSegmentHistory).values({ customerId: s.id, at: now, segment: s.segment, rfm: s.rfm }).onConflictDoNothing()]
      : []),
  ]);
  if (statements.length) await db.batch(statements as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
}
