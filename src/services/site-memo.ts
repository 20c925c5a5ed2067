import type { Db } from "../db/client";
import { getSite, type SiteRow } from "../db/sites";

/**
 * Sites as recently read by this isolate, for the public read endpoints. Settings change rarely
 * and readers' views far outnumber them, so a view need not pay a D1 row for its site each
 * time: that row is most of what a cached thread view would otherwise cost. A change made
 * through this isolate is seen at once (forgetSite); one made elsewhere within MEMO_MS.
 * Writes (posting, editing, voting, flagging) always read the site afresh.
 */
export const MEMO_MS = 30_000;

const memo = new Map<string, { site: SiteRow; until: number }>();

export async function recentSite(
  db: Db,
  id: string,
  now = Date.now(),
): Promise<SiteRow | undefined> {
  const kept = memo.get(id);
  if (kept && kept.until > now) return kept.site;
  const site = await getSite(db, id);
  if (site) memo.set(id, { site, until: now + MEMO_MS });
  else memo.delete(id);
  return site;
}

export function forgetSite(id: string): void {
  memo.delete(id);
}
