import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "./index";
import { webhookEvents } from "./schema";

export type WebhookEventRow = typeof webhookEvents.$inferSelect;
export type WebhookEventStatus = WebhookEventRow["status"];

export interface EventRef {
  provider: string;
  eventId: string;
}

/**
 * The statement that records an event's outcome (to batch with its effect): a new row, or an update
 * of one left failed or replayed by an earlier attempt; an event already recorded otherwise stays as it is.
 */
export function recordEventStatement(
  db: Db,
  e: EventRef & { type: string; status: "processed" | "ignored"; orderId: string | null; message: unknown; now: Date },
) {
  return db
    .insert(webhookEvents)
    .values({ ...e, attempts: 1, receivedAt: e.now, updatedAt: e.now })
    .onConflictDoUpdate({
      target: [webhookEvents.provider, webhookEvents.eventId],
      set: { status: sql`excluded.status`, error: null, updatedAt: e.now },
      setWhere: inArray(webhookEvents.status, ["failed", "replayed"]),
    });
}

/** Whether an event has already taken effect (a failed or replayed row has not, for good). */
export async function eventSeen(db: Db, ref: EventRef): Promise<boolean> {
  const [row] = await db
    .select({ status: webhookEvents.status })
    .from(webhookEvents)
    .where(and(eq(webhookEvents.provider, ref.provider), eq(webhookEvents.eventId, ref.eventId)))
    .limit(1);
  return row !== undefined && row.status !== "failed" && row.status !== "replayed";
}

/** After a successful (re)delivery: a row left failed or replayed by an earlier attempt is now processed. */
export async function markEventSettled(db: Db, ref: EventRef, now: Date): Promise<void> {
  await db
    .update(webhookEvents)
    .set({ status: "processed", error: null, updatedAt: now })
    .where(
      and(
        eq(webhookEvents.provider, ref.provider),
        eq(webhookEvents.eventId, ref.eventId),
        inArray(webhookEvents.status, ["failed", "replayed"]),
      ),
    );
}

/** Stores an event that kept failing as failed (whatever its row said), visible and replayable. */
export async function recordDeadLetter(
  db: Db,
  e: EventRef & { type: string; orderId: string | null; message: unknown; attempts: number; now: Date },
): Promise<void> {
  const error = "dead-lettered after repeated failures";
  await db
    .insert(webhookEvents)
    .values({ ...e, status: "failed", error, receivedAt: e.now, updatedAt: e.now })
    .onConflictDoUpdate({
      target: [webhookEvents.provider, webhookEvents.eventId],
      set: {
        status: "failed",
        attempts: sql`${webhookEvents.attempts} + excluded.attempts`,
        error,
        message: sql`excluded.message`,
        updatedAt: e.now,
      },
    });
}

/** Provider events, newest first. */
export async function listEvents(db: Db, query: { status?: WebhookEventStatus; limit: number }) {
  return db
    .select()
    .from(webhookEvents)
    .where(query.status ? eq(webhookEvents.status, query.status) : undefined)
    .orderBy(desc(webhookEvents.id))
    .limit(query.limit);
}

/** One stored event. */
export async function findEvent(db: Db, id: number): Promise<WebhookEventRow | undefined> {
  const [row] = await db.select().from(webhookEvents).where(eq(webhookEvents.id, id)).limit(1);
  return row;
}

/** Moves a failed event to `replayed` (once, even on a double click); false if it was not failed. */
export async function claimReplay(db: Db, id: number, now: Date): Promise<boolean> {
  const claimed = await db
    .update(webhookEvents)
    .set({ status: "replayed", updatedAt: now })
    .where(and(eq(webhookEvents.id, id), eq(webhookEvents.status, "failed")))
    .returning({ id: webhookEvents.id });
  return claimed.length === 1;
}

/** Puts a replay claim back (its message could not be queued). */
export async function releaseReplay(db: Db, id: number, now: Date): Promise<void> {
  await db.update(webhookEvents).set({ status: "failed", updatedAt: now }).where(eq(webhookEvents.id, id));
}
