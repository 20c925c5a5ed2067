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

/** How a value is written into its entry's text, and read back. */
export interface EntryCodec<V> {
  encode: (value: V) => string;
  decode: (text: string) => V;
}

/**
 * An entry as `memory` keeps it: the isolate's copy, else the Cache API's text, decoded and then
 * kept (sized by that text).
 */
async function stored<V>(
  memory: MemoryCache<V>,
  { key }: CacheEntry,
  decode: (text: string) => V,
): Promise<V | undefined> {
  const kept = memory.get(key.url);
  if (kept !== undefined) return kept;
  const hit = await caches.default.match(key);
  if (!hit) return undefined;
  const text = await hit.text();
  const value = decode(text);
  memory.set(key.url, value, text.length);
  return value;
}

/**
 * The value under `entry`: found (in memory or the edge cache), else built, kept and stored after
 * the response. `codec.encode` gives the text the entry stores.
 */
async function cached<V>(
  memory: MemoryCache<V>,
  entry: CacheEntry | undefined,
  codec: EntryCodec<V>,
  build: () => Promise<V>,
  waitUntil: (work: Promise<unknown>) => void,
): Promise<{ value: V; cache: CacheOutcome }> {
  const hit = entry && (await stored(memory, entry, codec.decode));
  if (hit !== undefined) return { value: hit, cache: "hit" };
  const value = await build();
  if (entry) {
    const text = codec.encode(value);
    memory.set(entry.key.url, value, text.length);
    const response = new Response(text, {
      headers: {
        "content-type": "application/json",
        "cache-control": `public, max-age=${entry.maxAge}`,
      },
    });
    waitUntil(caches.default.put(entry.key, response));
  }
  return { value, cache: "miss" };
}

export type CacheOutcome = "hit" | "miss";

const AS_VIEW = { decode: (text: string) => JSON.parse(text) as unknown, encode: JSON.stringify };
const AS_TEXT = { decode: (text: string) => text, encode: (text: string) => text };

/**
 * The view under `entry` from the edge cache, else built and stored after the response; which
 * of the two it was goes to `Server-Timing`. Without an entry (a page nobody has commented on)
 * the view is simply built. Callers only read the view: the isolate's copy is shared.
 */
export function cachedView<T>(
  entry: CacheEntry | undefined,
  build: () => Promise<T>,
  waitUntil: (work: Promise<unknown>) => void,
): Promise<{ view: T; cache: CacheOutcome }> {
  return cachedAs(AS_VIEW as EntryCodec<T>, entry, build, waitUntil);
}

/** The same, for a view whose entry holds a text of its own making rather than its JSON. */
export async function cachedAs<T>(
  codec: EntryCodec<T>,
  entry: CacheEntry | undefined,
  build: () => Promise<T>,
  waitUntil: (work: Promise<unknown>) => void,
): Promise<{ view: T; cache: CacheOutcome }> {
  // One key is always read the same way, so the parsed views can share one map.
  const memory = keptViews as MemoryCache<T>;
  const { value, cache } = await cached(memory, entry, codec, build, waitUntil);
  return { view: value, cache };
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
  const { value, cache } = await cached(
    keptTexts,
    entry,
    AS_TEXT,
    async () => JSON.stringify(await build()),
    waitUntil,
  );
  return { json: value, cache };
}
