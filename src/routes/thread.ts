import { createRoute, z } from "@hono/zod-openapi";
import { countsForPages } from "../db/threads";
import { issueFormToken } from "../services/form-token";
import { pageKey } from "../services/page-key";
import { toPublicSite } from "../services/sites";
import { viewThread } from "../services/thread";
import { LIMITS } from "../shared/limits";
import { errors, jsonResponse } from "./openapi";
import { createRouter } from "./router";
import { PageParam, SiteIdParam, SORTS, ThreadSchema } from "./schemas";

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
    const { page, ...query } = c.req.valid("query");
    const site = c.var.site;
    const [view, issuedAt] = await Promise.all([
      viewThread(c.var.db, site, pageKey(page), query),
      issueFormToken(site, new Date()),
    ]);
    return c.json({ site: toPublicSite(site), ...view, issuedAt }, 200);
  })
  .openapi(countsRoute, async (c) => {
    const pages = c.req.valid("query").page;
    const keys = pages.map(pageKey);
    const stored = await countsForPages(c.var.db, c.var.site.id, [...new Set(keys)]);
    const counts = Object.fromEntries(pages.map((p, i) => [p, stored.get(keys[i] ?? "") ?? 0]));
    c.header("Cache-Control", "public, max-age=30, stale-while-revalidate=300");
    return c.json({ counts }, 200);
  });
