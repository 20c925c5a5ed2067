import { exceededLimit, type NewReaderAction } from "../../db/reader-actions";
import type { SiteRow } from "../../db/sites";
import { ApiError } from "../../errors";
import { newId } from "../../platform/ids";
import { LIMITS } from "../../shared/limits";
import type { ReaderActionKind } from "../../shared/vocabulary";

export const MINUTE_MS = 60_000;
export const DAY_MS = 24 * 60 * MINUTE_MS;

const WHAT: Record<ReaderActionKind, string> = {
  comment: "comments",
  vote: "votes",
  flag: "reports",
};

function limited(kind: ReaderActionKind, window: "minute" | "day"): ApiError {
  return new ApiError(
    429,
    "rate_limited",
    `Too many ${WHAT[kind]} in a short time. Please wait a moment.`,
    undefined,
    { "Retry-After": window === "minute" ? "60" : "3600" },
  );
}

/**
 * Per reader (ip hash) per site: posts and edits together within the site's `limits`; votes and
 * flags within fixed limits (LIMITS.votes, LIMITS.flags), generous for a person and tight for a
 * script. 0 is no limit.
 */
export function limitsFor(site: SiteRow, kind: ReaderActionKind) {
  if (kind === "vote") return LIMITS.votes;
  if (kind === "flag") return LIMITS.flags;
  return { perMinute: site.postsPerMinute, perDay: site.postsPerDay };
}

/** The row that records a reader's action, carrying the limits it must fit within. */
export function readerAction(
  site: SiteRow,
  kind: ReaderActionKind,
  reader: string,
  now: Date,
): NewReaderAction {
  return {
    id: newId("r", now.getTime()),
    siteId: site.id,
    reader,
    kind,
    ...limitsFor(site, kind),
    at: now.toISOString(),
  };
}

/**
 * Runs a write whose batch records a reader action: refused by its limit (exactly, inside the
 * insert; db/reader-actions.ts), it stores nothing and answers 429 with `Retry-After`.
 */
export async function withinLimits<T>(kind: ReaderActionKind, write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (error) {
    const window = exceededLimit(error);
    if (window) throw limited(kind, window);
    throw error;
  }
}

/** How many of this reader's recent posts and edits the posting read counted (capped at each limit). */
export interface RecentPosts {
  postsLastMinute: number;
  postsLastDay: number;
}

/**
 * The early check of a post or an edit, before Turnstile and Akismet are asked: the Workers Rate
 * Limiting binding (a cheap first guard, but approximate and per Cloudflare location), then the
 * site's limits from the counts read with the other facts. The write itself is what holds the
 * limits exactly (`withinLimits`); this spares the outside services a flood's requests.
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
      throw limited("comment", "minute");
    }
    if (recent.postsLastMinute >= postsPerMinute) throw limited("comment", "minute");
  }
  if (postsPerDay > 0 && recent.postsLastDay >= postsPerDay) throw limited("comment", "day");
}
