import { cors } from "hono/cors";
import { createMiddleware } from "hono/factory";
import { getSite } from "../db/sites";
import type { AppEnv } from "../env";
import { notFound } from "../errors";
import { originAllowed } from "../services/sites";
import { SITE_ID_PATTERN } from "../shared/limits";

/** Loads the site named in the path for the public endpoints; an unknown site is a 404. */
export const loadSite = createMiddleware<AppEnv>(async (c, next) => {
  const id = c.req.param("site") ?? "";
  const site = SITE_ID_PATTERN.test(id) ? await getSite(c.var.db, id) : undefined;
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
  exposeHeaders: ["Server-Timing", "Retry-After"],
  maxAge: 86400,
  credentials: false,
});
