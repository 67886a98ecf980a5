import { runScheduled } from "../cron";
import { app } from "./app";
import type { Bindings } from "./env";
import { hotPath, pathAndQuery } from "./http/cached";
import { meteredFetch, meteredWork, recordHotHit } from "./metering/handlers";
import { consumeBatch } from "./queues";

export { CartDurableObject } from "../durable-objects/cart";
export { DiscountDurableObject } from "../durable-objects/discount";
export { GiftCardDurableObject } from "../durable-objects/gift-card";
export { InventoryDurableObject } from "../durable-objects/inventory";
export { LoyaltyDurableObject } from "../durable-objects/loyalty";

export default {
  async fetch(request, env, ctx) {
    const started = performance.now();
    const path = pathAndQuery(request.url);
    const hot = await hotPath(request, path, env);
    if (hot) {
      recordHotHit(env, ctx, path, hot.kvReads, started);
      return hot.response;
    }
    return meteredFetch(request, env, ctx, async (req, metered, tracked) => app.fetch(req, metered, tracked));
  },
  queue: (batch, env, ctx) =>
    meteredWork(`queue:${batch.queue.replace(/^edgefront(-staging|-production)?-/, "")}`, env, ctx, (metered, tracked) =>
      consumeBatch(batch, metered, tracked),
    ),
  scheduled: (controller, env, ctx) =>
    meteredWork(`cron:${controller.cron}`, env, ctx, (metered, tracked) =>
      runScheduled(controller, metered, tracked, async (request) => app.fetch(request, metered, tracked)),
    ),
} satisfies ExportedHandler<Bindings>;
