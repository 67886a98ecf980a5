import type { Context } from "hono";
import { countingD1, createDb, type Db } from "./db";
import type { AppEnv } from "./env";

/** The request's drizzle instance, created on first use; every D1 statement bumps `dbQueries`. */
export function requestDb(c: Context<AppEnv>): Db {
  let db = c.get("db");
  if (!db) {
    db = createDb(countingD1(c.env.DB, () => c.set("dbQueries", c.get("dbQueries") + 1)));
    c.set("db", db);
  }
  return db;
}
