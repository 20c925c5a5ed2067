import { createRoute, z } from "@hono/zod-openapi";
import { limitImportBody, requireExportType } from "../../middleware/json-body";
import { now } from "../../platform/clock";
import type { Actor } from "../../services/moderation/audit";
import { importExport } from "../../services/portability/import/run";
import {
  allSites,
  changeSite,
  createSite,
  issueKey,
  keysOf,
  removeSite,
  revokeModeratorKey,
  siteById,
} from "../../services/sites/operator";
import { toSite } from "../../services/sites/sites";
import { LIMITS } from "../../shared/limits";
import type { Audience } from "../audiences";
import { exportDownload } from "../export-download";
import { ErrorSchema, SiteIdParam } from "../schemas/common";
import {
  CreateKeySchema,
  CreateSiteSchema,
  ImportQuerySchema,
  ImportReportSchema,
  IssuedKeySchema,
  KeySchema,
  SiteSchema,
  UpdateSiteSchema,
} from "../schemas/operator";
import { BODY_ERRORS, errors, jsonBody, jsonResponse } from "../schemas/responses";

const security = [{ adminToken: [] }];
/** Operator actions are audited under this name (moderators appear by their key's label). */
const asOperator = (): Actor => ({ label: "operator", now: now() });
const siteParams = z.object({ site: SiteIdParam });
const tags = ["Operator"];

const createSiteRoute = createRoute({
  method: "post",
  path: "/api/v1/sites",
  tags,
  security,
  summary: "Create a site (and its first moderator key)",
  request: { body: jsonBody(CreateSiteSchema) },
  responses: {
    201: jsonResponse(
      z.object({ site: SiteSchema, key: KeySchema, secret: z.string() }).openapi("CreatedSite"),
      "Created. `secret` is the first moderator key, shown once.",
    ),
    ...errors(...BODY_ERRORS, 401, 409),
  },
});

const listSitesRoute = createRoute({
  method: "get",
  path: "/api/v1/sites",
  tags,
  security,
  summary: "List sites",
  responses: {
    200: jsonResponse(z.object({ sites: z.array(SiteSchema) }), "All sites."),
    ...errors(401),
  },
});

const getSiteRoute = createRoute({
  method: "get",
  path: "/api/v1/sites/{site}",
  tags,
  security,
  summary: "Read a site",
  request: { params: siteParams },
  responses: {
    200: jsonResponse(z.object({ site: SiteSchema }), "The site."),
    ...errors(401, 404, 422),
  },
});

const updateSiteRoute = createRoute({
  method: "patch",
  path: "/api/v1/sites/{site}",
  tags,
  security,
  summary: "Change any subset of a site's settings",
  request: { params: siteParams, body: jsonBody(UpdateSiteSchema) },
  responses: {
    200: jsonResponse(z.object({ site: SiteSchema }), "The updated site."),
    ...errors(...BODY_ERRORS, 401, 404),
  },
});

const deleteSiteRoute = createRoute({
  method: "delete",
  path: "/api/v1/sites/{site}",
  tags,
  security,
  summary: "Delete a site with all its threads, comments and keys",
  request: { params: siteParams },
  responses: { 204: { description: "Deleted." }, ...errors(401, 404, 422) },
});

const createKeyRoute = createRoute({
  method: "post",
  path: "/api/v1/sites/{site}/keys",
  tags,
  security,
  summary: "Issue a moderator key",
  request: { params: siteParams, body: jsonBody(CreateKeySchema) },
  responses: {
    201: jsonResponse(IssuedKeySchema, "Issued. The secret is shown once."),
    ...errors(...BODY_ERRORS, 401, 404),
  },
});

const listKeysRoute = createRoute({
  method: "get",
  path: "/api/v1/sites/{site}/keys",
  tags,
  security,
  summary: "List a site's moderator keys (never their secrets)",
  request: { params: siteParams },
  responses: {
    200: jsonResponse(z.object({ keys: z.array(KeySchema) }), "Keys."),
    ...errors(401, 404, 422),
  },
});

const revokeKeyRoute = createRoute({
  method: "delete",
  path: "/api/v1/sites/{site}/keys/{keyId}",
  tags,
  security,
  summary: "Revoke a moderator key; it stops working at once",
  request: { params: z.object({ site: SiteIdParam, keyId: z.string().max(64) }) },
  responses: { 204: { description: "Revoked." }, ...errors(401, 404, 422) },
});

const exportRoute = createRoute({
  method: "get",
  path: "/api/v1/sites/{site}/export",
  tags,
  security,
  summary: "The site as Parley JSON: threads and comments (no secrets, no ip hashes)",
  description:
    "Streamed as it is read. `comments` come in creation order, each after its parent, with `page` and `parentId` links, author (name, email, website), `body` as written, status and dates.",
  request: { params: siteParams },
  responses: {
    200: {
      description: "The export.",
      content: { "application/json": { schema: z.object({ format: z.literal("parley") }) } },
    },
    ...errors(401, 404, 422),
  },
});

/** The export as sent: any of these types, or none; the format is the query's `format`. */
const exportFile = {
  schema: { type: "string", format: "binary" },
} as const;

const importRoute = createRoute({
  method: "post",
  path: "/api/v1/sites/{site}/import",
  tags,
  security,
  summary: "Import a Disqus, WordPress (WXR) or Parley export into the site",
  description:
    "The raw export is the body, gzipped or not (up to 10 MB as sent and as text; the CLI takes bigger files). Idempotent: comments are known by their id in the export, so importing a file again adds nothing. The file is checked whole before anything is written: a malformed or cut-short export writes nothing (400 `invalid_export`). Bad records are skipped and listed with their position; a reply whose parent is missing becomes a top-level comment, listed in `warnings`. Imported comments keep their dates, statuses (published, pending, spam, deleted) and nesting (within `maxDepth`); HTML becomes Parley's markdown subset, links http(s) and mailto only. No webhooks are sent; the import is in the audit log.",
  request: {
    params: siteParams,
    query: ImportQuerySchema,
    body: {
      required: true,
      content: {
        "application/xml": exportFile,
        "application/gzip": exportFile,
        "application/json": exportFile,
        "text/xml": exportFile,
        "application/octet-stream": exportFile,
      },
    },
  },
  responses: {
    200: jsonResponse(ImportReportSchema, "What was imported (or, in a dry run, would be)."),
    ...errors(401, 404, 422),
    415: jsonResponse(
      ErrorSchema,
      "Not sent as the file itself: a form upload, say (`unsupported_media_type`).",
    ),
    400: jsonResponse(
      ErrorSchema,
      "The body is not an export of that format, or is malformed or cut short (`invalid_export`).",
    ),
    413: jsonResponse(
      ErrorSchema,
      "The export is larger than 10 MB, as sent or once gunzipped (`payload_too_large`).",
    ),
  },
});

export const siteRoutes = (operator: Audience) =>
  operator
    .route(createSiteRoute, async (c) => {
      return c.json(await createSite(c.var.db, c.req.valid("json"), asOperator()), 201);
    })
    .route(listSitesRoute, async (c) => {
      return c.json({ sites: await allSites(c.var.db) }, 200);
    })
    .route(getSiteRoute, async (c) => {
      return c.json({ site: toSite(await siteById(c.var.db, c.req.valid("param").site)) }, 200);
    })
    .route(updateSiteRoute, async (c) => {
      const id = c.req.valid("param").site;
      const site = await changeSite(c.var.db, id, c.req.valid("json"), asOperator());
      return c.json({ site }, 200);
    })
    .route(deleteSiteRoute, async (c) => {
      await removeSite(c.var.db, c.req.valid("param").site);
      return c.body(null, 204);
    })
    .route(createKeyRoute, async (c) => {
      const siteId = c.req.valid("param").site;
      const label = c.req.valid("json").label;
      return c.json(await issueKey(c.var.db, siteId, label, asOperator()), 201);
    })
    .route(listKeysRoute, async (c) => {
      return c.json({ keys: await keysOf(c.var.db, c.req.valid("param").site) }, 200);
    })
    .route(revokeKeyRoute, async (c) => {
      const { site, keyId } = c.req.valid("param");
      await revokeModeratorKey(c.var.db, site, keyId, asOperator());
      return c.body(null, 204);
    })
    .route(exportRoute, async (c) => {
      const site = await siteById(c.var.db, c.req.valid("param").site);
      // The types of a streamed body cannot name its JSON schema; the description above does.
      return exportDownload(c, site) as never;
    })
    .route(
      importRoute,
      async (c) => {
        const site = await siteById(c.var.db, c.req.valid("param").site);
        const { format, dryRun } = c.req.valid("query");
        // Held whole (bounded by limitImportBody) because the import reads it twice.
        const body = await c.req.arrayBuffer();
        const report = await importExport(c.var.db, site, {
          format,
          open: () => new Blob([body]).stream(),
          dryRun: dryRun === "true",
          maxBytes: LIMITS.importBodyBytes,
          actor: asOperator(),
        });
        return c.json(report, 200);
      },
      // The body is the export file itself, not JSON, and larger.
      { body: [limitImportBody, requireExportType] },
    );
