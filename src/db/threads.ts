import { and, desc, eq, isNotNull, type Placeholder, sql } from "drizzle-orm";
import type { Db } from "./client";
import { compiled, rowsOf } from "./compiled";
import { threads } from "./schema";

export type ThreadRow = typeof threads.$inferSelect;

/** A page's thread, by its site and page key: the query, as rootsQuery gives its own. */
export function threadQuery(db: Db, siteId: string | Placeholder, pageKey: string | Placeholder) {
  return db
    .select()
    .from(threads)
    .where(and(eq(threads.siteId, siteId), eq(threads.pageKey, pageKey)));
}

export async function getThread(
  db: Db,
  siteId: string,
  pageKey: string,
): Promise<ThreadRow | undefined> {
  return threadQuery(db, siteId, pageKey).get();
}

/**
 * The site's pages with comments, the most recently commented first, `limit` of them after the
 * cursor's page (its last comment's time and id): read along the (site, activity) index.
 */
export async function threadsByActivity(
  db: Db,
  siteId: string,
  limit: number,
  after?: { lastCommentAt: string; id: string },
): Promise<ThreadRow[]> {
  return db
    .select()
    .from(threads)
    .where(
      and(
        eq(threads.siteId, siteId),
        isNotNull(threads.lastCommentAt),
        after
          ? sql`(${threads.lastCommentAt}, ${threads.id}) < (${after.lastCommentAt}, ${after.id})`
          : undefined,
      ),
    )
    .orderBy(desc(threads.lastCommentAt), desc(threads.id))
    .limit(limit)
    .all();
}

export async function getThreadById(db: Db, id: string): Promise<ThreadRow | undefined> {
  return db.select().from(threads).where(eq(threads.id, id)).get();
}

const countFields = { pageKey: threads.pageKey, count: threads.count };

/** One page's count, built once (db/compiled.ts): a counts request runs it once per page. */
const countStatement = compiled((db) =>
  db
    .select(countFields)
    .from(threads)
    .where(
      and(
        eq(threads.siteId, sql.placeholder("site")),
        eq(threads.pageKey, sql.placeholder("page")),
      ),
    ),
);

/**
 * Stored counts for up to 100 pages of a site: one batch (one round trip) of point lookups on the
 * (site, page) index, so D1 reads one row per page that has a thread and none for the rest.
 * A single statement cannot do as well within D1's limits: `IN (...)` with 100 pages needs 101
 * bound parameters (the limit is 100), and both an IN list and `json_each` are billed as rows read
 * on top of the threads found, roughly doubling the cost.
 */
export async function countsForPages(
  db: Db,
  siteId: string,
  pageKeys: string[],
): Promise<Map<string, number>> {
  if (pageKeys.length === 0) return new Map();
  const found = await db.$client.batch(
    pageKeys.map((page) => countStatement(db, { site: siteId, page })),
  );
  return new Map(
    found.flatMap((result) => rowsOf(countFields, result.results)).map((r) => [r.pageKey, r.count]),
  );
}
