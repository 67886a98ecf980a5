import type { Bindings } from "../env";

/** A consumer for one queue's messages. */
export type QueueConsumer = (batch: MessageBatch, env: Bindings, ctx: ExecutionContext) => Promise<void>;

/** Consumers by queue name (with or without the environment prefix); filled in by the webhooks and email work. */
export const consumers: Record<string, QueueConsumer> = {};

function baseName(queue: string): string {
  return queue.replace(/^edgefront-(?:staging-|production-)?/, "");
}

/** Routes a batch to its queue's consumer; a queue with none keeps its messages (retried, then dead-lettered). */
export async function consumeBatch(batch: MessageBatch, env: Bindings, ctx: ExecutionContext): Promise<void> {
  const consumer = consumers[baseName(batch.queue)];
  if (!consumer) {
    console.error(JSON.stringify({ level: "error", msg: "no consumer for queue", queue: batch.queue, messages: batch.messages.length }));
    batch.retryAll({ delaySeconds: 300 });
    return;
  }
  await consumer(batch, env, ctx);
}
