import { env } from "cloudflare:test";
import { drizzle } from "drizzle-orm/d1";
import { describe, expect, it } from "vitest";
import { createDb } from "../../src/db";
import * as schema from "../../src/db/schema";

describe("the database handle", () => {
  it("knows the same tables and relations as drizzle() builds for the schema", () => {
    const ours = createDb(env.DB);
    const theirs = drizzle(env.DB, { schema });
    expect(ours._.tableNamesMap).toEqual(theirs._.tableNamesMap);
    expect(Object.keys(ours.query).sort()).toEqual(Object.keys(theirs.query).sort());
    const relationsOf = (db: typeof ours) =>
      Object.fromEntries(Object.entries(db._.schema ?? {}).map(([table, config]) => [table, Object.keys(config.relations).sort()]));
    expect(relationsOf(ours)).toEqual(relationsOf(theirs as unknown as typeof ours));
    expect(ours.$client).toBe(env.DB);
  });
});
