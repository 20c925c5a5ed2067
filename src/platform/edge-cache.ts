/*
 * Views in the Workers Cache API (per Cloudflare location), under keys their services make
 * exact (services/comments/view-cache.ts): a key names the version of what it holds, so an
 * entry is never stale, only unused.
 */

/** Entries live under a made-up origin: they are only ever matched, never fetched. */
const CACHE_ORIGIN = "https://views.parley.invalid";
/** Versioned keys never go stale; the age limit only returns the space of old versions. */
const MAX_AGE_SECONDS = 24 * 3600;

export interface CacheEntry {
  key: Request;
  maxAge: number;
}

/** The entry at `path` (under the cache's own origin) with these parameters. */
export function cacheEntry(path: string, params: Record<string, string | undefined>): CacheEntry {
  const url = new URL(`${CACHE_ORIGIN}/${path}`);
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) url.searchParams.set(name, value);
  }
  return { key: new Request(url), maxAge: MAX_AGE_SECONDS };
}

export async function fromCache<T>({ key }: CacheEntry): Promise<T | undefined> {
  const hit = await caches.default.match(key);
  return hit ? ((await hit.json()) as T) : undefined;
}

/** Stores a view's JSON text under `entry`, after the response. */
export function toCache(
  { key, maxAge }: CacheEntry,
  json: string,
  waitUntil: (work: Promise<unknown>) => void,
): void {
  const entry = new Response(json, {
    headers: { "content-type": "application/json", "cache-control": `public, max-age=${maxAge}` },
  });
  waitUntil(caches.default.put(key, entry));
}

export type CacheOutcome = "hit" | "miss";

/**
 * The view under `entry` from the edge cache, else built and stored after the response; which
 * of the two it was goes to `Server-Timing`. Without an entry (a page nobody has commented on)
 * the view is simply built.
 */
export async function cachedView<T>(
  entry: CacheEntry | undefined,
  build: () => Promise<T>,
  waitUntil: (work: Promise<unknown>) => void,
): Promise<{ view: T; cache: CacheOutcome }> {
  const hit = entry && (await fromCache<T>(entry));
  if (hit) return { view: hit, cache: "hit" };
  const view = await build();
  if (entry) toCache(entry, JSON.stringify(view), waitUntil);
  return { view, cache: "miss" };
}

/**
 * The same, for a view that is sent as it is: its JSON text, as stored, so that a hit is neither
 * parsed nor serialised again (about a millisecond of CPU for a 90 KB thread view), and a miss is
 * serialised once, for the response and the entry alike.
 */
export async function cachedJson(
  entry: CacheEntry | undefined,
  build: () => Promise<unknown>,
  waitUntil: (work: Promise<unknown>) => void,
): Promise<{ json: string; cache: CacheOutcome }> {
  const hit = entry && (await caches.default.match(entry.key));
  if (hit) return { json: await hit.text(), cache: "hit" };
  const json = JSON.stringify(await build());
  if (entry) toCache(entry, json, waitUntil);
  return { json, cache: "miss" };
}
