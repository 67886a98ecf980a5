import { runScheduled } from "../cron";
import { app } from "./app";
import type { Bindings } from "./env";
import { hotPath } from "./http/cached";
import { meteredFetch, meteredWork } from "./metering/handlers";
import { consumeBatch } from "./queues";

export { CartDurableObject } from "../durable-objects/cart";
export { InventoryDurableObject } from "../durable-objects/inventory";

export default {
  fetch: (request, env, ctx) =>
    meteredFetch(request, env, ctx, async (req, metered, tracked) => (await hotPath(req, metered)) ?? app.fetch(req, metered, tracked)),
  queue: (batch, env, ctx) =>
    meteredWork(`queue:${batch.queue.replace(/^edgefront(-staging|-production)?-/, "")}`, env, ctx, (metered, tracked) =>
      consumeBatch(batch, metered, tracked),
    ),
  scheduled: (controller, env, ctx) =>
    meteredWork(`cron:${controller.cron}`, env, ctx, (metered, tracked) =>
      runScheduled(controller, metered, tracked, async (request) => app.fetch(request, metered, tracked)),
    ),
} satisfies ExportedHandler<Bindings>;
