import type { Bindings } from "../env";
import { log } from "../log";
import { consumeEmailDeadLetters, consumeEmails } from "./emails-consumer";
import type { EmailJob, WebhookJob } from "./messages";
import { consumeWebhookDeadLetters, consumeWebhooks } from "./webhooks-consumer";

/** A consumer for one queue's messages. */
export type QueueConsumer = (batch: MessageBatch, env: Bindings, ctx: ExecutionContext) => Promise<void>;

/** Consumers by queue name (without the edgefront-/environment prefix). */
export const consumers: ReadonlyMap<string, QueueConsumer> = new Map<string, QueueConsumer>([
  ["webhooks", (batch, env) => consumeWebhooks(batch as MessageBatch<WebhookJob>, env)],
  ["webhooks-dlq", (batch, env) => consumeWebhookDeadLetters(batch as MessageBatch<WebhookJob>, env)],
  ["emails", (batch, env) => consumeEmails(batch as MessageBatch<EmailJob>, env)],
  ["emails-dlq", (batch, env) => consumeEmailDeadLetters(batch as MessageBatch<EmailJob>, env)],
]);

function baseName(queue: string): string {
  return queue.replace(/^edgefront-(?:staging-|production-)?/, "");
}

/** Routes a batch to its queue's consumer; a queue with none keeps its messages (retried, then dead-lettered). */
export async function consumeBatch(batch: MessageBatch, env: Bindings, ctx: ExecutionContext): Promise<void> {
  const consumer = consumers.get(baseName(batch.queue));
  if (!consumer) {
    log.error("queue.no_consumer", { queue: batch.queue, messages: batch.messages.length });
    batch.retryAll({ delaySeconds: 300 });
    return;
  }
  await consumer(batch, env, ctx);
}
