import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { getCountsVersion } from "../db/sites";
import { countsForPages, getThread } from "../db/threads";
import type { AppEnv } from "../env";
import { now } from "../platform/clock";
import {
  type CacheEntry,
  COUNTS_CACHE_MAX_PAGES,
  countsEntry,
  fromCache,
  threadViewEntry,
  toCache,
} from "../platform/edge-cache";
import { issueFormToken } from "../services/comments/form-token";
import { pageKey } from "../services/comments/page-key";
import { viewThread } from "../services/comments/reading";
import { toPublicSite } from "../services/sites/sites";
import { LIMITS } from "../shared/limits";
import { SORTS } from "../shared/vocabulary";
import { errors, jsonResponse } from "./openapi";
import { createRouter } from "./router";
import { PageParam, SiteIdParam, ThreadSchema } from "./schemas";

const threadRoute = createRoute({
  method: "get",
  path: "/api/v1/sites/{site}/thread",
  tags: ["Public"],
  summary: "Everything the widget needs to draw a page's Responses section",
  description:
    "Site settings, the thread and one page of comments in display order (each top-level comment followed by its replies, depth-first; replies oldest first). 200 with count 0 for a page without comments.",
  request: {
    params: z.object({ site: SiteIdParam }),
    query: z.object({
      page: PageParam,
      sort: z.enum(SORTS).default("oldest"),
      limit: z.coerce
        .number()
        .int()
        .min(1)
        .max(LIMITS.threadLimitMax)
        .default(LIMITS.threadLimitDefault)
        .openapi({ description: "Top-level comments per page." }),
      cursor: z
        .string()
        .max(4096)
        .optional()
        .openapi({ description: "`nextCursor` of the previous page." }),
      bookmark: z.string().max(200).optional().openapi({
        description:
          "A D1 Sessions bookmark from an earlier response (`bookmark` of a POST): read at least that state.",
      }),
    }),
  },
  responses: {
    200: jsonResponse(ThreadSchema, "The thread."),
    ...errors(404, 422),
  },
});

/** How long browsers and CDNs may keep a counts response before they ask again. */
const COUNTS_MAX_AGE_SECONDS = 30;

const pagesParam = z
  .union([PageParam, z.array(PageParam)])
  .transform((v) => (Array.isArray(v) ? v : [v]))
  .pipe(z.array(z.string()).min(1).max(LIMITS.countsPages, `At most ${LIMITS.countsPages} pages.`))
  .openapi({ description: "Repeat for each page, up to 100." });

const countsRoute = createRoute({
  method: "get",
  path: "/api/v1/sites/{site}/counts",
  tags: ["Public"],
  summary: "Comment counts for up to 100 pages",
  description:
    "Keyed exactly as each page was spelled in the request; unknown pages count 0. Exact after any write (edge-cache entries are keyed by the site's counts version); browsers and CDNs may keep a response 30 s.",
  request: {
    params: z.object({ site: SiteIdParam }),
    query: z.object({ page: pagesParam }),
  },
  responses: {
    200: jsonResponse(
      z.object({ counts: z.record(z.string(), z.number().int()) }).openapi("Counts"),
      "Counts by page.",
    ),
    ...errors(404, 422),
  },
});

/**
 * The view under `entry` from the edge cache, else built and stored; `Server-Timing` says
 * which. Without an entry (a page nobody has commented on) the view is simply built.
 */
async function edgeCached<T>(
  c: Context<AppEnv>,
  entry: CacheEntry | undefined,
  build: () => Promise<T>,
): Promise<T> {
  const hit = entry && (await fromCache<T>(entry));
  c.header("Server-Timing", `cache;desc="${hit ? "hit" : "miss"}"`);
  if (hit) return hit;
  const view = await build();
  if (entry) toCache(entry, view, (work) => c.executionCtx.waitUntil(work));
  return view;
}

export const threadRoutes = createRouter()
  .openapi(threadRoute, async (c) => {
    const { page, bookmark: _, ...query } = c.req.valid("query");
    const site = c.var.site;
    const key = pageKey(page);
    const thread = await getThread(c.var.db, site.id, key);
    const view = await edgeCached(c, thread && threadViewEntry(site, thread, query), () =>
      viewThread(c.var.db, thread, key, query),
    );
    // The form token is made per view, so cached views can carry a fresh one.
    const issuedAt = await issueFormToken(site, key, now());
    // Each view is current as of its request; browsers must not keep one.
    c.header("Cache-Control", "no-store");
    return c.json({ site: toPublicSite(site), ...view, issuedAt }, 200);
  })
  .openapi(countsRoute, async (c) => {
    const pages = c.req.valid("query").page;
    const keys = pages.map(pageKey);
    const distinct = [...new Set(keys)];
    const site = c.var.site;
    const version =
      distinct.length <= COUNTS_CACHE_MAX_PAGES
        ? await getCountsVersion(c.var.db, site.id)
        : undefined;
    const entry = version && (await countsEntry(site.id, version, distinct));
    const stored = await edgeCached(c, entry, async () =>
      Object.fromEntries(await countsForPages(c.var.db, site.id, distinct)),
    );
    const counts = Object.fromEntries(pages.map((p, i) => [p, stored[keys[i] ?? ""] ?? 0]));
    // Exact at the edge; browsers and CDNs may keep an index page's counts a little while.
    c.header(
      "Cache-Control",
      `public, max-age=${COUNTS_MAX_AGE_SECONDS}, stale-while-revalidate=300`,
    );
    return c.json({ counts }, 200);
  });
