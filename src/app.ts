import { createRoute, z } from "@hono/zod-openapi";
import { createDb } from "./db/client";
import { ApiError, errorResponse, onError } from "./errors";
import { database } from "./middleware/database";
import { securityHeaders } from "./middleware/security-headers";
import { Audience, createRouter } from "./routes/audiences";
import { consoleRoutes } from "./routes/console";
import { demoRoutes } from "./routes/demo";
import { docsRoutes } from "./routes/docs";
import { mailPages } from "./routes/mail/pages";
import { moderationRoutes } from "./routes/moderators/moderation";
import { outboxRoutes } from "./routes/operator/outbox";
import { siteRoutes } from "./routes/operator/sites";
import { commentFormRoutes } from "./routes/readers/comment-form";
import { commentRoutes } from "./routes/readers/comments";
import { countsRoutes } from "./routes/readers/counts";
import { feedRoutes } from "./routes/readers/feeds";
import { threadRoutes } from "./routes/readers/thread";
import { jsonResponse } from "./routes/schemas/responses";

export const API_VERSION = "1.0.0";

const healthRoute = createRoute({
  method: "get",
  path: "/api/v1/health",
  tags: ["Service"],
  summary: "Whether the service answers, and its API version",
  responses: {
    200: jsonResponse(
      z.object({ status: z.literal("ok"), version: z.string() }).openapi("Health"),
      "It answers.",
    ),
  },
});

/**
 * The composition root: the error handler, what every request gets (security headers, a metered
 * D1 session), and the audiences (src/routes/audiences.ts), each with its own guard: readers
 * (the widget: site and CORS), moderators (a site's moderator key), the operator (ADMIN_TOKEN)
 * and anyone (health, the OpenAPI document); the demo pages where `npm start` asks for them.
 */
export function createApp() {
  const app = createRouter();
  app.onError(onError);
  app.notFound((c) => errorResponse(c, new ApiError(404, "not_found", "No such endpoint.")));
  app.use("*", securityHeaders, database(createDb));

  const readers = new Audience("readers");
  threadRoutes(readers);
  countsRoutes(readers);
  commentRoutes(readers);
  commentFormRoutes(readers);
  feedRoutes(readers);
  const moderators = new Audience("moderators");
  moderationRoutes(moderators);
  const operator = new Audience("operator");
  siteRoutes(operator);
  outboxRoutes(operator);
  const anyone = new Audience("anyone");
  anyone.route(healthRoute, (c) => c.json({ status: "ok" as const, version: API_VERSION }, 200));

  for (const audience of [readers, moderators, operator, anyone]) app.route("/", audience.app);
  app.route("/demo", demoRoutes);
  // The pages the links in mail open: the token in each is the credential (src/routes/mail/).
  app.route("/mail", mailPages);
  // The moderators' console: its own session cookie and guards (src/routes/console/).
  app.route("/admin", consoleRoutes);
  // The API reference page: a plain page of its own, open to anyone (src/routes/docs.ts).
  app.route("/", docsRoutes);

  app.openAPIRegistry.registerComponent("securitySchemes", "adminToken", {
    type: "http",
    scheme: "bearer",
    description: "The operator token (ADMIN_TOKEN secret).",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "moderatorKey", {
    type: "http",
    scheme: "bearer",
    description: "A moderator key of the site (operator API: POST /api/v1/sites/{site}/keys).",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "editToken", {
    type: "http",
    scheme: "bearer",
    description: "The edit token returned when the comment was posted.",
  });
  app.doc31("/api/v1/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Parley",
      version: API_VERSION,
      description:
        'Threaded comments for news sites and blogs. Errors are always `{error: {code, message, details?}}`. Every response carries `Server-Timing: db;dur=<ms>, rows;desc="<rows read>", written;desc="<rows written>"`.',
    },
  });
  return app;
}
