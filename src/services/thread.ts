import type { Db } from "../db/client";
import {
  listFirstReplies,
  listReplies,
  listRoots,
  type PublicCommentRow,
  type RootSort,
} from "../db/comments";
import type { SiteRow } from "../db/sites";
import { getThread, type ThreadRow } from "../db/threads";
import { type PublicComment, toPublicComment } from "./comment-view";
import {
  decodeReplyCursor,
  decodeRootCursor,
  encodeReplyCursor,
  encodeRootCursor,
  invalidCursor,
} from "./cursor";

/**
 * Replies shown under each top-level comment in the first view. Together with `limit` this bounds
 * the response whatever the thread's size; a larger subtree continues through `moreReplies`.
 */
export const REPLIES_PER_ROOT = 20;
export const REPLIES_PAGE_MAX = 100;

export function threadInfo(thread: ThreadRow | undefined, pageKey: string) {
  return {
    page: pageKey,
    title: thread?.title ?? pageKey,
    count: thread?.count ?? 0,
    locked: thread?.locked ?? false,
  };
}

/** Takes one more row than needed to learn whether another page exists. */
function splitPage<T>(rows: T[], size: number): { page: T[]; more: boolean } {
  return { page: rows.slice(0, size), more: rows.length > size };
}

export interface ThreadQuery {
  sort: RootSort;
  limit: number;
  cursor?: string;
}

/** Everything the widget needs for one page of a thread, in display order. */
export async function viewThread(db: Db, site: SiteRow, pageKey: string, query: ThreadQuery) {
  const thread = await getThread(db, site.id, pageKey);
  const info = threadInfo(thread, pageKey);
  if (!thread) {
    // No thread yet means no cursor was ever issued for this page.
    if (query.cursor) throw invalidCursor("This cursor belongs to another page.");
    return { thread: info, comments: [], nextCursor: null };
  }
  const after = query.cursor ? decodeRootCursor(query.cursor, thread.id, query.sort) : undefined;
  const roots = splitPage(
    await listRoots(db, thread.id, query.sort, query.limit + 1, after),
    query.limit,
  );
  const subtrees = await listFirstReplies(db, roots.page, REPLIES_PER_ROOT + 1);

  const comments: PublicComment[] = [];
  roots.page.forEach((root, i) => {
    const replies = splitPage(subtrees[i] ?? [], REPLIES_PER_ROOT);
    const lastShown = replies.page.at(-1);
    const more = replies.more && lastShown ? encodeReplyCursor(root.id, lastShown.path) : null;
    comments.push(toPublicComment(root, more), ...replies.page.map((r) => toPublicComment(r)));
  });
  const last = roots.page.at(-1);
  const nextCursor = roots.more && last ? encodeRootCursor(thread.id, query.sort, last) : null;
  return { thread: info, comments, nextCursor };
}

/** The next replies below a comment, continuing a subtree the thread view cut short. */
export async function viewReplies(
  db: Db,
  subtree: PublicCommentRow & { rootId: string },
  cursor: string | undefined,
  limit: number,
) {
  const afterPath = cursor ? decodeReplyCursor(cursor, subtree.id) : subtree.path;
  const rows = splitPage(await listReplies(db, subtree, afterPath, limit + 1), limit);
  const last = rows.page.at(-1);
  return {
    comments: rows.page.map((r) => toPublicComment(r)),
    nextCursor: rows.more && last ? encodeReplyCursor(subtree.id, last.path) : null,
  };
}
