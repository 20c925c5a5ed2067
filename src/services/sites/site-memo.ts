import type { Db } from "../../db/client";
import { getSite, type SiteRow } from "../../db/sites";
import { nowMs } from "../../platform/clock";

/**
 * Sites as recently read by this isolate, for the public read endpoints. Settings change rarely
 * and readers' views far outnumber them, so a view need not pay a D1 row for its site each
 * time: that row is most of what a cached thread view would otherwise cost. A change made
 * through this isolate is seen at once (forgetSite); one made elsewhere within MEMO_MS, give or
 * take one request.
 *
 * An entry older than MEMO_MS is served stale while a background read (`refresh`, after the
 * response) fetches the site again, so no view waits for that read or counts its row: a warm
 * view reads its one row however long the isolate lives. An entry older than STALE_MS (an
 * isolate that has been idle for minutes) is read again before it is used.
 *
 * Posting takes the site from here too, and reads its current rules in its own batch
 * (services/comments.ts); the other writes (editing, voting, flagging) read the site afresh.
 */
export const MEMO_MS = 30_000;
export const STALE_MS = 10 * MEMO_MS;

interface Kept {
  site: SiteRow;
  readAt: number;
  refreshing?: boolean;
}

const memo = new Map<string, Kept>();

/** Reads a site into the memo; an unknown site leaves it. */
async function load(db: Db, id: string, now: number): Promise<SiteRow | undefined> {
  const site = await getSite(db, id);
  if (site) memo.set(id, { site, readAt: now });
  else memo.delete(id);
  return site;
}

/** Runs a background read of the site after the response, on a handle with its own meter. */
export type Refresh = (read: (db: Db) => Promise<unknown>) => void;

export async function recentSite(
  db: Db,
  id: string,
  refresh: Refresh,
  at = nowMs(),
): Promise<SiteRow | undefined> {
  const kept = memo.get(id);
  if (!kept || at - kept.readAt >= STALE_MS) return load(db, id, at);
  if (at - kept.readAt >= MEMO_MS && !kept.refreshing) {
    kept.refreshing = true;
    refresh((background) =>
      load(background, id, at)
        // A failed refresh leaves the entry as it was; the next view tries again, and past
        // STALE_MS a view reads the site itself, where an error gets its answer.
        .catch(() => undefined)
        .finally(() => {
          kept.refreshing = false;
        }),
    );
  }
  return kept.site;
}

export function forgetSite(id: string): void {
  memo.delete(id);
}
