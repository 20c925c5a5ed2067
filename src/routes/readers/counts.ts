import { createRoute, z } from "@hono/zod-openapi";
import { countsOf } from "../../services/comments/counts";
import { LIMITS } from "../../shared/limits";
import type { Audience } from "../audiences";
import { serverTiming, viewServices } from "../context";
import { PageParam, SiteIdParam } from "../schemas/common";
import { errors, jsonResponse } from "../schemas/responses";

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

export const countsRoutes = (readers: Audience) =>
  readers.route(countsRoute, async (c) => {
    const { counts, cache } = await countsOf(
      c.var.db,
      c.var.site,
      c.req.valid("query").page,
      viewServices(c),
    );
    serverTiming(c, cache);
    // Exact at the edge; browsers and CDNs may keep an index page's counts a little while.
    c.header(
      "Cache-Control",
      `public, max-age=${COUNTS_MAX_AGE_SECONDS}, stale-while-revalidate=300`,
    );
    return c.json({ counts }, 200);
  });
