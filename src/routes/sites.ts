import { createRoute, z } from "@hono/zod-openapi";
import {
  deleteSite,
  getSite,
  insertKey,
  insertSite,
  listKeys,
  listSites,
  revokeKey,
  updateSite,
} from "../db/sites";
import { ApiError, notFound } from "../errors";
import { now } from "../platform/clock";
import { type Actor, recordAction } from "../services/moderation/audit";
import { exportSite } from "../services/portability/export";
import { importExport } from "../services/portability/import/run";
import { newModeratorKey, toKey } from "../services/sites/keys";
import { forgetSite } from "../services/sites/site-memo";
import { newSiteRow, sitePatchColumns, toSite } from "../services/sites/sites";
import { LIMITS } from "../shared/limits";
import { BODY_ERRORS, errors, jsonBody, jsonResponse } from "./openapi";
import { createRouter } from "./router";
import {
  CreateKeySchema,
  CreateSiteSchema,
  ErrorSchema,
  ImportQuerySchema,
  ImportReportSchema,
  IssuedKeySchema,
  KeySchema,
  SiteIdParam,
  SiteSchema,
  UpdateSiteSchema,
} from "./schemas";

const security = [{ adminToken: [] }];
/** Operator actions are audited under this name (moderators appear by their key's label). */
const operator = (): Actor => ({ label: "operator", now: now() });
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

/** A text stream of the generator's pieces, pulled as the client reads. */
function streamOf(pieces: AsyncGenerator<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    async pull(controller) {
      const { value, done } = await pieces.next();
      if (done) controller.close();
      else controller.enqueue(encoder.encode(value));
    },
  });
}

export const siteRoutes = createRouter()
  .openapi(createSiteRoute, async (c) => {
    const input = c.req.valid("json");
    const at = now().toISOString();
    const row = newSiteRow(input, at);
    const key = await newModeratorKey(input.id, "default", at);
    if (!(await insertSite(c.var.db, row, key.row))) {
      throw new ApiError(409, "site_exists", "A site with this id already exists.");
    }
    const site = await getSite(c.var.db, input.id);
    if (!site) throw notFound("site");
    await recordAction(c.var.db, site, operator(), "create-site", site.id, {
      key: key.row.id,
    });
    return c.json({ site: toSite(site), key: toKey(key.row), secret: key.secret }, 201);
  })
  .openapi(listSitesRoute, async (c) => {
    return c.json({ sites: (await listSites(c.var.db)).map(toSite) }, 200);
  })
  .openapi(getSiteRoute, async (c) => {
    const site = await getSite(c.var.db, c.req.valid("param").site);
    if (!site) throw notFound("site");
    return c.json({ site: toSite(site) }, 200);
  })
  .openapi(updateSiteRoute, async (c) => {
    const changes = c.req.valid("json");
    const patch = sitePatchColumns(changes, now().toISOString());
    const site = await updateSite(c.var.db, c.req.valid("param").site, patch);
    if (!site) throw notFound("site");
    forgetSite(site.id);
    // The audit names the settings changed, never their values (secrets among them).
    await recordAction(c.var.db, site, operator(), "update-site", site.id, {
      fields: Object.keys(changes),
    });
    return c.json({ site: toSite(site) }, 200);
  })
  .openapi(deleteSiteRoute, async (c) => {
    const id = c.req.valid("param").site;
    forgetSite(id);
    if (!(await deleteSite(c.var.db, id))) throw notFound("site");
    return c.body(null, 204);
  })
  .openapi(createKeyRoute, async (c) => {
    const siteId = c.req.valid("param").site;
    if (!(await getSite(c.var.db, siteId))) throw notFound("site");
    const key = await newModeratorKey(siteId, c.req.valid("json").label, now().toISOString());
    await insertKey(c.var.db, key.row);
    await recordAction(c.var.db, { id: siteId }, operator(), "issue-key", key.row.id, {
      label: key.row.label,
    });
    return c.json({ key: toKey(key.row), secret: key.secret }, 201);
  })
  .openapi(listKeysRoute, async (c) => {
    const siteId = c.req.valid("param").site;
    if (!(await getSite(c.var.db, siteId))) throw notFound("site");
    return c.json({ keys: (await listKeys(c.var.db, siteId)).map(toKey) }, 200);
  })
  .openapi(exportRoute, async (c) => {
    const site = await getSite(c.var.db, c.req.valid("param").site);
    if (!site) throw notFound("site");
    c.header("Content-Type", "application/json; charset=utf-8");
    c.header("Content-Disposition", `attachment; filename="parley-${site.id}.json"`);
    // The types of a streamed body cannot name its JSON schema; the description above does.
    return c.body(streamOf(exportSite(c.var.db, site, now())), 200) as never;
  })
  .openapi(importRoute, async (c) => {
    const site = await getSite(c.var.db, c.req.valid("param").site);
    if (!site) throw notFound("site");
    const { format, dryRun } = c.req.valid("query");
    // Held whole (bounded by limitImportBody) because the import reads it twice.
    const body = await c.req.arrayBuffer();
    const report = await importExport(c.var.db, site, {
      format,
      open: () => new Blob([body]).stream(),
      dryRun: dryRun === "true",
      maxBytes: LIMITS.importBodyBytes,
      actor: operator(),
    });
    return c.json(report, 200);
  })
  .openapi(revokeKeyRoute, async (c) => {
    const { site, keyId } = c.req.valid("param");
    const revoked = await revokeKey(c.var.db, site, keyId, now().toISOString());
    if (!revoked) {
      throw (await getSite(c.var.db, site)) ? notFound("key") : notFound("site");
    }
    await recordAction(c.var.db, { id: site }, operator(), "revoke-key", keyId);
    return c.body(null, 204);
  });
