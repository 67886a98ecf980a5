import { and, eq } from "drizzle-orm";
import type { Db } from "./index";
import { idempotencyKeys } from "./schema";

export type IdempotencyRow = typeof idempotencyKeys.$inferSelect;
export type IdempotencyState = IdempotencyRow["state"];

/** Takes a new key for `owner`; false if the key already exists. */
export async function insertKey(db: Db, key: string, requestHash: string, owner: string, now: Date): Promise<boolean> {
  const inserted = await db
    .insert(idempotencyKeys)
    .values({ key, requestHash, state: "in_progress", attempt: 1, owner, createdAt: now, updatedAt: now })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
  return inserted.length === 1;
}

/** The key's row, if any. */
export async function findKey(db: Db, key: string): Promise<IdempotencyRow | undefined> {
  const [row] = await db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, key)).limit(1);
  return row;
}

/** Hands the key to `owner` for `attempt` if it is still as `seen`; false if someone else changed it first. */
export async function takeOverKey(db: Db, seen: IdempotencyRow, owner: string, attempt: number, now: Date): Promise<boolean> {
  const taken = await db
    .update(idempotencyKeys)
    .set({ state: "in_progress", attempt, owner, updatedAt: now })
    .where(
      and(
        eq(idempotencyKeys.key, seen.key),
        eq(idempotencyKeys.owner, seen.owner),
        eq(idempotencyKeys.state, seen.state),
        eq(idempotencyKeys.attempt, seen.attempt),
      ),
    )
    .returning({ key: idempotencyKeys.key });
  return taken.length === 1;
}

/** Updates the key only while `owner` holds it. */
export async function updateOwnedKey(
  db: Db,
  key: string,
  owner: string,
  set: Partial<Pick<IdempotencyRow, "state" | "attempt" | "responseStatus" | "responseBody" | "orderId">>,
): Promise<void> {
  await db
    .update(idempotencyKeys)
    .set({ ...set, updatedAt: new Date() })
    .where(and(eq(idempotencyKeys.key, key), eq(idempotencyKeys.owner, owner)));
}

/** Who holds the key now. */
export async function keyOwner(db: Db, key: string): Promise<string | undefined> {
  const [row] = await db.select({ owner: idempotencyKeys.owner }).from(idempotencyKeys).where(eq(idempotencyKeys.key, key)).limit(1);
  return row?.owner;
}
