import { createDb } from "../src/db";
import { deleteExport, oldExports } from "../src/db/campaign-store";
import { deleteExpiredCartIndex } from "../src/db/cart-index-store";
import { deleteStaleAccountRows } from "../src/db/customer-store";
import {
  deleteOldJobRuns,
  deleteSentNotifications,
  deleteSettledEvents,
  deleteUnusedMedia,
  unusedMediaKeys,
} from "../src/db/housekeeping-store";
import { deleteOldSessions } from "../src/db/staff-store";
import { objectKey } from "../src/media/variants";
import { exportKey } from "../src/services/exports";
import { DAY_MS } from "./days";
import { eachUntilDeadline, type Job } from "./job";

const BATCH = 500;
const MEDIA_BATCH = 100;

/**
 * Deletes what nothing needs any more, a bounded slice per run: index rows of expired carts, processed
 * provider events over 30 days, sent notifications over 90 days, uploads no product uses (after a
 * day's grace), run rows over 90 days, staff sessions that ended over 30 days ago, shopper
 * sign-in links and sessions a day after they expired, and segment exports (file and row) after a day.
 */
export const cleanup: Job = {
  name: "cleanup",
  async run({ env, now, state }) {
    const db = createDb(env.DB);
    const ago = (days: number) => new Date(now.getTime() - days * DAY_MS);
    const carts = await deleteExpiredCartIndex(db, now, BATCH);
    const events = await deleteSettledEvents(db, ago(30), BATCH);
    const notifications = await deleteSentNotifications(db, ago(90), BATCH);
    const runs = await deleteOldJobRuns(db, ago(90), BATCH);
    const sessions = await deleteOldSessions(db, ago(30));
    const accounts = await deleteStaleAccountRows(db, ago(1));
    // Segment exports hold customers' details: their files go a day after they were written.
    let exportFiles = 0;
    for (const { id } of await oldExports(db, ago(1), BATCH)) {
      await env.MEDIA.delete(exportKey(id));
      await deleteExport(db, id);
      exportFiles++;
    }
    const unused = await unusedMediaKeys(db, ago(1), MEDIA_BATCH);
    const { items: media, errors } = await eachUntilDeadline(
      state,
      unused,
      async (key) => {
        await env.MEDIA.delete(objectKey(key));
        await deleteUnusedMedia(db, key);
      },
      { event: "job.media_cleanup_failed", fields: (key) => ({ mediaKey: key }) },
    );
    return {
      items: carts + events + notifications + runs + sessions + accounts + exportFiles + media,
      errors,
      detail: { carts, events, notifications, runs, sessions, accounts, exports: exportFiles, media },
    };
  },
};
