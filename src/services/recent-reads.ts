import { nowMs } from "../platform/clock";

/**
 * Version rows (a thread's row, a site's counts version) as this isolate read them in the last
 * RECENT_MS, for the public views that are cached at the edge under those versions. A hot
 * thread's cached view then reads its row once per isolate per interval instead of once per
 * request, and a cached counts request reads nothing. The bound, as README states it:
 * - a reader who brings a bookmark (the writer, after posting or editing) reads afresh, so they
 *   always see their own change at once;
 * - a write through this isolate forgets every kept row (the database middleware calls
 *   forgetRecentReads), so its readers see it at once too;
 * - any other reader sees a change made elsewhere within RECENT_MS.
 * At most MAX_KEPT rows are kept; past that the oldest goes.
 */
export const RECENT_MS = 2_000;
export const MAX_KEPT = 1_000;

interface Kept {
  value: unknown;
  readAt: number;
}

const kept = new Map<string, Kept>();

/** `read`'s answer under `key`, as this isolate read it within RECENT_MS, or read now. */
export type RecentReads = <T>(key: string, read: () => Promise<T>) => Promise<T>;

function keep(key: string, value: unknown, at: number): void {
  kept.delete(key);
  kept.set(key, { value, readAt: at });
  if (kept.size > MAX_KEPT) {
    const oldest = kept.keys().next().value;
    if (oldest !== undefined) kept.delete(oldest);
  }
}

/** A request's reads: from what this isolate kept, or, with `fresh`, always read (and kept). */
export function recentReads(fresh: boolean): RecentReads {
  return async (key, read) => {
    const at = nowMs();
    const found = fresh ? undefined : kept.get(key);
    // A row from the future (a clock set back) is as good as expired.
    const age = found ? at - found.readAt : RECENT_MS;
    if (found && age >= 0 && age < RECENT_MS)
      return found.value as Awaited<ReturnType<typeof read>>;
    const value = await read();
    keep(key, value, at);
    return value;
  };
}

export function forgetRecentReads(): void {
  kept.clear();
}
