import { createRoute, z } from "@hono/zod-openapi";
import { now } from "../../platform/clock";
import { threadPage } from "../../services/comments/reading";
import { LIMITS } from "../../shared/limits";
import { SORTS } from "../../shared/vocabulary";
import type { Audience } from "../audiences";
import { background, serverTiming } from "../context";
import { PageParam, SiteIdParam } from "../schemas/common";
import { ThreadSchema } from "../schemas/readers";
import { errors, jsonResponse } from "../schemas/responses";

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

export const threadRoutes = (readers: Audience) =>
  readers.route(threadRoute, async (c) => {
    const { page, bookmark: _, ...query } = c.req.valid("query");
    const { view, cache } = await threadPage(
      c.var.db,
      c.var.site,
      page,
      query,
      background(c),
      now(),
    );
    serverTiming(c, cache);
    // Each view is current as of its request; browsers must not keep one.
    c.header("Cache-Control", "no-store");
    return c.json(view, 200);
  });
