import { runScheduled } from "../cron";
import { app } from "./app";
import type { Bindings } from "./env";
import { hotPath } from "./http/cached";
import { consumeBatch } from "./queues";

export { CartDurableObject } from "../durable-objects/cart";
export { InventoryDurableObject } from "../durable-objects/inventory";

export default {
  async fetch(request, env, ctx) {
    return (await hotPath(request, env)) ?? app.fetch(request, env, ctx);
  },
  queue: (batch, env, ctx) => consumeBatch(batch, env, ctx),
  scheduled: (controller, env, ctx) => runScheduled(controller, env, ctx, async (request) => app.fetch(request, env, ctx)),
} satisfies ExportedHandler<Bindings>;
