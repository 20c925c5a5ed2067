import type { SiteRow } from "../db/sites";
import type { ThreadRow } from "../db/threads";
import type { ThreadQuery } from "./thread";

/*
 * Thread views in the Workers Cache API (per Cloudflare location). An entry's key names the
 * thread's `version`, which triggers move on with every change a reader could see, and the
 * site's `updatedAt`; so after any write from anywhere the next view asks for a key nobody has
 * stored yet, and an entry is never served stale. Old versions' entries just age out.
 */

/** Entries live under a made-up origin: they are only ever matched, never fetched. */
const CACHE_ORIGIN = "https://thread-views.parley.invalid";
/** Versioned keys never go stale; the age limit only returns the space of old versions. */
const ENTRY_MAX_AGE_SECONDS = 24 * 3600;

export function threadViewKey(site: SiteRow, thread: ThreadRow, query: ThreadQuery): Request {
  const url = new URL(`${CACHE_ORIGIN}/${encodeURIComponent(site.id)}/${thread.id}`);
  url.searchParams.set("v", String(thread.version));
  url.searchParams.set("site", site.updatedAt);
  url.searchParams.set("sort", query.sort);
  url.searchParams.set("limit", String(query.limit));
  if (query.cursor) url.searchParams.set("cursor", query.cursor);
  return new Request(url);
}

export async function cachedThreadView<T>(key: Request): Promise<T | undefined> {
  const hit = await caches.default.match(key);
  return hit ? ((await hit.json()) as T) : undefined;
}

export function storeThreadView(
  key: Request,
  view: unknown,
  waitUntil: (work: Promise<unknown>) => void,
): void {
  const entry = new Response(JSON.stringify(view), {
    headers: {
      "content-type": "application/json",
      "cache-control": `public, max-age=${ENTRY_MAX_AGE_SECONDS}`,
    },
  });
  waitUntil(caches.default.put(key, entry));
}
