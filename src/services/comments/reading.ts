import type { Db } from "../../db/client";
import {
  getPublicComments,
  getVisibleRoot,
  listFirstReplies,
  listReplies,
  listRoots,
  type PublicCommentRow,
} from "../../db/comments";
import type { SiteRow } from "../../db/sites";
import type { ThreadRow } from "../../db/threads";
import { getThreadById } from "../../db/threads";
import { notFound } from "../../errors";
import { cachedAs, cachedJson, cachedView } from "../../platform/edge-cache";
import { splitPage } from "../../platform/paging";
import type { PublicComment, Sort } from "../../shared/vocabulary";
import type { ViewServices } from "../request";
import { toPublicSite } from "../sites/sites";
import { toPublicComment } from "./comment-view";
import {
  decodeReplyCursor,
  decodeRootCursor,
  encodeReplyCursor,
  encodeRootCursor,
  invalidCursor,
} from "./cursor";
import { apiOf } from "./feeds";
import { issueFormToken } from "./form-token";
import { pageKey } from "./page-key";
import { pageLink } from "./page-link";
import { recentThread } from "./recent-rows";
import { drawFragment, FRAGMENT_TEXT, fragmentFor, repliesFragment } from "./thread-html";
import { threadHtmlEntry, threadViewEntry } from "./view-cache";
import { publishedComment, visibleComment } from "./visibility";

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

export interface ThreadQuery {
  sort: Sort;
  limit: number;
  cursor?: string;
}

/** Published comments a top-level comment's subtree holds: itself (unless a placeholder) and its replies. */
const published = (c: PublicCommentRow) => (c.status === "published" ? 1 : 0);

/**
 * One page of a thread, in display order, reading only the rows it returns (the row budget of
 * issue 5: a view costs the site, the thread and its comments). Whether more exists is worked
 * out from the trigger-kept counters instead of reading one row too many:
 * - a subtree cut at REPLIES_PER_ROOT has more when its root's replyCount (published replies at
 *   any depth) exceeds the published replies shown;
 * - more top-level comments exist when the published comments covered so far (each root and its
 *   replyCount, carried in the cursor) fall short of the thread's count. Only when that says
 *   "no more" on a full page, which a deletion since the previous page could make wrong, is
 *   one more row read to be sure.
 * A comment that arrives meanwhile can at worst offer a "more" that turns out empty.
 */
export async function viewThread(
  db: Db,
  thread: ThreadRow | undefined,
  pageKey: string,
  query: ThreadQuery,
) {
  const info = threadInfo(thread, pageKey);
  if (!thread) {
    // No thread yet means no cursor was ever issued for this page.
    if (query.cursor) throw invalidCursor("This cursor belongs to another page.");
    return { thread: info, comments: [], nextCursor: null };
  }
  const from = query.cursor ? decodeRootCursor(query.cursor, thread.id, query.sort) : undefined;
  // The pinned comment opens the first page, whatever the sort, above its `limit` others; every
  // page's list leaves it out.
  const pinnedId = from ? undefined : (thread.pinnedId ?? undefined);
  // Each visible root holds at least one published comment, so no more roots remain than
  // published comments not yet covered; asking for no more saves reading past the last one.
  const left = Math.max(thread.count - (from?.covered ?? 0), 1);
  const asked = Math.min(query.limit, left);
  const [listed, pinned] = await Promise.all([
    listRoots(db, thread.id, query.sort, asked, from?.after, thread.pinnedId),
    pinnedId ? getVisibleRoot(db, thread.id, pinnedId) : undefined,
  ]);
  const roots = pinned ? [pinned, ...listed] : listed;
  // A subtree holds at least its published replies (replyCount): asking for no more than those
  // spares the row a range scan reads past its end, and a root without replies costs no query.
  const limits = roots.map((r) => Math.min(REPLIES_PER_ROOT, r.replyCount));
  const subtrees = await listFirstReplies(
    db,
    roots.map((r, i) => ({ id: r.id, path: r.path, limit: limits[i] ?? 0 })),
  );

  const comments: PublicComment[] = [];
  let covered = from?.covered ?? 0;
  roots.forEach((root, i) => {
    const replies = subtrees[i] ?? [];
    const shown = replies.reduce((n, r) => n + published(r), 0);
    const lastShown = replies.at(-1);
    const cut = replies.length === limits[i] && root.replyCount > shown && lastShown;
    const more = cut ? encodeReplyCursor(root.id, lastShown.path) : null;
    const shaped = toPublicComment(root, more);
    if (root === pinned) shaped.pinned = true;
    comments.push(shaped, ...replies.map((r) => toPublicComment(r)));
    covered += published(root) + root.replyCount;
  });
  const last = listed.at(-1);
  // Fewer roots than asked for: the scan ran out. Otherwise the counters tell, and only a later
  // page (whose covered count an earlier request made) double-checks with one row.
  const full = listed.length === asked && last;
  const more =
    full &&
    (covered < thread.count ||
      (from !== undefined &&
        (await listRoots(db, thread.id, query.sort, 1, last, thread.pinnedId)).length > 0));
  const nextCursor = more ? encodeRootCursor(thread.id, query.sort, last, covered) : null;
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

/**
 * A published comment with its ancestors, for a permalink the first page does not show. An
 * ancestor the thread would not show (held, spam, removed) is a placeholder here too.
 */
export async function permalink(db: Db, site: SiteRow, id: string) {
  const comment = await publishedComment(db, site, id);
  const [thread, chain] = await Promise.all([
    getThreadById(db, comment.threadId),
    getPublicComments(db, comment.path.split("/")),
  ]);
  if (!thread) throw notFound("comment");
  return {
    thread: threadInfo(thread, thread.pageKey),
    comments: chain.map((c) => toPublicComment(c)),
  };
}

/**
 * The page of a thread the widget draws first, as the thread route answers it: the site's public
 * settings, the thread and one page of comments, from the edge cache when it holds this version
 * (services/comments/view-cache.ts), and a form token made for this view, so cached views carry
 * a fresh one.
 */
export async function threadPage(
  db: Db,
  site: SiteRow,
  page: string,
  query: ThreadQuery,
  outside: ViewServices,
  at: Date,
) {
  const key = pageKey(page);
  const thread = await recentThread(db, site, key, outside);
  const { json, cache } = await cachedJson(
    thread && threadViewEntry(site, thread, query),
    () => viewThread(db, thread, key, query),
    outside.waitUntil,
  );
  const issuedAt = await issueFormToken(site, key, at);
  // The response is the stored view with what each request makes its own around it, written
  // into its text: `{"thread":…,"comments":…,"nextCursor":…}` becomes
  // `{"site":…,"thread":…,"comments":…,"nextCursor":…,"issuedAt":…}`.
  const around = `{"site":${JSON.stringify(toPublicSite(site))},`;
  return { json: `${around}${json.slice(1, -1)},"issuedAt":${JSON.stringify(issuedAt)}}`, cache };
}

/**
 * The same first view as an HTML fragment (thread.html, services/comments/thread-html.ts), kept
 * in the edge cache beside the JSON view under the same version. On a miss it is drawn from the
 * JSON view's own entry when that holds this version, so neither format builds the view twice.
 * `origin` is the one the request came to: the form and links name the API's address on it.
 */
export async function threadPageHtml(
  db: Db,
  site: SiteRow,
  page: string,
  query: ThreadQuery,
  request: { origin: string; replyTo?: string },
  outside: ViewServices,
  at: Date,
) {
  const key = pageKey(page);
  const thread = await recentThread(db, site, key, outside);
  const { view: cached, cache } = await cachedAs(
    FRAGMENT_TEXT,
    thread && threadHtmlEntry(site, thread, query, request.origin),
    async () => {
      const { view } = await cachedView(
        thread && threadViewEntry(site, thread, query),
        () => viewThread(db, thread, key, query),
        outside.waitUntil,
      );
      return drawFragment(
        { site: toPublicSite(site), ...view },
        {
          api: apiOf(request.origin, site),
          pageUrl: pageLink(site, key),
          sort: query.sort,
          limit: query.limit,
        },
      );
    },
    outside.waitUntil,
  );
  const issuedAt = await issueFormToken(site, key, at);
  return { html: fragmentFor(cached, issuedAt, request.replyTo), cache };
}

/**
 * The same replies as an HTML fragment (replies.html), where thread.html's "Show more replies"
 * takes readers without JavaScript. `origin` is the one the request came to, as for thread.html.
 */
export async function repliesPageHtml(
  db: Db,
  site: SiteRow,
  id: string,
  query: { cursor?: string; limit: number },
  origin: string,
) {
  const subtree = await visibleComment(db, site, id);
  const [replies, thread] = await Promise.all([
    viewReplies(db, subtree, query.cursor, query.limit),
    getThreadById(db, subtree.threadId),
  ]);
  return repliesFragment(replies, id, site.locale, {
    api: apiOf(origin, site),
    pageUrl: thread ? pageLink(site, thread.pageKey) : null,
    standalone: true,
  });
}

/** The next replies below a comment, continuing a subtree the thread view cut short. */
export async function repliesOf(
  db: Db,
  site: SiteRow,
  id: string,
  cursor: string | undefined,
  limit: number,
) {
  return viewReplies(db, await visibleComment(db, site, id), cursor, limit);
}
