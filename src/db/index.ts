import { DrizzleD1Database, SQLiteD1Session } from "drizzle-orm/d1";
import { createTableRelationsHelpers, extractTablesRelationalConfig } from "drizzle-orm/relations";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";
import * as schema from "./schema";

type Schema = typeof schema;
export type Db = DrizzleD1Database<Schema> & { $client: D1Database };

interface RelationalSchema {
  fullSchema: Schema;
  schema: ReturnType<typeof extractTablesRelationalConfig>["tables"];
  tableNamesMap: Record<string, string>;
}

let relational: RelationalSchema | undefined;

/** The schema's relations, worked out once per isolate (drizzle() would redo it for every request). */
function relationalSchema(): RelationalSchema {
  if (!relational) {
    const tables = extractTablesRelationalConfig(schema, createTableRelationsHelpers);
    relational = { fullSchema: schema, schema: tables.tables, tableNamesMap: tables.tableNamesMap };
  }
  return relational;
}

/** Drizzle over the D1 binding. */
export function createDb(d1: D1Database): Db {
  const dialect = new SQLiteAsyncDialect();
  const session = new SQLiteD1Session(d1, dialect, relationalSchema(), {});
  const db = new DrizzleD1Database("async", dialect, session, relationalSchema()) as Db;
  db.$client = d1;
  return db;
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
