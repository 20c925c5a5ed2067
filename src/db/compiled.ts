import { type Column, fillPlaceholders, is, Param, Placeholder, type SQL, sql } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
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

/**
 * An insert into `table` built once per isolate for each set of columns it is given (a caller's
 * rows always give the same set, so there are a handful), then bound with a row's values, each
 * encoded by its column as drizzle's own insert encodes it. `computed` columns take SQL whose
 * placeholders are bound from `more`. Built through drizzle on every post, a post's three
 * inserts cost it more CPU than anything of its own work but the markdown parse.
 */
export function compiledInsert<T extends SQLiteTable>(
  table: T,
  options: { computed?: Record<string, SQL>; ignoreConflicts?: boolean } = {},
) {
  const built = new Map<string, Built>();
  return (
    db: Db,
    row: Partial<T["$inferInsert"]>,
    more: Record<string, unknown> = {},
  ): D1PreparedStatement => {
    // Undefined fields are left to the column's default, as drizzle's insert leaves them.
    const given = Object.keys(row).filter((k) => row[k as keyof typeof row] !== undefined);
    const shape = given.join();
    let insert = built.get(shape);
    if (!insert) {
      const values = Object.fromEntries(given.map((k) => [k, sql.placeholder(k)]));
      const query = db
        .insert(table)
        .values({ ...values, ...options.computed } as T["$inferInsert"]);
      insert = (options.ignoreConflicts ? query.onConflictDoNothing() : query).toSQL();
      built.set(shape, insert);
    }
    return db.$client.prepare(insert.sql).bind(...boundValues(insert.params, { ...row, ...more }));
  };
}

/**
 * `fillPlaceholders`, but a null stays null as drizzle's own insert keeps it: the encoder of a
 * JSON column would store it as the text "null", a boolean column's as 0.
 */
function boundValues(params: unknown[], values: Record<string, unknown>): unknown[] {
  return params.map((p) =>
    is(p, Param) && is(p.value, Placeholder) && values[p.value.name] === null
      ? null
      : fillPlaceholders([p], values)[0],
  );
}

/** A drizzle query as a statement on the request's handle, to batch beside compiled ones. */
export function statementOf(db: Db, query: { toSQL(): Built }): D1PreparedStatement {
  const { sql, params } = query.toSQL();
  return db.$client.prepare(sql).bind(...params);
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
