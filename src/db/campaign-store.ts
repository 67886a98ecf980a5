import { and, asc, desc, eq, gt, gte, inArray, isNull, lt, notInArray, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { SegmentRules } from "../domain/customer";
import { liveMembers } from "./customer-store";
import type { Db } from "./index";
import { campaignRecipients, campaigns, customers, emailUnsubscribes, exports, notifications } from "./schema";

export type CampaignRow = typeof campaigns.$inferSelect;

type Batch = [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]];

/** Adds a campaign. */
export async function insertCampaign(db: Db, row: typeof campaigns.$inferInsert): Promise<void> {
  await db.insert(campaigns).values(row);
}

/** A campaign by id. */
export async function campaignById(db: Db, id: string): Promise<CampaignRow | undefined> {
  const [row] = await db.select().from(campaigns).where(eq(campaigns.id, id)).limit(1);
  return row;
}

/** Campaigns, newest first. */
export const listCampaignRows = (db: Db, limit: number) => db.select().from(campaigns).orderBy(desc(campaigns.createdAt)).limit(limit);

/** Changes a draft; false when it is no longer a draft. */
export async function updateDraft(
  db: Db,
  id: string,
  changes: Partial<Pick<CampaignRow, "subject" | "body" | "productIds" | "segment">>,
  now: Date,
) {
  const rows = await db
    .update(campaigns)
    .set({ ...changes, updatedAt: now })
    .where(and(eq(campaigns.id, id), eq(campaigns.status, "draft")))
    .returning({ id: campaigns.id });
  return rows.length === 1;
}

/** Moves a draft to sending (once: a second start finds it no longer a draft). */
export async function startSending(db: Db, id: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(campaigns)
    .set({ status: "sending", sendStartedAt: now, updatedAt: now })
    .where(and(eq(campaigns.id, id), eq(campaigns.status, "draft")))
    .returning({ id: campaigns.id });
  return rows.length === 1;
}

/** Live customers of a segment who consented to marketing email and did not unsubscribe, after `after` by id. */
export async function consentingMembers(db: Db, segment: { segment?: string; rules?: SegmentRules }, after: string, limit: number) {
  return db
    .select({ id: customers.id, email: customers.email })
    .from(customers)
    .where(
      and(
        liveMembers(segment),
        eq(customers.marketingConsent, true),
        notInArray(customers.email, db.select({ email: emailUnsubscribes.email }).from(emailUnsubscribes)),
        gt(customers.id, after),
      ),
    )
    .orderBy(asc(customers.id))
    .limit(limit);
}

/** The notification id of a campaign's email to a customer: the same however often its batch is expanded. */
export const campaignNotificationId = (campaignId: string, customerId: string) => `campaign:${campaignId}:${customerId}`;

/**
 * Records a batch of recipients and their emails (each at most once per campaign: repeated batches
 * insert nothing new), and the campaign's recipient count; answers the notification ids not yet sent.
 */
export async function recordRecipients(db: Db, campaignId: string, members: { id: string; email: string }[], now: Date): Promise<string[]> {
  const statements: BatchItem<"sqlite">[] = [];
  // D1 binds at most 100 values per statement.
  for (let i = 0; i < members.length; i += 25) {
    const chunk = members.slice(i, i + 25);
    statements.push(
      db
        .insert(campaignRecipients)
        .values(chunk.map((m) => ({ campaignId, customerId: m.id, email: m.email })))
        .onConflictDoNothing(),
    );
  }
  for (let i = 0; i < members.length; i += 12) {
    const chunk = members.slice(i, i + 12);
    statements.push(
      db
        .insert(notifications)
        .values(
          chunk.map((m) => ({
            id: campaignNotificationId(campaignId, m.id),
            type: "campaign",
            recipient: m.email,
            status: "queued" as const,
            data: { campaignId, customerId: m.id, email: m.email },
            createdAt: now,
            updatedAt: now,
          })),
        )
        .onConflictDoNothing(),
    );
  }
  statements.push(
    db
      .update(campaigns)
      .set({
        recipients: sql`(select count(*) from ${campaignRecipients} where ${campaignRecipients.campaignId} = ${campaignId})`,
        updatedAt: now,
      })
      .where(eq(campaigns.id, campaignId)),
  );
  await db.batch(statements as Batch);
  const wanted = members.map((m) => campaignNotificationId(campaignId, m.id));
  const unsent: string[] = [];
  for (let i = 0; i < wanted.length; i += 90) {
    const rows = await db
      .select({ id: notifications.id })
      .from(notifications)
      .where(and(inArray(notifications.id, wanted.slice(i, i + 90)), sql`${notifications.status} <> 'sent'`));
    unsent.push(...rows.map((r) => r.id));
  }
  return unsent;
}

/** Whether an address may still get a campaign: a live customer who consents and is not on the suppression list. */
export async function stillConsenting(db: Db, customerId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: customers.id })
    .from(customers)
    .where(
      and(
        eq(customers.id, customerId),
        isNull(customers.deletedAt),
        eq(customers.marketingConsent, true),
        notInArray(customers.email, db.select({ email: emailUnsubscribes.email }).from(emailUnsubscribes)),
      ),
    )
    .limit(1);
  return row !== undefined;
}

/** Campaigns not yet fully sent that go to a segment. */
export async function openCampaignsFor(db: Db, segment: string) {
  return db
    .select({ id: campaigns.id })
    .from(campaigns)
    .where(and(eq(campaigns.segment, segment), sql`${campaigns.status} <> 'sent'`));
}

/** Marks a campaign fully expanded (every recipient queued). */
export async function finishExpanding(db: Db, id: string, now: Date): Promise<void> {
  await db
    .update(campaigns)
    .set({ status: "sent", expandedAt: now, updatedAt: now })
    .where(and(eq(campaigns.id, id), eq(campaigns.status, "sending")));
}

/** How a campaign's emails stand: recipients by notification status, and unsubscribes through its link. */
export async function campaignCounts(db: Db, id: string) {
  const prefix = `campaign:${id}:`;
  const [byStatus, unsubscribed] = await db.batch([
    db
      .select({ status: notifications.status, n: sql<number>`count(*)` })
      .from(notifications)
      .where(and(gte(notifications.id, prefix), lt(notifications.id, `${prefix}~`)))
      .groupBy(notifications.status),
    db
      .select({ n: sql<number>`count(*)` })
      .from(campaignRecipients)
      .where(and(eq(campaignRecipients.campaignId, id), sql`${campaignRecipients.unsubscribedAt} is not null`)),
  ]);
  const count = (s: string) => byStatus.find((r) => r.status === s)?.n ?? 0;
  return {
    queued: count("queued") + count("sending"),
    sent: count("sent"),
    failed: count("failed"),
    unsubscribed: unsubscribed[0]?.n ?? 0,
  };
}

/** Marks a recipient unsubscribed through a campaign's link. */
export async function markCampaignUnsubscribe(db: Db, campaignId: string, email: string, now: Date): Promise<void> {
  await db
    .update(campaignRecipients)
    .set({ unsubscribedAt: now })
    .where(
      and(eq(campaignRecipients.campaignId, campaignId), eq(campaignRecipients.email, email), isNull(campaignRecipients.unsubscribedAt)),
    );
}

/** Live customers of a segment (consent or not) after `after` by id, with their figures: an export's rows. */
export async function segmentMembers(db: Db, segment: { segment?: string; rules?: SegmentRules }, after: string, limit: number) {
  return db
    .select()
    .from(customers)
    .where(and(liveMembers(segment), gt(customers.id, after)))
    .orderBy(asc(customers.id))
    .limit(limit);
}

/** Records an export request. */
export async function insertExport(db: Db, row: typeof exports.$inferInsert): Promise<void> {
  await db.insert(exports).values(row);
}

/** An export by id. */
export async function exportById(db: Db, id: string) {
  const [row] = await db.select().from(exports).where(eq(exports.id, id)).limit(1);
  return row;
}

/** Marks an export written (or failed). */
export async function finishExport(db: Db, id: string, outcome: { rows: number } | { error: string }, now: Date): Promise<void> {
  await db
    .update(exports)
    .set(
      "rows" in outcome
        ? { status: "done", rows: outcome.rows, finishedAt: now }
        : { status: "failed", error: outcome.error.slice(0, 500), finishedAt: now },
    )
    .where(eq(exports.id, id));
}

/** Exports older than `before` (their files are removed with them). */
export async function oldExports(db: Db, before: Date, limit: number) {
  return db.select({ id: exports.id }).from(exports).where(lt(exports.createdAt, before)).limit(limit);
}

/** Forgets an export. */
export async function deleteExport(db: Db, id: string): Promise<void> {
  await db.delete(exports).where(eq(exports.id, id));
}
