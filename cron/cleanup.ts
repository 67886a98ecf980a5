import { sql } from "drizzle-orm";
import { createDb } from "../src/db";
import { objectKey } from "../src/media/variants";
import { DAY_MS } from "./days";
import type { Job } from "./job";

const BATCH = 500;
const MEDIA_BATCH = 100;

/**
 * Deletes what nothing needs any more, a bounded slice per run: index rows of expired carts, processed
 * provider events over 30 days, sent notifications over 90 days, uploads no product uses (after a
 * day's grace), and run rows over 90 days.
 */
export const cleanup: Job = {
  name: "cleanup",
  async run(env, _ctx, now) {
    const db = createDb(env.DB);
    const t = now.getTime();
    const deleted = async (query: ReturnType<typeof sql>) => (await db.run(query)).meta.changes ?? 0;
    const carts = await deleted(
      sql`delete from cart_index where rowid in (select rowid from cart_index where expires_at < ${t} limit ${BATCH})`,
    );
    const events = await deleted(
      sql`delete from webhook_events where id in (select id from webhook_events where status in ('processed', 'ignored') and updated_at < ${t - 30 * DAY_MS} limit ${BATCH})`,
    );
    const notifications = await deleted(
      sql`delete from notifications where id in (select id from notifications where status = 'sent' and sent_at < ${t - 90 * DAY_MS} limit ${BATCH})`,
    );
    const runs = await deleted(
      sql`delete from job_runs where id in (select id from job_runs where started_at < ${t - 90 * DAY_MS} limit ${BATCH})`,
    );
    const unused = await db.all<{ key: string }>(sql`
      select key from media where uploaded_at < ${t - DAY_MS} and key not in (select media_key from product_media) limit ${MEDIA_BATCH}`);
    let media = 0;
    let errors = 0;
    for (const { key } of unused) {
      try {
        await env.MEDIA.delete(objectKey(key));
        await db.run(sql`delete from media where key = ${key} and key not in (select media_key from product_media)`);
        media++;
      } catch (err) {
        errors++;
        console.error(JSON.stringify({ level: "error", msg: "could not delete unused media", key, error: String(err) }));
      }
    }
    return { items: carts + events + notifications + runs + media, errors, detail: { carts, events, notifications, runs, media } };
  },
};
