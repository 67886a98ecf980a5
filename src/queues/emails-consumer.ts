import { createDb } from "../db";
import { emailProvider } from "../email/provider";
import { renderEmail } from "../email/templates";
import type { Bindings } from "../env";
import { claimNotification, getNotification, markAttemptFailed, markSent, type EmailType } from "../services/notifications";
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
    const notification = await getNotification(db, id);
    try {
      const rendered = await renderEmail(env, db, notification?.type as EmailType, notification?.data ?? {});
      const provider = emailProvider(env);
      const sent = await provider.send({
        from: env.EMAIL_FROM ?? `${env.SHOP_NAME} <orders@example.com>`,
        to: notification?.recipient as string,
        subject: rendered.subject,
        html: rendered.html,
        text: rendered.text,
        idempotencyKey: id,
      });
      await markSent(db, id, provider.name, sent.id, rendered.subject, new Date());
      message.ack();
    } catch (err) {
      console.error(JSON.stringify({ level: "error", msg: "email send failed", notificationId: id, attempts: message.attempts, error: String(err) }));
      await markAttemptFailed(db, id, String(err), false, new Date());
      message.retry({ delaySeconds: backoffSeconds(message.attempts) });
    }
  }
}

/** Emails that kept failing: marked failed in the log, where admins see them. */
export async function consumeEmailDeadLetters(batch: MessageBatch<EmailJob>, env: Bindings): Promise<void> {
  const db = createDb(env.DB);
  for (const message of batch.messages) {
    const id = message.body?.notificationId;
    if (typeof id === "string") await markAttemptFailed(db, id, "gave up after repeated failures (dead-lettered)", true, new Date());
    message.ack();
  }
}
