import type { Db } from "../../db/client";
import { listLatestOfSite, listLatestOfThread, type PublicCommentRow } from "../../db/comments";
import type { SiteRow } from "../../db/sites";
import { type AtomEntry, atomDocument } from "../../platform/atom";
import { cachedView } from "../../platform/edge-cache";
import { excerpt } from "../../shared/body";
import type { PublicComment } from "../../shared/vocabulary";
import type { ViewServices } from "../request";
import { bodyToHtml } from "../text/body-html";
import { toPublicComment } from "./comment-view";
import { pageKey } from "./page-key";
import { commentUrl, pageLink } from "./page-link";
import { recentCommentsVersion, recentThread } from "./recent-rows";
import { pageFeedEntry, recentEntry, siteFeedEntry } from "./view-cache";

/*
 * The ways to follow a site's comments without email: an Atom feed of a page's or the whole
 * site's newest published comments, and the site's newest as JSON for "Recent comments" lists.
 * Published comments only: nothing held, kept as spam or removed, and no placeholders. Each is
 * cached at the edge under a version that moves with every change a reader could see
 * (services/comments/view-cache.ts), so it is exact after any write.
 */

/** Entries in a feed: the newest comments, as many as a thread's first page shows. */
export const FEED_ENTRIES = 50;
export const RECENT_LIMIT_MAX = 50;
export const RECENT_LIMIT_DEFAULT = 10;
/** Characters of a comment's text in its entry's title. */
const TITLE_EXCERPT = 80;

/** The site's own address, its first origin without a port wildcard, for its feed's alternate link. */
const siteLink = (site: SiteRow) => site.origins.find((o) => !o.endsWith(":*")) ?? null;

/** The API's address for a site, on the origin the request came to: feeds and thread.html name it. */
export const apiOf = (origin: string, site: SiteRow) =>
  `${origin}/api/v1/sites/${encodeURIComponent(site.id)}`;

/** A published comment as a feed entry, from its public shape (the one way comments leave). */
function entry(site: SiteRow, api: string, row: PublicCommentRow, page: string): AtomEntry {
  const comment = toPublicComment(row);
  const name = comment.author?.name ?? "";
  const body = comment.body ?? [];
  return {
    id: `${api}/comments/${comment.id}`,
    title: `${name}: ${excerpt(body, TITLE_EXCERPT)}`,
    author: name,
    published: comment.createdAt,
    updated: comment.editedAt ?? comment.createdAt,
    link: commentUrl(site, page, comment.id),
    html: bodyToHtml(body),
  };
}

interface FeedHead {
  self: string;
  title: string;
  alternate: string | null;
}

function feedDocument(site: SiteRow, head: FeedHead, entries: AtomEntry[]): string {
  // The newest change among the entries (ISO times sort as text); an empty feed was last
  // changed when the site was made: the same for every empty feed, so it tells nothing of held
  // comments.
  const times = entries.map((e) => e.updated).sort();
  const updated = times.at(-1) ?? site.createdAt;
  return atomDocument({ ...head, author: site.name, updated, entries });
}

/**
 * A page's feed: its newest published comments, newest first. A page without a published comment
 * gets the same empty feed whether nobody has commented on it or every comment is held, so the
 * feed says nothing of comments a reader may not see; an unknown page is not a 404 for the same
 * reason, and because a feed reader may subscribe before the first comment.
 */
export async function pageFeed(
  db: Db,
  site: SiteRow,
  page: string,
  origin: string,
  outside: ViewServices,
) {
  const key = pageKey(page);
  const api = apiOf(origin, site);
  const found = await recentThread(db, site, key, outside);
  const thread = found && found.count > 0 ? found : undefined;
  const { view, cache } = await cachedView(
    thread && pageFeedEntry(site, thread, origin),
    async () => {
      // Never more than the page's published comments: a scan asked for more would read one
      // row past them (the next index entry) to find it has run out.
      const limit = Math.min(FEED_ENTRIES, thread?.count ?? 0);
      const rows = thread ? await listLatestOfThread(db, thread.id, limit) : [];
      const head = {
        self: `${api}/feed.atom?page=${encodeURIComponent(key)}`,
        title: `Comments on “${thread?.title ?? key}”`,
        alternate: pageLink(site, key),
      };
      return feedDocument(
        site,
        head,
        rows.map((row) => entry(site, api, row, key)),
      );
    },
    outside.waitUntil,
  );
  return { xml: view, cache };
}

/** The site's feed: its newest published comments on any page, newest first. */
export async function siteFeed(db: Db, site: SiteRow, origin: string, outside: ViewServices) {
  const api = apiOf(origin, site);
  const version = await recentCommentsVersion(db, site, outside);
  const { view, cache } = await cachedView(
    version && siteFeedEntry(site, version, origin),
    async () => {
      const rows = await listLatestOfSite(db, site.id, FEED_ENTRIES);
      const head = {
        self: `${api}/feed.atom`,
        title: `Comments on ${site.name}`,
        alternate: siteLink(site),
      };
      return feedDocument(
        site,
        head,
        rows.map((row) => entry(site, api, row, row.pageKey)),
      );
    },
    outside.waitUntil,
  );
  return { xml: view, cache };
}

/** A comment in a list of recent ones: its public shape, with where it was written. */
export type RecentComment = PublicComment & { page: string; title: string; url: string | null };

/** The site's `limit` newest published comments on any page, newest first. */
export async function recentComments(db: Db, site: SiteRow, limit: number, outside: ViewServices) {
  const version = await recentCommentsVersion(db, site, outside);
  const { view, cache } = await cachedView(
    version && recentEntry(site, version, limit),
    async (): Promise<RecentComment[]> =>
      (await listLatestOfSite(db, site.id, limit)).map((row) => ({
        ...toPublicComment(row),
        page: row.pageKey,
        title: row.title,
        url: commentUrl(site, row.pageKey, row.id),
      })),
    outside.waitUntil,
  );
  return { comments: view, cache };
}
