import type { SiteRow } from "../db/sites";
import type { ThreadRow } from "../db/threads";
import { sha256Hex } from "./crypto";
import type { ThreadQuery } from "./thread";

/*
 * Public views in the Workers Cache API (per Cloudflare location).
 *
 * Thread views are exact: an entry's key names the thread's `version`, which triggers move on
 * with every change a reader could see, and the site's `updatedAt`; so after any write from
 * anywhere the next view asks for a key nobody has stored yet. Old versions' entries age out.
 *
 * Counts are kept for COUNTS_MAX_AGE_SECONDS, the same freshness browsers and CDNs get from the
 * counts response's Cache-Control. An exact key would need a site-wide version: one row on a
 * hit, but one more row than the answer itself on a miss (1 + one per page), which breaks the
 * budget of 100 rows for 100 pages; and an index page's "12 Responses" may lag a minute where a
 * thread view may not.
 */

/** Entries live under a made-up origin: they are only ever matched, never fetched. */
const CACHE_ORIGIN = "https://views.parley.invalid";
/** Versioned keys never go stale; the age limit only returns the space of old versions. */
const THREAD_MAX_AGE_SECONDS = 24 * 3600;
export const COUNTS_MAX_AGE_SECONDS = 30;

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
  return { key: new Request(url), maxAge: THREAD_MAX_AGE_SECONDS };
}

/** One entry per set of pages, however the request ordered or repeated them. */
export async function countsEntry(siteId: string, pageKeys: string[]): Promise<CacheEntry> {
  // Hashed: a hundred page URLs would make a key longer than the cache accepts.
  const pages = await sha256Hex(JSON.stringify([...new Set(pageKeys)].sort()));
  const url = `${CACHE_ORIGIN}/${encodeURIComponent(siteId)}/counts/${pages}`;
  return { key: new Request(url), maxAge: COUNTS_MAX_AGE_SECONDS };
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
