import { type Column, fillPlaceholders } from "drizzle-orm";
import type { Db } from "./client";

/*
 * Queries a request runs many times over (one per top-level comment of a thread view, one per
 * page of a counts request), built by drizzle once per isolate and bound per use. Building each
 * through drizzle every time was the largest part of Parley's own CPU in a profile of cold thread
 * views; the SQL is the same query builder's, with named placeholders.
 */

interface Built {
  sql: string;
  params: unknown[];
}

/**
 * A statement maker for the query `build` makes with `sql.placeholder`s: the first use builds
 * its SQL, and each use binds `values` (by placeholder name) on the request's metered handle.
 */
export function compiled(build: (db: Db) => { toSQL(): Built }) {
  const batch = compiledBatch((db) => [build(db)]);
  return (db: Db, values: Record<string, unknown>): D1PreparedStatement => {
    const [statement] = batch(db, values);
    return statement as D1PreparedStatement;
  };
}

/** The same for a batch of queries, all bound with the same `values`. */
export function compiledBatch(build: (db: Db) => readonly { toSQL(): Built }[]) {
  let built: Built[] | undefined;
  return (db: Db, values: Record<string, unknown>): D1PreparedStatement[] => {
    built ??= build(db).map((query) => query.toSQL());
    return built.map(({ sql, params }) =>
      db.$client.prepare(sql).bind(...fillPlaceholders(params, values)),
    );
  };
}

/** A column's value as drizzle's own select would give it. */
type ValueOf<C> = C extends Column
  ? C["_"]["data"] | (C["_"]["notNull"] extends true ? never : null)
  : never;

/**
 * Rows as D1 returns them (by column name) in the shape of `fields` (what `db.select(fields)`
 * would return), each value mapped by its column as drizzle maps it.
 */
export function rowsOf<F extends Record<string, Column>>(
  fields: F,
  results: unknown[],
): { [K in keyof F]: ValueOf<F[K]> }[] {
  const columns = Object.entries(fields);
  return (results as Record<string, unknown>[]).map((raw) => {
    const row: Record<string, unknown> = {};
    for (const [field, column] of columns) {
      const value = raw[column.name];
      row[field] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
    }
    return row as { [K in keyof F]: ValueOf<F[K]> };
  });
}
