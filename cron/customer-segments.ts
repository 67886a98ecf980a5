import { createDb } from "../src/db";
import { customersToScore, moneyBounds, writeScores } from "../src/db/segment-store";
import { type MoneyBounds, scoreCustomer } from "../src/domain/rfm";
import { batchSize, type Job } from "./job";

/** A pass in progress: where it is, the time it scores as of, and the money steps it started with. */
interface Pass {
  after: string;
  asOf: number;
  bounds: MoneyBounds;
}

function passOf(cursor: string | null): Pass | undefined {
  if (!cursor) return undefined;
  try {
    const p = JSON.parse(cursor) as Pass;
    return typeof p.after === "string" && typeof p.asOf === "number" && Array.isArray(p.bounds) ? p : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Scores every live customer's recency, frequency and money from their kept figures and assigns a
 * segment, in bounded batches by id. A pass keeps its as-of time and money steps in the cursor, so a
 * pass cut off by its deadline resumes where it stopped and scores the rest the same way; a customer
 * whose segment did not change gets no history row, so running it again changes nothing.
 */
export const customerSegments: Job = {
  name: "customer-segments",
  async run({ env, now, state }) {
    const db = createDb(env.DB);
    const limit = batchSize(env, 500);
    const pass = passOf(state.cursor) ?? { after: "", asOf: now.getTime(), bounds: await moneyBounds(db) };
    const asOf = new Date(pass.asOf);
    let scored = 0;
    let changed = 0;
    for (;;) {
      const rows = await customersToScore(db, pass.after, limit);
      const scores = rows.map((r) => {
        const s = scoreCustomer(r, asOf, pass.bounds);
        return { id: r.id, ...s, changed: s.segment !== r.segment };
      });
      await writeScores(db, scores, asOf);
      scored += rows.length;
      changed += scores.filter((s) => s.changed).length;
      if (rows.length < limit) return { items: scored, errors: 0, cursor: null, detail: { changed, bounds: pass.bounds } };
      pass.after = rows[rows.length - 1]!.id;
      if (Date.now() > state.deadline)
        return { items: scored, errors: 0, cursor: JSON.stringify(pass), detail: { changed, resumable: true } };
    }
  },
};
