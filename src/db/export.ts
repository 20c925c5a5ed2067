import { and, asc, eq, gt } from "drizzle-orm";
import type { Db } from "./client";
import { comments, mailAddresses, subscriptions, threads } from "./schema";
import { subscriptionColumns } from "./subscriptions";

/*
 * A site's data in pages, by id (keyset), for the export: each page is one bounded query, so an
 * export of any size holds one page in memory at a time. Comment ids sort by creation, so every
 * comment comes after its parent.
 */

export async function threadsPage(db: Db, siteId: string, afterId: string, limit: number) {
  return db
    .select({
      id: threads.id,
      page: threads.pageKey,
      title: threads.title,
      locked: threads.locked,
      createdAt: threads.createdAt,
    })
    .from(threads)
    .where(and(eq(threads.siteId, siteId), gt(threads.id, afterId)))
    .orderBy(asc(threads.id))
    .limit(limit)
    .all();
}

/** Comments with what moves with them: never ip hashes, user agents or edit tokens. */
export async function commentsPage(db: Db, siteId: string, afterId: string, limit: number) {
  return db
    .select({
      id: comments.id,
      page: threads.pageKey,
      parentId: comments.parentId,
      authorName: comments.authorName,
      authorEmail: comments.authorEmail,
      authorWebsite: comments.authorWebsite,
      bodySource: comments.bodySource,
      status: comments.status,
      createdAt: comments.createdAt,
      editedAt: comments.editedAt,
      staffBy: comments.staffBy,
    })
    .from(comments)
    .innerJoin(threads, eq(threads.id, comments.threadId))
    .where(and(eq(comments.siteId, siteId), gt(comments.id, afterId)))
    .orderBy(asc(comments.id))
    .limit(limit)
    .all();
}

/** Subscriptions with their address, page and consent: what a reader agreed to, and when. */
export async function subscriptionsPage(db: Db, siteId: string, afterId: string, limit: number) {
  return db
    .select({ id: subscriptions.id, ...subscriptionColumns })
    .from(subscriptions)
    .innerJoin(mailAddresses, eq(mailAddresses.id, subscriptions.addressId))
    .innerJoin(threads, eq(threads.id, subscriptions.threadId))
    .where(and(eq(subscriptions.siteId, siteId), gt(subscriptions.id, afterId)))
    .orderBy(asc(subscriptions.id))
    .limit(limit)
    .all();
}
