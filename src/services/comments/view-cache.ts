import type { SiteRow } from "../../db/sites";
import type { ThreadRow } from "../../db/threads";
import { sha256Hex } from "../../platform/crypto";
import { type CacheEntry, cacheEntry } from "../../platform/edge-cache";
import { LIMITS } from "../../shared/limits";
import type { ThreadQuery } from "./reading";

/*
 * Public views in the Workers Cache API (per Cloudflare location).
 *
 * Thread views are exact: an entry's key names the thread's `version`, which triggers move on
 * with every change a reader could see, and the site's `updatedAt`; so after any write from
 * anywhere the next view asks for a key nobody has stored yet. Old versions' entries age out.
 *
 * Sets of counts are exact the same way: an entry's key names the site's `countsVersion`, which
 * triggers move on with every change to any of its pages' counts, and the site's `createdAt`
 * (a site deleted and made again under its id starts its version again). Reading the version
 * costs one row, on a hit and on a miss alike, so a miss reads 1 + (pages that have comments).
 * Counts have a budget of one row per page: a request for the most pages allowed
 * (LIMITS.countsPages) therefore skips the edge cache and reads its answer straight from D1,
 * exact as well; every smaller set is cached.
 *
 * Feeds and recent comments are exact the same ways. A page's feed is keyed like its thread views,
 * by the thread's `version`. The site's feed and its recent comments span every page, so they are
 * keyed by the site's `commentsVersion`, which a trigger moves on whenever any of its threads'
 * versions moves (the counts version would miss an edit or a vote), and its `createdAt`. Both
 * name the site's `updatedAt` too (its name and origins are in them), and a feed the origin it was
 * asked on, since it names its own address. A hit reads the one row that holds the version.
 */

/** The most pages whose counts are cached: with the version row, a miss stays within budget. */
export const COUNTS_CACHE_MAX_PAGES = LIMITS.countsPages - 1;

export function threadViewEntry(site: SiteRow, thread: ThreadRow, query: ThreadQuery): CacheEntry {
  return cacheEntry(`${encodeURIComponent(site.id)}/thread/${thread.id}`, {
    v: String(thread.version),
    site: site.updatedAt,
    sort: query.sort,
    limit: String(query.limit),
    cursor: query.cursor,
  });
}

/**
 * The same view as an HTML fragment (thread.html): the same version, its own entry, which names
 * the origin it was asked on, since its form and links name the API's own address.
 */
export function threadHtmlEntry(
  site: SiteRow,
  thread: ThreadRow,
  query: ThreadQuery,
  origin: string,
): CacheEntry {
  return cacheEntry(`${encodeURIComponent(site.id)}/thread-html/${thread.id}`, {
    v: String(thread.version),
    site: site.updatedAt,
    sort: query.sort,
    limit: String(query.limit),
    cursor: query.cursor,
    origin,
    // The stored shape (thread-html.ts's FRAGMENT_TEXT): a new shape must not read an old one.
    shape: "marked",
  });
}

/**
 * One entry per set of pages and version of the site's counts. `distinctKeys` holds each page
 * key once (the caller has made them so); their order does not matter.
 */
export async function countsEntry(
  siteId: string,
  version: { countsVersion: number; createdAt: string },
  distinctKeys: string[],
): Promise<CacheEntry> {
  // Hashed: a hundred page URLs would make a key longer than the cache accepts.
  const pages = await sha256Hex(JSON.stringify([...distinctKeys].sort()));
  return cacheEntry(`${encodeURIComponent(siteId)}/counts/${pages}`, {
    v: String(version.countsVersion),
    site: version.createdAt,
  });
}

export function pageFeedEntry(site: SiteRow, thread: ThreadRow, origin: string): CacheEntry {
  return cacheEntry(`${encodeURIComponent(site.id)}/feed/${thread.id}`, {
    v: String(thread.version),
    site: site.updatedAt,
    origin,
  });
}

/** What the site's lists of its latest comments are keyed on: its comments version, read fresh. */
export interface CommentsVersion {
  commentsVersion: number;
  createdAt: string;
}

export function siteFeedEntry(site: SiteRow, version: CommentsVersion, origin: string): CacheEntry {
  return cacheEntry(`${encodeURIComponent(site.id)}/feed`, {
    v: String(version.commentsVersion),
    created: version.createdAt,
    site: site.updatedAt,
    origin,
  });
}

export function recentEntry(site: SiteRow, version: CommentsVersion, limit: number): CacheEntry {
  return cacheEntry(`${encodeURIComponent(site.id)}/recent`, {
    v: String(version.commentsVersion),
    created: version.createdAt,
    site: site.updatedAt,
    limit: String(limit),
  });
}
