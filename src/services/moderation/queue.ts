import type { Db } from "../../db/client";
import {
  countUpTo,
  flagsOf,
  listForModeration,
  type ModeratorCommentRow,
} from "../../db/moderation";
import type { SiteRow } from "../../db/sites";
import { subscriptionsOfEmail } from "../../db/subscriptions";
import { getThread } from "../../db/threads";
import { nextIdCursor, splitPage } from "../../platform/paging";
import type { Body } from "../../shared/body";
import type { CommentStatus } from "../../shared/vocabulary";
import { pageKey } from "../comments/page-key";

/* The moderation queue: comments as moderators see them, with readers' flags. */

export function toModeratorComment(row: ModeratorCommentRow) {
  return {
    id: row.id,
    parentId: row.parentId,
    depth: row.depth,
    page: row.page,
    status: row.status,
    author: {
      name: row.authorName,
      email: row.authorEmail,
      website: row.authorWebsite,
      avatar: row.avatar,
    },
    ipHash: row.ipHash,
    userAgent: row.userAgent,
    spamReasons: row.spamReasons ?? [],
    flagCount: row.flagCount,
    body: JSON.parse(row.bodyJson) as Body,
    bodySource: row.bodySource,
    createdAt: row.createdAt,
    editedAt: row.editedAt,
    replyCount: row.replyCount,
    score: row.score,
    staff: row.staffBy !== null,
    pinned: row.pinned,
  };
}

export interface QueueQuery {
  status?: CommentStatus;
  page?: string;
  q?: string;
  email?: string;
  ipHash?: string;
  flagged?: boolean;
  cursor?: string;
  limit: number;
}

/** The moderation queue: newest first, with moderator-only fields and readers' flags. */
export async function moderationQueue(db: Db, site: SiteRow, query: QueueQuery) {
  const thread = query.page ? await getThread(db, site.id, pageKey(query.page)) : undefined;
  if (query.page && !thread) return { comments: [], nextCursor: null };
  const rows = await listForModeration(
    db,
    site.id,
    {
      status: query.status,
      threadId: thread?.id,
      text: query.q,
      authorEmail: query.email?.toLowerCase(),
      ipHash: query.ipHash,
      flagged: query.flagged,
    },
    query.limit + 1,
    query.cursor,
  );
  const split = splitPage(rows, query.limit);
  const page = split.page;
  const flags = await flagsOf(
    db,
    page.filter((row) => row.flagCount > 0).map((row) => row.id),
  );
  const comments = page.map((row) => ({
    ...toModeratorComment(row),
    flags: flags.filter((f) => f.commentId === row.id).map(({ commentId: _, ...flag }) => flag),
  }));
  return { comments, nextCursor: nextIdCursor(split) };
}

/**
 * An access request (GDPR): the address's comments, newest first and paged, and with the first
 * page its mail subscriptions on the site, with what and when it agreed to.
 */
export async function authorData(
  db: Db,
  site: SiteRow,
  query: { email: string; cursor?: string; limit: number },
) {
  const [page, subscriptions] = await Promise.all([
    moderationQueue(db, site, query),
    query.cursor ? undefined : subscriptionsOfEmail(db, site.id, query.email.toLowerCase()),
  ]);
  return subscriptions ? { ...page, subscriptions } : page;
}

/** The queue's tabs: which comments each shows. Flagged is the published ones readers flagged. */
export const QUEUE_TABS = {
  pending: { status: "pending" },
  flagged: { status: "published", flagged: true },
  spam: { status: "spam" },
  published: { status: "published" },
  deleted: { status: "deleted" },
} as const satisfies Record<string, { status: CommentStatus; flagged?: boolean }>;
export type QueueTab = keyof typeof QUEUE_TABS;

/** Counted up to this many per tab; more shows as "100+". */
export const TAB_COUNT_CAP = 100;

/** How many comments each tab holds, each counted up to TAB_COUNT_CAP. */
export async function tabCounts(db: Db, site: SiteRow): Promise<Record<QueueTab, number>> {
  const tabs = Object.keys(QUEUE_TABS) as QueueTab[];
  const counts = await countUpTo(
    db,
    site.id,
    tabs.map((tab) => QUEUE_TABS[tab]),
    TAB_COUNT_CAP,
  );
  return Object.fromEntries(tabs.map((tab, i) => [tab, counts[i] ?? 0])) as Record<
    QueueTab,
    number
  >;
}

/** An erasure names how many comments go; counted up to this many (more shows as "10000+"). */
export const AUTHOR_COUNT_CAP = 10_000;

/** How many comments the address wrote on the site, counted up to AUTHOR_COUNT_CAP. */
export async function commentsOfAuthor(db: Db, site: SiteRow, email: string): Promise<number> {
  const [n] = await countUpTo(
    db,
    site.id,
    [{ authorEmail: email.toLowerCase() }],
    AUTHOR_COUNT_CAP,
  );
  return n ?? 0;
}
