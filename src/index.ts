import { runScheduled } from "../cron";
import { app } from "./app";
import type { Bindings } from "./env";
import { consumeBatch } from "./queues";

export { CartDurableObject } from "../durable-objects/cart";
export { InventoryDurableObject } from "../durable-objects/inventory";

export default {
  fetch: app.fetch,
  queue: (batch, env, ctx) => consumeBatch(batch, env, ctx),
  scheduled: (controller, env, ctx) => runScheduled(controller, env, ctx),
} satisfies ExportedHandler<Bindings>;
