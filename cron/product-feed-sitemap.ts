import { createDb } from "../src/db";
import { writeFeeds } from "../src/services/feeds";
import type { Job } from "./job";

/** Google Merchant Center feed and sitemap.xml, written to R2. */
export const productFeedSitemap: Job = {
  name: "product-feed-sitemap",
  async run({ env }) {
    const written = await writeFeeds(env, createDb(env.DB));
    return { items: written.products, errors: 0, detail: written };
  },
};
