/*
 * Views in the Workers Cache API (per Cloudflare location), under keys their services make
 * exact (services/comments/view-cache.ts): a key names the version of what it holds, so an
 * entry is never stale, only unused.
 */

import { MemoryCache } from "./memory-cache";

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

/**
 * The isolate's own copies of the entries it used last, in front of the Cache API. A key names
 * the version of what it holds, so a copy is as exact as the stored entry, and a hot view is
 * then neither read from the cache nor decoded again: that read was most of a cached view's CPU.
 * JSON texts (cachedJson) and parsed views (cachedView, sized by the text they came from) are
 * kept apart, since one key can be asked for both ways. 4 MiB each: some forty 90 KB pages.
 */
const MEMORY_BYTES = 4 * 2 ** 20;
const keptTexts = new MemoryCache<string>(MEMORY_BYTES);
const keptViews = new MemoryCache<unknown>(MEMORY_BYTES);

/** The entry's text: the isolate's copy, else the Cache API's (then kept). */
async function storedText({ key }: CacheEntry): Promise<string | undefined> {
  const kept = keptTexts.get(key.url);
  if (kept !== undefined) return kept;
  const hit = await caches.default.match(key);
  if (!hit) return undefined;
  const text = await hit.text();
  keptTexts.set(key.url, text, text.length);
  return text;
}

/** The entry as a view: the isolate's parsed copy, else parsed from the Cache API (then kept). */
async function fromCache<T>({ key }: CacheEntry): Promise<T | undefined> {
  const kept = keptViews.get(key.url);
  if (kept !== undefined) return kept as T;
  const hit = await caches.default.match(key);
  if (!hit) return undefined;
  const text = await hit.text();
  const view = JSON.parse(text) as T;
  keptViews.set(key.url, view, text.length);
  return view;
}

/** Stores a view's JSON text under `entry`, after the response. */
function toCache(
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
 * the view is simply built. Callers only read the view: the isolate's copy is shared.
 */
export async function cachedView<T>(
  entry: CacheEntry | undefined,
  build: () => Promise<T>,
  waitUntil: (work: Promise<unknown>) => void,
): Promise<{ view: T; cache: CacheOutcome }> {
  const hit = entry && (await fromCache<T>(entry));
  if (hit) return { view: hit, cache: "hit" };
  const view = await build();
  if (entry) {
    const json = JSON.stringify(view);
    keptViews.set(entry.key.url, view, json.length);
    toCache(entry, json, waitUntil);
  }
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
  const hit = entry && (await storedText(entry));
  if (hit !== undefined) return { json: hit, cache: "hit" };
  const json = JSON.stringify(await build());
  if (entry) {
    keptTexts.set(entry.key.url, json, json.length);
    toCache(entry, json, waitUntil);
  }
  return { json, cache: "miss" };
}
