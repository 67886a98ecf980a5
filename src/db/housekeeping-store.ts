import { and, eq, inArray, lt, notInArray } from "drizzle-orm";
import type { Db } from "./index";
import { jobRuns, media, notifications, productMedia, webhookEvents } from "./schema";

/** Deletes up to `limit` processed or ignored provider events last touched before `before`; returns how many. */
export async function deleteSettledEvents(db: Db, before: Date, limit: number): Promise<number> {
  const ids = db
    .select({ id: webhookEvents.id })
    .from(webhookEvents)
    .where(and(inArray(webhookEvents.status, ["processed", "ignored"]), lt(webhookEvents.updatedAt, before)))
    .limit(limit);
  return (await db.delete(webhookEvents).where(inArray(webhookEvents.id, ids)).returning({ id: webhookEvents.id })).length;
}

/** Deletes up to `limit` notifications sent before `before`; returns how many. */
export async function deleteSentNotifications(db: Db, before: Date, limit: number): Promise<number> {
  const ids = db
    .select({ id: notifications.id })
    .from(notifications)
    .where(and(eq(notifications.status, "sent"), lt(notifications.sentAt, before)))
    .limit(limit);
  return (await db.delete(notifications).where(inArray(notifications.id, ids)).returning({ id: notifications.id })).length;
}

/** Deletes up to `limit` job runs started before `before`; returns how many. */
export async function deleteOldJobRuns(db: Db, before: Date, limit: number): Promise<number> {
  const ids = db.select({ id: jobRuns.id }).from(jobRuns).where(lt(jobRuns.startedAt, before)).limit(limit);
  return (await db.delete(jobRuns).where(inArray(jobRuns.id, ids)).returning({ id: jobRuns.id })).length;
}

const usedKeys = (db: Db) => db.select({ key: productMedia.mediaKey }).from(productMedia);

/** Keys of uploads older than `before` that no product uses. */
export async function unusedMediaKeys(db: Db, before: Date, limit: number): Promise<string[]> {
  const rows = await db
    .select({ key: media.key })
    .from(media)
    .where(and(lt(media.uploadedAt, before), notInArray(media.key, usedKeys(db))))
    .limit(limit);
  return rows.map((r) => r.key);
}

/** Deletes an upload's row unless a product started using it meanwhile. */
export async function deleteUnusedMedia(db: Db, key: string): Promise<void> {
  await db.delete(media).where(and(eq(media.key, key), notInArray(media.key, usedKeys(db))));
}
