import { and, desc, eq, inArray, lt, ne, or, sql } from "drizzle-orm";
import type { Db } from "../db";
import { notifications } from "../db/schema";
import type { EmailType } from "../domain/notification";
import type { Bindings } from "../env";
import { notFound } from "../errors";
import type { EmailJob } from "../queues/messages";

export interface NotificationRequest {
  /** The dedup key: the same id is one email, however often it is asked for. */
  id: string;
  type: EmailType;
  to: string;
  data: Record<string, unknown>;
}

/** Logs a notification (once per id) and queues its email unless it was already sent. */
export async function queueEmail(env: Bindings, db: Db, n: NotificationRequest, now = new Date()): Promise<void> {
  await db
    .insert(notifications)
    .values({
      id: n.id,
      type: n.type,
      recipient: n.to,
      status: "queued",
      data: n.data,
      orderId: typeof n.data.orderId === "string" ? n.data.orderId : null,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing();
  const [row] = await db.select({ status: notifications.status }).from(notifications).where(eq(notifications.id, n.id));
  if (row && row.status !== "sent") await env.EMAILS.send({ type: "email.send", notificationId: n.id } satisfies EmailJob);
}

const LEASE_MS = 60_000;

/**
 * Takes the right to send a notification: only one delivery holds it at a time (a lease that lapses
 * if the sender dies), and a sent notification is never taken again.
 */
export async function claimNotification(db: Db, id: string, now: Date): Promise<{ lease: number } | "sent" | "busy" | "missing"> {
  const at = now.getTime();
  const lease = at + LEASE_MS;
  const claimed = await db
    .update(notifications)
    .set({ status: "sending", attempts: sql`${notifications.attempts} + 1`, leaseUntil: new Date(lease), updatedAt: now })
    .where(
      and(
        eq(notifications.id, id),
        or(
          inArray(notifications.status, ["queued", "failed"]),
          and(eq(notifications.status, "sending"), lt(notifications.leaseUntil, now)),
        ),
      ),
    )
    .returning({ id: notifications.id });
  if (claimed.length === 1) return { lease };
  const [row] = await db.select({ status: notifications.status }).from(notifications).where(eq(notifications.id, id));
  if (!row) return "missing";
  return row.status === "sent" ? "sent" : "busy";
}

/** An email's text as the log keeps it: links keep their path, but tokens and signatures in them are hidden, and gift card codes all but their last four. */
export const withoutSecrets = (text: string) =>
  text
    .replace(/([?&](?:token|sig|signature|key)=)[^&\s)>"]+/gi, "$1[hidden]")
    .replace(/\b[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-([A-Z0-9]{4})\b/g, "XXXX-XXXX-XXXX-$1");

/** Records a successful send (the text without the secrets its links carry). */
export async function markSent(
  db: Db,
  id: string,
  provider: string,
  providerMessageId: string,
  message: { subject: string; text: string },
  now: Date,
  keepLinks = false,
) {
  await db
    .update(notifications)
    .set({
      status: "sent",
      provider,
      providerMessageId,
      subject: message.subject,
      text: keepLinks ? message.text : withoutSecrets(message.text),
      sentAt: now,
      updatedAt: now,
      leaseUntil: null,
      error: null,
    })
    .where(eq(notifications.id, id));
}

/** Releases a failed attempt for a retry, only while this attempt still holds the lease. */
export async function releaseAttempt(db: Db, id: string, lease: number, error: string, now: Date) {
  await db
    .update(notifications)
    .set({ status: "queued", error: error.slice(0, 1000), leaseUntil: null, updatedAt: now })
    .where(and(eq(notifications.id, id), eq(notifications.status, "sending"), eq(notifications.leaseUntil, new Date(lease))));
}

/** Marks a notification failed for good (dead-lettered); a sent one stays sent. */
export async function markFailed(db: Db, id: string, error: string, now: Date) {
  await db
    .update(notifications)
    .set({ status: "failed", error: error.slice(0, 1000), leaseUntil: null, updatedAt: now })
    .where(and(eq(notifications.id, id), ne(notifications.status, "sent")));
}

/** Filters of the notification log. */
export interface NotificationQuery {
  status?: "queued" | "sending" | "sent" | "failed";
  recipient?: string;
  orderId?: string;
  type?: string;
  limit: number;
}

/** The notification log for admins, newest first: who got what about which order, and the text sent. */
export async function listNotifications(db: Db, query: NotificationQuery) {
  const rows = await db
    .select()
    .from(notifications)
    .where(
      and(
        query.status ? eq(notifications.status, query.status) : undefined,
        query.recipient ? sql`lower(${notifications.recipient}) = ${query.recipient.trim().toLowerCase()}` : undefined,
        query.orderId ? eq(notifications.orderId, query.orderId) : undefined,
        query.type ? eq(notifications.type, query.type) : undefined,
      ),
    )
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(query.limit);
  return rows.map((n) => ({
    id: n.id,
    type: n.type,
    recipient: n.recipient,
    orderId: n.orderId,
    subject: n.subject,
    text: n.text,
    status: n.status,
    attempts: n.attempts,
    error: n.error,
    createdAt: n.createdAt.toISOString(),
    sentAt: n.sentAt?.toISOString() ?? null,
  }));
}

/**
 * Sends a logged email again as a new notification (same type, recipient and data); the original
 * keeps its record. Only emails about `orderId` when given.
 */
export async function resendNotification(env: Bindings, db: Db, id: string, orderId?: string, now = new Date()) {
  const original = await getNotification(db, id);
  if (!original || (orderId && original.orderId !== orderId)) throw notFound("Email", id);
  const resendId = `${original.id.split("#resend")[0]}#resend-${now.getTime().toString(36)}`;
  await queueEmail(env, db, { id: resendId, type: original.type as EmailType, to: original.recipient, data: original.data }, now);
  return { id: resendId };
}

/** One notification. */
export async function getNotification(db: Db, id: string) {
  const [row] = await db.select().from(notifications).where(eq(notifications.id, id));
  return row;
}
