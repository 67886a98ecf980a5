import { createDb } from "../db";
import { emailProvider } from "../email/provider";
import { renderEmail } from "../email/templates";
import type { Bindings } from "../env";
import { claimNotification, type EmailType, getNotification, markFailed, markSent, releaseAttempt } from "../services/notifications";
import { backoffSeconds } from "./backoff";
import type { EmailJob } from "./messages";

/** Sends queued emails; a notification already sent (or being sent) is never sent again. */
export async function consumeEmails(batch: MessageBatch<EmailJob>, env: Bindings): Promise<void> {
  const db = createDb(env.DB);
  for (const message of batch.messages) {
    const id = message.body?.notificationId;
    if (typeof id !== "string") {
      console.error(JSON.stringify({ level: "error", msg: "malformed email job", body: message.body }));
      message.ack();
      continue;
    }
    const now = new Date();
    const claim = await claimNotification(db, id, now);
    if (claim === "sent" || claim === "missing") {
      message.ack();
      continue;
    }
    if (claim === "busy") {
      message.retry({ delaySeconds: 60 });
      continue;
    }
    const { lease } = claim;
    const notification = await getNotification(db, id);
    let sent: { id: string; provider: string; subject: string };
    try {
      const rendered = await renderEmail(env, db, notification?.type as EmailType, notification?.data ?? {});
      const provider = emailProvider(env);
      const result = await provider.send({
        from: env.EMAIL_FROM ?? `${env.SHOP_NAME} <orders@example.com>`,
        to: notification?.recipient as string,
        subject: rendered.subject,
        html: rendered.html,
        text: rendered.text,
        idempotencyKey: id,
      });
      sent = { id: result.id, provider: provider.name, subject: rendered.subject };
    } catch (err) {
      console.error(
        JSON.stringify({ level: "error", msg: "email send failed", notificationId: id, attempts: message.attempts, error: String(err) }),
      );
      await releaseAttempt(db, id, lease, String(err), new Date());
      message.retry({ delaySeconds: backoffSeconds(message.attempts) });
      continue;
    }
    try {
      await markSent(db, id, sent.provider, sent.id, sent.subject, new Date());
    } catch (err) {
      // Sent, but not recorded: the row stays leased ('sending'). Retrying only the record keeps a
      // later delivery from sending again while the lease holds (Resend also dedups by id).
      console.error(JSON.stringify({ level: "error", msg: "email sent but not recorded", notificationId: id, error: String(err) }));
      await markSent(db, id, sent.provider, sent.id, sent.subject, new Date()).catch(() => {});
    }
    message.ack();
  }
}

/** Emails that kept failing: marked failed in the log, where admins see them. */
export async function consumeEmailDeadLetters(batch: MessageBatch<EmailJob>, env: Bindings): Promise<void> {
  const db = createDb(env.DB);
  for (const message of batch.messages) {
    const id = message.body?.notificationId;
    try {
      if (typeof id === "string") await markFailed(db, id, "gave up after repeated failures (dead-lettered)", new Date());
      message.ack();
    } catch (err) {
      console.error(
        JSON.stringify({ level: "error", msg: "could not record a dead-lettered email", notificationId: id, error: String(err) }),
      );
      message.retry({ delaySeconds: 60 });
    }
  }
}
