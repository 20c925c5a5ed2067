import type { SiteRow } from "../db/sites";
import type { ThreadRow } from "../db/threads";
import type { ThreadQuery } from "../services/comments/reading";
import { LIMITS } from "../shared/limits";
import { sha256Hex } from "./crypto";

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
 */

/** Entries live under a made-up origin: they are only ever matched, never fetched. */
const CACHE_ORIGIN = "https://views.parley.invalid";
/** Versioned keys never go stale; the age limit only returns the space of old versions. */
const MAX_AGE_SECONDS = 24 * 3600;
/** The most pages whose counts are cached: with the version row, a miss stays within budget. */
export const COUNTS_CACHE_MAX_PAGES = LIMITS.countsPages - 1;

export interface CacheEntry {
  key: Request;
  maxAge: number;
}

export function threadViewEntry(site: SiteRow, thread: ThreadRow, query: ThreadQuery): CacheEntry {
  const url = new URL(`${CACHE_ORIGIN}/${encodeURIComponent(site.id)}/thread/${thread.id}`);
  url.searchParams.set("v", String(thread.version));
  url.searchParams.set("site", site.updatedAt);
  url.searchParams.set("sort", query.sort);
  url.searchParams.set("limit", String(query.limit));
  if (query.cursor) url.searchParams.set("cursor", query.cursor);
  return { key: new Request(url), maxAge: MAX_AGE_SECONDS };
}

/**
 * One entry per set of pages and version of the site's counts. `distinctKeys` holds each page
 * key once (the route has made them so); their order does not matter.
 */
export async function countsEntry(
  siteId: string,
  version: { countsVersion: number; createdAt: string },
  distinctKeys: string[],
): Promise<CacheEntry> {
  // Hashed: a hundred page URLs would make a key longer than the cache accepts.
  const pages = await sha256Hex(JSON.stringify([...distinctKeys].sort()));
  const url = new URL(`${CACHE_ORIGIN}/${encodeURIComponent(siteId)}/counts/${pages}`);
  url.searchParams.set("v", String(version.countsVersion));
  url.searchParams.set("site", version.createdAt);
  return { key: new Request(url), maxAge: MAX_AGE_SECONDS };
}

export async function fromCache<T>({ key }: CacheEntry): Promise<T | undefined> {
  const hit = await caches.default.match(key);
  return hit ? ((await hit.json()) as T) : undefined;
}

export function toCache(
  { key, maxAge }: CacheEntry,
  view: unknown,
  waitUntil: (work: Promise<unknown>) => void,
): void {
  const entry = new Response(JSON.stringify(view), {
    headers: { "content-type": "application/json", "cache-control": `public, max-age=${maxAge}` },
  });
  waitUntil(caches.default.put(key, entry));
}
