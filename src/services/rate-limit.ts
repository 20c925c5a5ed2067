import type { SiteRow } from "../db/sites";
import { ApiError } from "../errors";

export const MINUTE_MS = 60_000;
export const DAY_MS = 24 * 60 * MINUTE_MS;

function limited(retryAfterSeconds: number): ApiError {
  return new ApiError(
    429,
    "rate_limited",
    "Too many comments in a short time. Please wait a moment.",
    undefined,
    { "Retry-After": String(retryAfterSeconds) },
  );
}

/** How many of this reader's recent comments the posting read counted (capped at each limit). */
export interface RecentPosts {
  postsLastMinute: number;
  postsLastDay: number;
}

/**
 * Per reader (ip hash) per site; a limit of 0 is off. The Workers Rate Limiting binding is a cheap
 * first guard, but it counts per Cloudflare location and only approximately, so the site's own
 * limits are then counted exactly in D1 from the comments themselves (an index range, capped at
 * the limit, read with the other posting facts).
 */
export async function enforceRateLimits(
  site: SiteRow,
  ipHash: string,
  recent: RecentPosts,
  limiter?: RateLimit,
): Promise<void> {
  const { postsPerMinute, postsPerDay } = site;
  if (postsPerMinute > 0) {
    if (limiter && !(await limiter.limit({ key: `${site.id}:${ipHash}` })).success) {
      throw limited(60);
    }
    if (recent.postsLastMinute >= postsPerMinute) throw limited(60);
  }
  if (postsPerDay > 0 && recent.postsLastDay >= postsPerDay) throw limited(3600);
}
