import { createRoute, z } from "@hono/zod-openapi";
import {
  FEED_ENTRIES,
  pageFeed,
  RECENT_LIMIT_DEFAULT,
  RECENT_LIMIT_MAX,
  recentComments,
  siteFeed,
} from "../../services/comments/feeds";
import type { Audience } from "../audiences";
import { serverTiming, viewServices } from "../context";
import { PageParam, SiteIdParam } from "../schemas/common";
import { RecentCommentsSchema } from "../schemas/readers";
import { errors, jsonResponse } from "../schemas/responses";

/**
 * How long browsers, feed readers and CDNs may keep a feed: readers poll feeds every so often,
 * and a few minutes behind costs nobody anything. At the edge it is exact.
 */
const FEED_MAX_AGE_SECONDS = 300;
/** A "Recent comments" list may lag a new comment in a reader's own browser as counts may. */
const RECENT_MAX_AGE_SECONDS = 30;

const siteParams = z.object({ site: SiteIdParam });

const feedRoute = createRoute({
  method: "get",
  path: "/api/v1/sites/{site}/feed.atom",
  tags: ["Public"],
  summary: "An Atom feed of a page's or the site's newest comments",
  description: `Atom 1.0: with \`page\`, that page's ${FEED_ENTRIES} newest published comments, newest first; without, the site's across its pages. Each entry links to \`<page>#comment-<id>\` (when the page is a web address on one of the site's origins), its content the comment's body as escaped HTML. A page without published comments, known or not, has an empty feed. Exact after any write (edge-cache entries are keyed by the thread's or the site's version); browsers and feed readers may keep it ${FEED_MAX_AGE_SECONDS} s.`,
  request: {
    params: siteParams,
    query: z.object({ page: PageParam.optional() }),
  },
  responses: {
    200: {
      description: "The feed.",
      content: { "application/atom+xml": { schema: z.string() } },
    },
    ...errors(404, 422),
  },
});

const recentRoute = createRoute({
  method: "get",
  path: "/api/v1/sites/{site}/recent",
  tags: ["Public"],
  summary: 'The site\'s newest comments, for a "Recent comments" list',
  description: `Published comments on any of the site's pages, newest first, each with its page, the page's title and its \`url\`. Exact after any write (edge-cache entries are keyed by the site's version); browsers and CDNs may keep a response ${RECENT_MAX_AGE_SECONDS} s.`,
  request: {
    params: siteParams,
    query: z.object({
      limit: z.coerce
        .number()
        .int()
        .min(1)
        .max(RECENT_LIMIT_MAX)
        .default(RECENT_LIMIT_DEFAULT)
        .openapi({ description: `How many, 1–${RECENT_LIMIT_MAX}.` }),
    }),
  },
  responses: {
    200: jsonResponse(RecentCommentsSchema, "The comments."),
    ...errors(404, 422),
  },
});

export const feedRoutes = (readers: Audience) =>
  readers
    .route(feedRoute, async (c) => {
      const { page } = c.req.valid("query");
      const origin = new URL(c.req.url).origin;
      const { xml, cache } = page
        ? await pageFeed(c.var.db, c.var.site, page, origin, viewServices(c))
        : await siteFeed(c.var.db, c.var.site, origin, viewServices(c));
      serverTiming(c, cache);
      c.header("Content-Type", "application/atom+xml; charset=utf-8");
      c.header("Cache-Control", `public, max-age=${FEED_MAX_AGE_SECONDS}`);
      return c.body(xml, 200);
    })
    .route(recentRoute, async (c) => {
      const { comments, cache } = await recentComments(
        c.var.db,
        c.var.site,
        c.req.valid("query").limit,
        viewServices(c),
      );
      serverTiming(c, cache);
      c.header(
        "Cache-Control",
        `public, max-age=${RECENT_MAX_AGE_SECONDS}, stale-while-revalidate=300`,
      );
      return c.json({ comments }, 200);
    });
