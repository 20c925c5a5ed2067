import type { RecentReads } from "./recent-reads";

/*
 * What a service may know of the request that asks it, beyond the database: who asks, and the
 * outside world the route gives it (Akismet, Turnstile, the Rate Limiting binding, work for
 * after the response).
 */

/** Who is asking, as far as the server may know it. */
export interface Requester {
  ipHash: string;
  userAgent: string | null;
  now: Date;
}

/** What a service may reach outside the database; Akismet only when configured. */
export interface Outside {
  akismetKey?: string;
  /** Runs work after the response is sent (webhooks, Akismet's lessons, cache writes). */
  waitUntil: (work: Promise<unknown>) => void;
  /**
   * Sends, after the response, the site's mail that is due (a write may have queued some).
   * Absent where the deployment sends no mail: its mail waits in the outbox.
   */
  deliverMail?: (siteId: string) => void;
}

/**
 * What a public view cached at the edge needs besides the database: work for after the response
 * (the cache write), and the version rows the isolate read a moment ago (services/recent-reads.ts).
 */
export interface ViewServices extends Pick<Outside, "waitUntil"> {
  recent: RecentReads;
}

/** What posting and editing consult besides: the reader's IP and the edge's rate limiter. */
export interface PostingServices extends Outside {
  /** The reader's IP, passed on to Turnstile and Akismet only; never stored. */
  ip: string;
  limiter?: RateLimit;
}
