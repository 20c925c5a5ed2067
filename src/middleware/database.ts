import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { BOOKMARK_HEADER, D1Meter } from "../platform/d1";
import { forgetRecentReads, recentReads } from "../services/recent-reads";

/** What D1 issues as bookmarks: short, and never anything a header or a URL could not carry. */
const BOOKMARK = /^[\w.:-]{1,200}$/;

/**
 * Gives each request a metered handle on a D1 session (made by `open`: the app passes the data
 * layer's, so the middleware needs none of it) and reports what D1 did in
 * `Server-Timing`: `db;dur=<ms>` (D1's own execution time), `rows;desc="<n>"` (rows read),
 * `written;desc="<n>"` (rows written), `calls;desc="<n>"` (round trips; a batch is one) and
 * `writecalls;desc="<n>"` (round trips that wrote). The row counts are what D1 bills by.
 *
 * Read replication (D1 Sessions): a request reads from the nearest replica, unless it brings a
 * bookmark (`?bookmark=` or the X-Parley-Bookmark header) from an earlier response, in which case
 * it sees at least that state: an author who just posted sees their comment. Writes start at the
 * primary. Every response that read D1 names its own bookmark in X-Parley-Bookmark.
 *
 * The version rows the isolate keeps for a moment (services/recent-reads.ts) follow the same
 * rule: a request with a bookmark reads them afresh, and a request that wrote forgets them all.
 */
type Db = AppEnv["Variables"]["db"];

export const database = (open: (d1: D1DatabaseSession, meter: D1Meter) => Db) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const meter = new D1Meter();
    const given = c.req.query("bookmark") ?? c.req.header(BOOKMARK_HEADER);
    const start = c.req.method === "GET" ? "first-unconstrained" : "first-primary";
    const bookmarked = given !== undefined && BOOKMARK.test(given);
    const session = c.env.DB.withSession(bookmarked ? given : start);
    c.set("meter", meter);
    c.set("recent", recentReads(bookmarked));
    c.set("session", session);
    c.set("db", open(session, meter));
    // Work after the response is the isolate's, not the request's: its reads are not counted.
    c.set("backgroundDb", () => open(c.env.DB.withSession("first-unconstrained"), new D1Meter()));
    try {
      await next();
    } finally {
      if (meter.writingCalls > 0) forgetRecentReads();
    }
    const bookmark = session.getBookmark();
    if (bookmark) c.res.headers.set(BOOKMARK_HEADER, bookmark);
    c.res.headers.append(
      "Server-Timing",
      `db;dur=${meter.durationMs.toFixed(2)}, rows;desc="${meter.rowsRead}", written;desc="${meter.rowsWritten}", calls;desc="${meter.calls}", writecalls;desc="${meter.writingCalls}"`,
    );
  });
