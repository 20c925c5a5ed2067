import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "./client";
import { threads } from "./schema";

export type ThreadRow = typeof threads.$inferSelect;

export async function getThread(
  db: Db,
  siteId: string,
  pageKey: string,
): Promise<ThreadRow | undefined> {
  return db
    .select()
    .from(threads)
    .where(and(eq(threads.siteId, siteId), eq(threads.pageKey, pageKey)))
    .get();
}

export async function getThreadById(db: Db, id: string): Promise<ThreadRow | undefined> {
  return db.select().from(threads).where(eq(threads.id, id)).get();
}

/**
 * Stored counts for many pages in one indexed query. The keys travel as one JSON parameter
 * because D1 allows at most 100 bound parameters per statement and a request may name 100 pages.
 */
export async function countsForPages(
  db: Db,
  siteId: string,
  pageKeys: string[],
): Promise<Map<string, number>> {
  const rows = await db
    .select({ pageKey: threads.pageKey, count: threads.count })
    .from(threads)
    .where(
      and(
        eq(threads.siteId, siteId),
        inArray(threads.pageKey, sql`(SELECT value FROM json_each(${JSON.stringify(pageKeys)}))`),
      ),
    )
    .all();
  return new Map(rows.map((r) => [r.pageKey, r.count]));
}
