import type { Db } from "../../db/client";
import { commentsPerDay } from "../../db/moderation";
import type { SiteRow } from "../../db/sites";
import { tabCounts } from "./queue";

/* A site at a glance: comments received per day for the last 30 days, and what waits. */

export const OVERVIEW_DAYS = 30;
const DAY_MS = 86_400_000;

/**
 * The last OVERVIEW_DAYS UTC days up to `now`, oldest first, each with the comments received
 * (days without any are 0), and the pending and flagged backlog (counted as the queue's tabs are).
 * At most 30 rows for the days, and the tabs' bounded counts.
 */
export async function siteOverview(db: Db, site: SiteRow, now: Date) {
  const days = Array.from({ length: OVERVIEW_DAYS }, (_, i) =>
    new Date(now.getTime() - (OVERVIEW_DAYS - 1 - i) * DAY_MS).toISOString().slice(0, 10),
  );
  const [counted, tabs] = await Promise.all([
    commentsPerDay(db, site.id, days[0] ?? ""),
    tabCounts(db, site),
  ]);
  const byDay = new Map(counted.map((row) => [row.day, row.count]));
  return {
    days: days.map((day) => ({ day, count: byDay.get(day) ?? 0 })),
    backlog: { pending: tabs.pending, flagged: tabs.flagged },
  };
}
