import { and, eq, getTableColumns, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { Db } from "./client";
import type { NewCommentRow, NewThreadRow } from "./comments";
import { comments, threads } from "./schema";

/*
 * The importer's queries. Rows travel as one JSON array per statement and are unpacked by
 * `json_each`, so a statement binds one or two parameters however many rows it carries: far
 * inside D1's 100 bound parameters per statement, and few statements per Worker invocation.
 */

/** An imported comment finds its thread by page, like a posted one (db/comments.ts). */
export type ImportedCommentRow = Omit<NewCommentRow, "threadId"> & { pageKey: string };

/** Rows per statement; with the byte bound below, a statement stays far under D1's 2 MB value. */
const ROWS_PER_STATEMENT = 200;
const JSON_BYTES_PER_STATEMENT = 500_000;

export interface StoredComment {
  id: string;
  siteId: string;
  path: string;
  pageKey: string;
}

/** Which of these comment ids are stored (on any site), and which of the pages have threads. */
export async function findStored(db: Db, siteId: string, ids: string[], pageKeys: string[]) {
  const [stored, pages] = await db.batch([
    db
      .select({
        id: comments.id,
        siteId: comments.siteId,
        path: comments.path,
        pageKey: threads.pageKey,
      })
      .from(comments)
      .innerJoin(threads, eq(threads.id, comments.threadId))
      .where(sql`${comments.id} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`),
    db
      .select({ pageKey: threads.pageKey })
      .from(threads)
      .where(
        and(
          eq(threads.siteId, siteId),
          sql`${threads.pageKey} IN (SELECT value FROM json_each(${JSON.stringify(pageKeys)}))`,
        ),
      ),
  ]);
  return { comments: stored as StoredComment[], pages: new Set(pages.map((p) => p.pageKey)) };
}

/** Groups rows so that each group's JSON stays within the per-statement bounds. */
function groups<T>(rows: T[]): string[] {
  const out: string[] = [];
  let group: string[] = [];
  let bytes = 0;
  for (const row of rows) {
    const json = JSON.stringify(row);
    if (group.length === ROWS_PER_STATEMENT || bytes + json.length > JSON_BYTES_PER_STATEMENT) {
      out.push(`[${group.join(",")}]`);
      group = [];
      bytes = 0;
    }
    group.push(json);
    bytes += json.length;
  }
  if (group.length > 0) out.push(`[${group.join(",")}]`);
  return out;
}

/** `json_extract(value, '$.<key>')` for each column of the table, named as the column. */
function fromJson<T extends Record<string, SQLiteColumn>>(
  columns: T,
  computed: Partial<Record<keyof T, SQL>>,
) {
  return Object.fromEntries(
    Object.entries(columns).map(([key, column]) => [
      key,
      (computed[key] ?? sql.raw(`json_extract(value, '$.${key}')`)).as(column.name),
    ]),
  ) as { [K in keyof T]: SQL.Aliased };
}

/**
 * Writes one chunk of an import in ONE batch (all or nothing): new threads, then comments in
 * the order given, each after its parent, so the counter triggers (0001, 0007) see every
 * ancestor. A comment or thread already there is left as it is.
 */
export async function insertImported(
  db: Db,
  siteId: string,
  newThreads: NewThreadRow[],
  rows: ImportedCommentRow[],
): Promise<void> {
  const threadColumns = getTableColumns(threads);
  const commentColumns = getTableColumns(comments);
  // `WHERE true` keeps SQLite from reading ON CONFLICT as a join's ON (its documented ambiguity).
  const threadStatements = groups(newThreads).map((json) =>
    db
      .insert(threads)
      .select(db.select(fromJson(threadColumns, {})).from(sql`json_each(${json})`).where(sql`true`))
      .onConflictDoNothing(),
  );
  const threadOfPage = sql`(SELECT ${threads.id} FROM ${threads} WHERE ${threads.siteId} = ${siteId} AND ${threads.pageKey} = json_extract(value, '$.pageKey'))`;
  const commentStatements = groups(rows).map((json) =>
    db
      .insert(comments)
      .select(
        db
          .select(fromJson(commentColumns, { threadId: threadOfPage }))
          .from(sql`json_each(${json})`)
          .where(sql`true`),
      )
      .onConflictDoNothing(),
  );
  const [first, ...rest] = [...threadStatements, ...commentStatements];
  if (first) await db.batch([first, ...rest]);
}
