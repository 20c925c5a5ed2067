import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { type AudienceName, GUARD_MIDDLEWARE } from "../../src/routes/audiences";
import { call, expectError, uniqueId } from "./helpers";

/*
 * Every route the app serves, and the guard it sits behind (issue 13: the router tree carries
 * the policy). A route added anywhere must be added here with its audience, or this fails; and
 * the audience it is listed under must be the one whose guard it actually has.
 */

const EXPECTED: Record<string, AudienceName> = {
  "GET /api/v1/sites/:site/thread": "readers",
  "GET /api/v1/sites/:site/thread.html": "readers",
  "GET /api/v1/sites/:site/counts": "readers",
  "GET /api/v1/sites/:site/feed.atom": "readers",
  "GET /api/v1/sites/:site/recent": "readers",
  "POST /api/v1/sites/:site/comments": "readers",
  "POST /api/v1/sites/:site/comments/form": "readers",
  "PATCH /api/v1/sites/:site/comments/:id": "readers",
  "DELETE /api/v1/sites/:site/comments/:id": "readers",
  "GET /api/v1/sites/:site/comments/:id": "readers",
  "GET /api/v1/sites/:site/comments/:id/replies": "readers",
  "GET /api/v1/sites/:site/comments/:id/replies.html": "readers",
  "POST /api/v1/sites/:site/comments/:id/vote": "readers",
  "POST /api/v1/sites/:site/comments/:id/flag": "readers",
  "GET /api/v1/sites/:site/moderation/comments": "moderators",
  "DELETE /api/v1/sites/:site/moderation/comments/:id": "moderators",
  "POST /api/v1/sites/:site/moderation/comments/:id/spam": "moderators",
  "POST /api/v1/sites/:site/moderation/comments/:id/approve": "moderators",
  "POST /api/v1/sites/:site/moderation/comments/:id/restore": "moderators",
  "POST /api/v1/sites/:site/moderation/comments/:id/pin": "moderators",
  "POST /api/v1/sites/:site/moderation/comments/:id/unpin": "moderators",
  "POST /api/v1/sites/:site/moderation/comments/:id/reply": "moderators",
  "POST /api/v1/sites/:site/moderation/bulk": "moderators",
  "GET /api/v1/sites/:site/moderation/authors": "moderators",
  "DELETE /api/v1/sites/:site/moderation/authors": "moderators",
  "GET /api/v1/sites/:site/moderation/blocks": "moderators",
  "POST /api/v1/sites/:site/moderation/blocks": "moderators",
  "DELETE /api/v1/sites/:site/moderation/blocks/:blockId": "moderators",
  "PATCH /api/v1/sites/:site/moderation/threads": "moderators",
  "GET /api/v1/sites/:site/moderation/audit": "moderators",
  "POST /api/v1/sites": "operator",
  "GET /api/v1/sites": "operator",
  "GET /api/v1/sites/:site": "operator",
  "PATCH /api/v1/sites/:site": "operator",
  "DELETE /api/v1/sites/:site": "operator",
  "POST /api/v1/sites/:site/keys": "operator",
  "GET /api/v1/sites/:site/keys": "operator",
  "DELETE /api/v1/sites/:site/keys/:keyId": "operator",
  "GET /api/v1/sites/:site/export": "operator",
  "POST /api/v1/sites/:site/import": "operator",
  "GET /api/v1/sites/:site/outbox": "operator",
  "POST /api/v1/sites/:site/outbox/:id/retry": "operator",
  "GET /api/v1/health": "anyone",
  "GET /api/v1/openapi.json": "anyone",
  "GET /api/v1/docs": "anyone",
};

type RouterRoute = { method: string; path: string; handler: unknown };
const app = createApp() as unknown as { routes: RouterRoute[] };

/** Each endpoint the app serves under /api/, with every handler in front of it. */
function servedEndpoints(): Map<string, Set<unknown>> {
  const endpoints = new Map<string, Set<unknown>>();
  for (const route of app.routes) {
    if (!route.path.startsWith("/api/") || route.method === "ALL") continue;
    if (route.method === "OPTIONS") continue;
    const key = `${route.method} ${route.path}`;
    endpoints.set(key, (endpoints.get(key) ?? new Set()).add(route.handler));
  }
  return endpoints;
}

/** The audiences whose guard stands in front of an endpoint. */
function guardsOf(handlers: Set<unknown>): AudienceName[] {
  return (Object.entries(GUARD_MIDDLEWARE) as [AudienceName, unknown][])
    .filter(([, guard]) => handlers.has(guard))
    .map(([name]) => name);
}

describe("route guards", () => {
  it("lists every endpoint the app serves, and nothing it does not", () => {
    expect([...servedEndpoints().keys()].sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED))("puts %s behind the %s guard only", (endpoint, audience) => {
    const handlers = servedEndpoints().get(endpoint) ?? new Set();
    expect(guardsOf(handlers)).toEqual(audience === "anyone" ? [] : [audience]);
  });

  it("answers every readers' path's CORS preflight for the site, and no other audience's", () => {
    const preflights = app.routes.filter((r) => r.method === "OPTIONS").map((r) => r.path);
    const readersPaths = Object.entries(EXPECTED)
      .filter(([, audience]) => audience === "readers")
      .map(([endpoint]) => endpoint.split(" ")[1]);
    expect([...new Set(preflights)].sort()).toEqual([...new Set(readersPaths)].sort());
  });

  it.each(Object.entries(EXPECTED))("refuses %s without its credentials (%s)", async (endpoint) => {
    const [method = "GET", path = ""] = endpoint.split(" ");
    const site = uniqueId("nosite");
    const url = path
      .replace(":site", site)
      .replace(":id", `c_${"0".repeat(26)}`)
      .replace(":blockId", "b_x")
      .replace(":keyId", "k_x");
    const res = await call(method, `${url}${url.includes("threads") ? "?page=x" : ""}`);
    const audience = EXPECTED[endpoint];
    if (audience === "operator" || audience === "moderators") {
      await expectError(res, 401, "unauthorized");
    } else if (audience === "readers") {
      await expectError(res, 404, "site_not_found");
    } else {
      expect(res.status).toBe(200);
    }
  });
});
