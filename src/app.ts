import { OpenAPIHono } from "@hono/zod-openapi";
import { except } from "hono/combine";
import type { AppEnv } from "./env";
import { ApiError, errorResponse, onError } from "./errors";
import { database } from "./middleware/database";
import { limitBody, limitImportBody, requireExportType, requireJson } from "./middleware/json-body";
import { moderatorAuth } from "./middleware/moderator-auth";
import { operatorAuth } from "./middleware/operator-auth";
import { loadSite, siteCors } from "./middleware/public-site";
import { securityHeaders } from "./middleware/security-headers";
import { commentRoutes } from "./routes/comments";
import { demoRoutes } from "./routes/demo";
import { docsRoutes } from "./routes/docs";
import { moderationRoutes } from "./routes/moderation";
import { siteRoutes } from "./routes/sites";
import { threadRoutes } from "./routes/thread";

export const API_VERSION = "1.0.0";

/** Public endpoints (the widget's): the site is loaded first so CORS can consult its origins. */
const PUBLIC_PATHS = [
  "/api/v1/sites/:site/thread",
  "/api/v1/sites/:site/counts",
  // A trailing "/*" also matches the bare path, so this one covers POST .../comments too.
  "/api/v1/sites/:site/comments/*",
];
/** The one endpoint whose body is a file (an export: XML, gzip or JSON), not a JSON request. */
const IMPORT_PATH = "/api/v1/sites/:site/import";
/** Operator endpoints: ADMIN_TOKEN, no CORS. */
const OPERATOR_PATHS = [
  "/api/v1/sites",
  "/api/v1/sites/:site",
  "/api/v1/sites/:site/keys",
  "/api/v1/sites/:site/keys/*",
  "/api/v1/sites/:site/export",
  IMPORT_PATH,
];

export function createApp() {
  const app = new OpenAPIHono<AppEnv>();
  app.onError(onError);
  app.notFound((c) => errorResponse(c, new ApiError(404, "not_found", "No such endpoint.")));

  app.use("*", securityHeaders);
  app.use("*", database);
  // Credentials first: an unauthenticated operator call learns nothing about its body.
  for (const path of OPERATOR_PATHS) app.use(path, operatorAuth);
  app.use("/api/v1/sites/:site/moderation/*", moderatorAuth);
  app.use("/api/*", except(IMPORT_PATH, limitBody, requireJson));
  app.use(IMPORT_PATH, limitImportBody, requireExportType);
  for (const path of PUBLIC_PATHS) app.use(path, loadSite, siteCors);

  app.get("/api/v1/health", (c) => c.json({ status: "ok", version: API_VERSION }));
  app.route("/", threadRoutes);
  app.route("/", commentRoutes);
  app.route("/", siteRoutes);
  app.route("/", moderationRoutes);
  app.route("/", demoRoutes);
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
