import { cors } from "hono/cors";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { BOOKMARK_HEADER } from "../platform/d1";
import { siteForReaders } from "../services/sites/access";
import { originAllowed } from "../services/sites/sites";

/**
 * Loads the site named in the path for readers' endpoints (an unknown site is a 404), from the
 * isolate's recent sites or afresh: the route declares which (src/routes/audiences.ts). The memo's
 * background refresh is the isolate's, not this request's: it reads on a handle of its own, so
 * `Server-Timing` reports what the request itself read.
 */
export const loadSite = (freshness: "recent" | "fresh") =>
  createMiddleware<AppEnv>(async (c, next) => {
    const site = await siteForReaders(c.var.db, c.req.param("site") ?? "", freshness, (read) =>
      c.executionCtx.waitUntil(read(c.var.backgroundDb())),
    );
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
