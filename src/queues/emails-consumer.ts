import { configOf } from "../config";
import { createDb, type Db } from "../db";
import { stillConsenting } from "../db/campaign-store";
import { type EmailType, ORDER_EMAIL_TYPES } from "../domain/notification";
import { emailProvider } from "../email/provider";
import { type EmailContext, renderEmail } from "../email/templates";
import type { Bindings } from "../env";
import { log } from "../log";
import { loginUrl } from "../services/accounts";
import { campaignEmail, expandCampaign } from "../services/campaigns";
import { writeSegmentExport } from "../services/exports";
import { codeForEmail } from "../services/gift-cards";
import { claimNotification, getNotification, markFailed, markSent, releaseAttempt } from "../services/notifications";
import { getOrder } from "../services/orders";
import { shopOf } from "../services/shop";
import { orderLink } from "../services/signed-links";
import { backoffSeconds } from "./backoff";
import type { EmailJob } from "./messages";

/** Everything a notification's email is rendered from, loaded fresh (orders as they are now). */
async function emailContext(env: Bindings, db: Db, type: EmailType, data: Record<string, unknown>): Promise<EmailContext> {
  const context: EmailContext = { shop: shopOf(env), type, data };
  // The sign-in link is derived here from its id: the token itself is stored nowhere.
  if (type === "account.login") return { ...context, data: { ...data, loginUrl: await loginUrl(env, String(data.linkId)) } };
  // A gift card's code is derived from its id the same way: only its hash is stored.
  if (type === "gift_card.issued") return { ...context, data: { ...data, code: await codeForEmail(env, db, String(data.cardId)) } };
  if (type === "campaign") {
    return { ...context, campaign: await campaignEmail(env, db, String(data.campaignId), String(data.email), data.test === true) };
  }
  if (!ORDER_EMAIL_TYPES.has(type)) return context;
  const orderId = String(data.orderId);
  const view = await getOrder(db, orderId);
  if (!view) throw new Error(`order ${orderId} not found for a ${type} email`);
  return { ...context, order: { view, url: await orderLink(env, orderId) } };
}

/** A notification's email, rendered from its data and the order as it is now. */
export async function renderNotification(env: Bindings, db: Db, type: EmailType, data: Record<string, unknown>) {
  return renderEmail(await emailContext(env, db, type, data));
}

/** Whether the log keeps links whole (a local shop, where the log is the only inbox). */
function keepLinks(env: Bindings): boolean {
  const config = configOf(env);
  return config.emailLogLinks === "shown" && ["localhost", "127.0.0.1", "[::1]"].includes(new URL(config.publicBaseUrl).hostname);
}

/** Whether a campaign email's recipient withdrew consent since it was queued (tests to staff are never withdrawn). */
async function withdrawnFromCampaign(db: Db, notificationId: string): Promise<boolean> {
  const m = /^campaign:cmp_[0-9a-f]{20}:(cus_[0-9a-f]{24})$/.exec(notificationId);
  return m?.[1] !== undefined && !(await stillConsenting(db, m[1]));
}

/** Batch work on the EMAILS queue (campaign expansion, exports): acked when done, retried with backoff when it fails. */
async function runBatchWork(message: Message<EmailJob>, work: () => Promise<unknown>, event: string) {
  try {
    await work();
    message.ack();
  } catch (err) {
    log.error(event, { messageId: message.id, attempts: message.attempts, error: err });
    message.retry({ delaySeconds: backoffSeconds(message.attempts) });
  }
}

/**
 * Sends queued emails (a notification already sent, or being sent, is never sent again), expands
 * campaign batches and writes segment exports.
 */
export async function consumeEmails(batch: MessageBatch<EmailJob>, env: Bindings): Promise<void> {
  const db = createDb(env.DB);
  for (const message of batch.messages) {
    const body = message.body;
    if (body?.type === "campaign.expand") {
      await runBatchWork(message, () => expandCampaign(env, db, body.campaignId, body.after), "campaign.expand_failed");
      continue;
    }
    if (body?.type === "segment.export") {
      await runBatchWork(message, () => writeSegmentExport(env, db, body.exportId), "export.failed");
      continue;
    }
    const id = body?.type === "email.send" ? body.notificationId : undefined;
    if (typeof id !== "string") {
      log.error("email.malformed_job", { messageId: message.id });
      message.ack();
      continue;
    }
    const claim = await claimNotification(db, id, new Date());
    if (claim === "sent" || claim === "missing") {
      message.ack();
      continue;
    }
    if (claim === "busy") {
      message.retry({ delaySeconds: 60 });
      continue;
    }
    const { lease } = claim;
    if (await withdrawnFromCampaign(db, id)) {
      // Unsubscribed (or deleted) between the batch's expansion and this send: counted as failed, never sent.
      await markFailed(db, id, "no longer consents to marketing email", new Date());
      message.ack();
      continue;
    }
    let sent: { id: string; provider: string; subject: string; text: string };
    try {
      const notification = await getNotification(db, id);
      if (!notification) throw new Error(`notification ${id} vanished`);
      const rendered = await renderNotification(env, db, notification.type as EmailType, notification.data);
      const provider = emailProvider(env);
      const config = configOf(env);
      const result = await provider.send({
        from: config.emailFrom ?? `${config.shopName} <orders@example.com>`,
        to: notification.recipient,
        subject: rendered.subject,
        html: rendered.html,
        text: rendered.text,
        headers: rendered.headers,
        idempotencyKey: id,
      });
      sent = { id: result.id, provider: provider.name, subject: rendered.subject, text: rendered.text };
    } catch (err) {
      log.error("email.send_failed", { notificationId: id, attempts: message.attempts, error: err });
      await releaseAttempt(db, id, lease, String(err), new Date());
      message.retry({ delaySeconds: backoffSeconds(message.attempts) });
      continue;
    }
    try {
      await markSent(db, id, sent.provider, sent.id, sent, new Date(), keepLinks(env));
    } catch (err) {
      // Sent, but not recorded: the row stays leased ('sending'). Retrying only the record keeps a
      // later delivery from sending again while the lease holds (Resend also dedups by id).
      log.error("email.sent_not_recorded", { notificationId: id, error: err });
      await markSent(db, id, sent.provider, sent.id, sent, new Date(), keepLinks(env)).catch(() => {});
    }
    message.ack();
  }
}

/** Emails that kept failing: marked failed in the log, where admins see them. */
export async function consumeEmailDeadLetters(batch: MessageBatch<EmailJob>, env: Bindings): Promise<void> {
  const db = createDb(env.DB);
  for (const message of batch.messages) {
    const id = message.body?.type === "email.send" ? message.body.notificationId : undefined;
    try {
      if (typeof id === "string") await markFailed(db, id, "gave up after repeated failures (dead-lettered)", new Date());
      message.ack();
    } catch (err) {
      log.error("email.dead_letter_not_recorded", { notificationId: id, error: err });
      message.retry({ delaySeconds: 60 });
    }
  }
}
