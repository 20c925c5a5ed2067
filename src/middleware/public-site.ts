import { cors } from "hono/cors";
import { createMiddleware } from "hono/factory";
import { createDb } from "../db/client";
import { getSite } from "../db/sites";
import type { AppEnv } from "../env";
import { notFound } from "../errors";
import { BOOKMARK_HEADER, D1Meter } from "../platform/d1";
import { type Refresh, recentSite } from "../services/sites/site-memo";
import { originAllowed } from "../services/sites/sites";
import { SITE_ID_PATTERN } from "../shared/vocabulary";

/** POST /api/v1/sites/{site}/comments, the one write that brings its own fresh site. */
const isPosting = (method: string, path: string) =>
  method === "POST" && /^\/api\/v1\/sites\/[^/]+\/comments\/?$/.test(path);

/**
 * Loads the site named in the path for the public endpoints; an unknown site is a 404. Reads
 * take it from the isolate's recent sites; so does posting, which reads the site's current rules
 * in the same batch as everything else they decide on (services/comments.ts postComment). Other
 * writes read it afresh, since its rules decide them.
 */
export const loadSite = createMiddleware<AppEnv>(async (c, next) => {
  const id = c.req.param("site") ?? "";
  // The memo's background refresh is the isolate's, not this request's: it gets a handle with a
  // meter of its own, so `Server-Timing` reports what the request itself read.
  const refresh: Refresh = (read) =>
    c.executionCtx.waitUntil(
      read(createDb(c.env.DB.withSession("first-unconstrained"), new D1Meter())),
    );
  const site = !SITE_ID_PATTERN.test(id)
    ? undefined
    : c.req.method === "GET" || isPosting(c.req.method, c.req.path)
      ? await recentSite(c.var.db, id, refresh)
      : await getSite(c.var.db, id);
  if (!site) throw notFound("site");
  c.set("site", site);
  await next();
});

/**
 * CORS for the widget: only the site's own origins, no credentials. Other origins get no
 * CORS headers, so browsers refuse them; server-to-server callers are unaffected.
 */
export const siteCors = cors({
  origin: (origin, c) => (originAllowed(c.var.site, origin) ? origin : null),
  allowMethods: ["GET", "POST", "PATCH", "DELETE"],
  allowHeaders: ["Content-Type", "Authorization"],
  exposeHeaders: ["Server-Timing", "Retry-After", BOOKMARK_HEADER],
  maxAge: 86400,
  credentials: false,
});
