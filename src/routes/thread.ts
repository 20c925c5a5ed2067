import { createRoute, z } from "@hono/zod-openapi";
import { countsForPages, getThread } from "../db/threads";
import { issueFormToken } from "../services/form-token";
import { pageKey } from "../services/page-key";
import { toPublicSite } from "../services/sites";
import { viewThread } from "../services/thread";
import { cachedThreadView, storeThreadView, threadViewKey } from "../services/thread-cache";
import { LIMITS } from "../shared/limits";
import { errors, jsonResponse } from "./openapi";
import { createRouter } from "./router";
import { PageParam, SiteIdParam, SORTS, ThreadSchema } from "./schemas";

type ThreadView = Awaited<ReturnType<typeof viewThread>>;

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
  description: "Keyed exactly as each page was spelled in the request; unknown pages count 0.",
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

export const threadRoutes = createRouter()
  .openapi(threadRoute, async (c) => {
    const { page, bookmark: _, ...query } = c.req.valid("query");
    const site = c.var.site;
    const key = pageKey(page);
    const thread = await getThread(c.var.db, site.id, key);
    const cacheKey = thread && threadViewKey(site, thread, query);
    let view = cacheKey && (await cachedThreadView<ThreadView>(cacheKey));
    c.header("Server-Timing", `cache;desc="${view ? "hit" : "miss"}"`);
    if (!view) {
      view = await viewThread(c.var.db, thread, key, query);
      if (cacheKey) storeThreadView(cacheKey, view, (work) => c.executionCtx.waitUntil(work));
    }
    // The form token is made per view, so cached views can carry a fresh one.
    const issuedAt = await issueFormToken(site, new Date());
    // Each view is current as of its request; browsers must not keep one.
    c.header("Cache-Control", "no-store");
    return c.json({ site: toPublicSite(site), ...view, issuedAt }, 200);
  })
  .openapi(countsRoute, async (c) => {
    const pages = c.req.valid("query").page;
    const keys = pages.map(pageKey);
    const stored = await countsForPages(c.var.db, c.var.site.id, [...new Set(keys)]);
    const counts = Object.fromEntries(pages.map((p, i) => [p, stored.get(keys[i] ?? "") ?? 0]));
    // Counts are not kept in the Workers cache: an exact entry would need a site-wide version,
    // one more row than the answer itself costs (a site from the isolate's memo, plus one
    // indexed row per page that has comments). Browsers and CDNs may keep them briefly.
    c.header("Cache-Control", "public, max-age=30, stale-while-revalidate=300");
    return c.json({ counts }, 200);
  });
