import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema";

export type Db = ReturnType<typeof createDb>;

/** Drizzle over the D1 binding. */
export function createDb(d1: D1Database) {
  return drizzle(d1, { schema });
}

/** The same D1 binding, calling `onStatement` for every statement prepared or executed through it. */
export function countingD1(d1: D1Database, onStatement: () => void): D1Database {
  return {
    prepare(query: string) {
      onStatement();
      return d1.prepare(query);
    },
    batch: (statements) => d1.batch(statements),
    exec(query: string) {
      onStatement();
      return d1.exec(query);
    },
    dump: () => d1.dump(),
    withSession: (constraintOrBookmark) => d1.withSession(constraintOrBookmark),
  } satisfies D1Database;
}
