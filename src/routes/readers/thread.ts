import { createRoute, z } from "@hono/zod-openapi";
import { now } from "../../platform/clock";
import { repliesPageHtml, threadPage, threadPageHtml } from "../../services/comments/reading";
import { LIMITS } from "../../shared/limits";
import { COMMENT_ID_PATTERN, SORTS } from "../../shared/vocabulary";
import type { Audience } from "../audiences";
import { serverTiming, viewServices } from "../context";
import { CommentIdParam, PageParam, SiteIdParam } from "../schemas/common";
import { RepliesQuerySchema, ThreadSchema } from "../schemas/readers";
import { errors, jsonResponse } from "../schemas/responses";

const HTML = "text/html; charset=utf-8";

/** The thread's query, for the JSON view and the HTML alike. */
const threadQuery = z.object({
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
});

const threadRoute = createRoute({
  method: "get",
  path: "/api/v1/sites/{site}/thread",
  tags: ["Public"],
  summary: "Everything the widget needs to draw a page's Responses section",
  description:
    "Site settings, the thread and one page of comments in display order (each top-level comment followed by its replies, depth-first; replies oldest first). 200 with count 0 for a page without comments.",
  request: {
    params: z.object({ site: SiteIdParam }),
    query: threadQuery,
  },
  responses: {
    200: jsonResponse(ThreadSchema, "The thread."),
    ...errors(404, 422),
  },
});

const threadHtmlRoute = createRoute({
  method: "get",
  path: "/api/v1/sites/{site}/thread.html",
  tags: ["Public"],
  summary:
    "The thread's page as an HTML fragment, for crawlers, servers and readers without JavaScript",
  description:
    'The same view as `GET …/thread`, as one `<section data-parley-thread>`: the heading in the site\'s locale, each comment as `<li id="comment-<id>">` (replies as nested lists), the plain post form (posting to `POST …/comments/form`; absent on a locked page), schema.org `DiscussionForumPosting` JSON-LD, and the JSON thread view itself in `<script type="application/json" data-parley-data>` for the widget to take over. No other script, no inline style, no event handler; links only http(s)/mailto with `rel="nofollow ugc"`. Exact and cached at the edge like the JSON view.',
  request: {
    params: z.object({ site: SiteIdParam }),
    query: threadQuery.extend({
      replyto: z.string().regex(COMMENT_ID_PATTERN, "Not a comment id.").optional().openapi({
        description:
          "The comment the form replies to (its `parentId`): the target of each comment's Reply link.",
      }),
    }),
  },
  responses: {
    200: {
      description: "The fragment.",
      content: { "text/html": { schema: z.string() } },
    },
    ...errors(404, 422),
  },
});

const repliesHtmlRoute = createRoute({
  method: "get",
  path: "/api/v1/sites/{site}/comments/{id}/replies.html",
  tags: ["Public"],
  summary: "More replies below a comment as an HTML fragment, for readers without JavaScript",
  description:
    'The same replies as `GET …/comments/{id}/replies`, as one `<section data-parley-replies>`: each reply as `<li id="comment-<id>">` drawn as in `thread.html` (nested lists; Reply links on the article when the page is a web address on one of the site\'s origins), and a link to the next ones. Where `thread.html`\'s "Show more replies" leads. No script, no inline style, no event handler.',
  request: {
    params: z.object({ site: SiteIdParam, id: CommentIdParam }),
    query: RepliesQuerySchema,
  },
  responses: {
    200: { description: "The fragment.", content: { "text/html": { schema: z.string() } } },
    ...errors(404, 422),
  },
});

export const threadRoutes = (readers: Audience) =>
  readers
    .route(threadRoute, async (c) => {
      const { page, bookmark: _, ...query } = c.req.valid("query");
      const { json, cache } = await threadPage(
        c.var.db,
        c.var.site,
        page,
        query,
        viewServices(c),
        now(),
      );
      serverTiming(c, cache);
      // Each view is current as of its request; browsers must not keep one.
      c.header("Cache-Control", "no-store");
      // The view's JSON text as threadPage wrote it (the stored one, not parsed again). Its types
      // cannot name the schema it follows; the thread tests read it against that schema.
      return c.body(json, 200, { "Content-Type": "application/json" }) as never;
    })
    .route(threadHtmlRoute, async (c) => {
      const { page, bookmark: _, replyto, ...query } = c.req.valid("query");
      const { html, cache } = await threadPageHtml(
        c.var.db,
        c.var.site,
        page,
        query,
        { origin: new URL(c.req.url).origin, replyTo: replyto },
        viewServices(c),
        now(),
      );
      serverTiming(c, cache);
      // Current as of its request, as the JSON view is; a server that includes it caches by itself.
      c.header("Cache-Control", "no-store");
      c.header("Content-Type", HTML);
      return c.body(html, 200);
    })
    .route(repliesHtmlRoute, async (c) => {
      const html = await repliesPageHtml(
        c.var.db,
        c.var.site,
        c.req.valid("param").id,
        c.req.valid("query"),
        new URL(c.req.url).origin,
      );
      c.header("Cache-Control", "no-store");
      c.header("Content-Type", HTML);
      return c.body(html, 200);
    });
