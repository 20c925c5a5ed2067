import { type Case, fx, newSite, postSite, UNKNOWN_SITE } from "./bad-input-fixture";
import { ADMIN, call } from "./helpers";

/*
 * Bad-input rows (the fixture and the test are in bad-input-fixture.ts) for the operator's own
 * requests, sent with the right token: site and key bodies that fail validation, a site id
 * already taken, unknown sites and keys.
 */

export const siteAndKeyCases: Case[] = [
  // ---- sites and keys -------------------------------------------------------------------
  {
    name: "POST sites: an existing id → 409 site_exists",
    send: () => postSite({ id: fx.site, name: "Again", origins: ["https://x.example"] }),
    status: 409,
    code: "site_exists",
  },
  ...(
    [
      ["id", "Bad_ID", { id: "Bad_ID" }],
      ["id", "a one-character id", { id: "a" }],
      ["name", "no name", { name: undefined }],
      ["origins", "no origins", { origins: undefined }],
      ["origins.0", "an origin with a path", { origins: ["https://x.example/path"] }],
      ["origins.0", "an origin with a trailing slash", { origins: ["https://x.example/"] }],
      ["origins.0", "a javascript: origin", { origins: ["javascript:alert(1)"] }],
      ["origins", "an empty origins array", { origins: [] }],
      ["moderation", 'moderation "sometimes"', { moderation: "sometimes" }],
      ["maxDepth", "maxDepth 0", { maxDepth: 0 }],
      ["maxDepth", "maxDepth 11", { maxDepth: 11 }],
      ["editWindowSeconds", "editWindowSeconds -1", { editWindowSeconds: -1 }],
      ["limits.postsPerMinute", "a negative postsPerMinute", { limits: { postsPerMinute: -1 } }],
      ["webhookUrl", "a javascript: webhookUrl", { webhookUrl: "javascript:alert(1)" }],
      ["locale", "a malformed locale", { locale: "English!" }],
    ] as const
  ).map(
    ([path, label, fields]): Case => ({
      name: `POST sites: ${label} → 422 ${path}`,
      send: () => postSite(newSite(fields)),
      status: 422,
      code: "validation_failed",
      path,
    }),
  ),
  ...(
    [
      ["maxDepth", "maxDepth 0", { maxDepth: 0 }],
      ["origins", "an empty origins array", { origins: [] }],
      ["moderation", 'moderation "sometimes"', { moderation: "sometimes" }],
    ] as const
  ).map(
    ([path, label, fields]): Case => ({
      name: `PATCH site: ${label} → 422 ${path}`,
      send: () => call("PATCH", `/api/v1/sites/${fx.site}`, fields, ADMIN),
      status: 422,
      code: "validation_failed",
      path,
    }),
  ),
  {
    name: "PATCH site: an unknown site → 404 site_not_found",
    send: () => call("PATCH", `/api/v1/sites/${UNKNOWN_SITE}`, { name: "x" }, ADMIN),
    status: 404,
    code: "site_not_found",
  },
  {
    name: "PATCH site: a malformed site id → 422 site",
    send: () => call("PATCH", "/api/v1/sites/Bad_ID", { name: "x" }, ADMIN),
    status: 422,
    code: "validation_failed",
    path: "site",
  },
  {
    name: "GET site: an unknown site → 404 site_not_found",
    send: () => call("GET", `/api/v1/sites/${UNKNOWN_SITE}`, undefined, ADMIN),
    status: 404,
    code: "site_not_found",
  },
  ...(
    [
      ["an empty label", { label: "" }],
      ["a whitespace-only label", { label: "   " }],
      ["no label", {}],
      ["an 81-character label", { label: "l".repeat(81) }],
    ] as const
  ).map(
    ([label, body]): Case => ({
      name: `POST keys: ${label} → 422 label`,
      send: () => call("POST", `/api/v1/sites/${fx.site}/keys`, body, ADMIN),
      status: 422,
      code: "validation_failed",
      path: "label",
    }),
  ),
  {
    name: "POST keys: an unknown site → 404 site_not_found",
    send: () => call("POST", `/api/v1/sites/${UNKNOWN_SITE}/keys`, { label: "x" }, ADMIN),
    status: 404,
    code: "site_not_found",
  },
  {
    name: "DELETE key: an unknown key → 404 key_not_found",
    send: () => call("DELETE", `/api/v1/sites/${fx.site}/keys/k_unknown`, undefined, ADMIN),
    status: 404,
    code: "key_not_found",
  },
  {
    name: "DELETE key: an unknown site → 404 site_not_found",
    send: () => call("DELETE", `/api/v1/sites/${UNKNOWN_SITE}/keys/k_unknown`, undefined, ADMIN),
    status: 404,
    code: "site_not_found",
  },
];
