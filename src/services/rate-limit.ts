import { and, count, eq, gt } from "drizzle-orm";
import type { Db } from "../db/client";
import { comments } from "../db/schema";
import type { SiteRow } from "../db/sites";
import { ApiError } from "../errors";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

function limited(retryAfterSeconds: number): ApiError {
  return new ApiError(
    429,
    "rate_limited",
    "Too many comments in a short time. Please wait a moment.",
    undefined,
    { "Retry-After": String(retryAfterSeconds) },
  );
}

/** Comments this reader posted on the site since `since`, counting no further than `cap`. */
async function recentPosts(db: Db, site: SiteRow, ipHash: string, since: Date, cap: number) {
  const rows = await db.select({ n: count() }).from(
    db
      .select({ id: comments.id })
      .from(comments)
      .where(
        and(
          eq(comments.siteId, site.id),
          eq(comments.ipHash, ipHash),
          gt(comments.createdAt, since.toISOString()),
        ),
      )
      .limit(cap)
      .as("recent"),
  );
  return rows[0]?.n ?? 0;
}

/**
 * Per reader (ip hash) per site. The Workers Rate Limiting binding is a cheap first guard but
 * per location and approximate, so the site's own limits are counted exactly in D1 from the
 * comments themselves (an index range, capped at the limit). A limit of 0 is off.
 */
export async function enforceRateLimits(
  db: Db,
  site: SiteRow,
  ipHash: string,
  now: Date,
  limiter?: RateLimit,
): Promise<void> {
  if (limiter && !(await limiter.limit({ key: `${site.id}:${ipHash}` })).success) {
    throw limited(60);
  }
  const { postsPerMinute, postsPerDay } = site;
  if (postsPerMinute > 0) {
    const since = new Date(now.getTime() - MINUTE);
    if ((await recentPosts(db, site, ipHash, since, postsPerMinute)) >= postsPerMinute) {
      throw limited(60);
    }
  }
  if (postsPerDay > 0) {
    const since = new Date(now.getTime() - DAY);
    if ((await recentPosts(db, site, ipHash, since, postsPerDay)) >= postsPerDay) {
      throw limited(3600);
    }
  }
}
