import { OpenAPIHono, type RouteConfig, type RouteHandler, type z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { limitBody, requireJson } from "../middleware/json-body";
import { moderatorAuth } from "../middleware/moderator-auth";
import { operatorAuth } from "../middleware/operator-auth";
import { loadSite, siteCors } from "../middleware/public-site";

/*
 * The router tree carries the policy. Each audience is one Hono app whose routes all sit behind
 * the audience's guard, put in front of each route by the audience itself: a route is guarded
 * by where it is written (routes/<audience>/), not by a list of paths kept in step with it.
 * test/worker/route-guards.test.ts walks every route the app serves and checks its guard.
 *
 * The audiences are mounted side by side at the root rather than under path prefixes: the API's
 * paths interleave them (/api/v1/sites/{site} is the operator's, /api/v1/sites/{site}/thread the
 * readers'), and a prefix's middleware would reach every path below it.
 */

/** The API's 422 for a failed validation, with one detail per problem. */
export const validationFailed = (issues: z.core.$ZodIssue[], target: string) =>
  new ApiError(
    422,
    "validation_failed",
    "The request did not pass validation.",
    issues.map((issue) => ({
      path: issue.path.map(String).join(".") || target,
      message: issue.message,
    })),
  );

/** A router whose validation failures become the API's 422 with one detail per problem. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (result.success) return;
      throw validationFailed(result.error.issues, result.target);
    },
  });
}

export type AudienceName = "readers" | "moderators" | "operator" | "anyone";

/** What a route may declare beyond its OpenAPI description. */
export interface RouteOptions {
  /**
   * How the route reads its body, when it is not JSON (an export sent to the import): the
   * limit and type check it needs instead of the JSON ones.
   */
  body?: MiddlewareHandler<AppEnv>[];
  /**
   * Readers' routes: where the site comes from. Reads take it from the isolate's memo; writes
   * read it afresh, since its rules decide them, unless they read its rules themselves.
   */
  site?: "recent" | "fresh";
}

const JSON_BODY = [limitBody, requireJson];
const RECENT_SITE = loadSite("recent");
const FRESH_SITE = loadSite("fresh");

/** The guards each audience puts in front of a route, in order. */
const GUARDS: Record<AudienceName, (route: RouteConfig, o: RouteOptions) => MiddlewareHandler[]> = {
  // Credentials first: an unauthenticated call learns nothing about its body.
  operator: (_, o) => [operatorAuth, ...(o.body ?? JSON_BODY)],
  moderators: (_, o) => [moderatorAuth, ...(o.body ?? JSON_BODY)],
  // The body is refused before the site is read: an oversized post costs no D1 read.
  readers: (route, o) => [
    ...(o.body ?? JSON_BODY),
    (o.site ?? (route.method === "get" ? "recent" : "fresh")) === "recent"
      ? RECENT_SITE
      : FRESH_SITE,
    siteCors,
  ],
  anyone: (_, o) => [...(o.body ?? JSON_BODY)],
};

/** Each guard's middleware, for the route-guard test to recognise in the app's routes. */
export const GUARD_MIDDLEWARE = {
  operator: operatorAuth,
  moderators: moderatorAuth,
  readers: siteCors,
} as const;

/** `/api/v1/sites/{site}` in OpenAPI's spelling → `/api/v1/sites/:site` in Hono's. */
const honoPath = (path: string) => path.replaceAll(/\{(\w+)\}/g, ":$1");

export class Audience {
  readonly app = createRouter();
  readonly #preflights = new Set<string>();

  constructor(readonly name: AudienceName) {}

  /** Adds a route behind this audience's guard. */
  route<R extends RouteConfig>(
    route: R,
    handler: RouteHandler<R, AppEnv>,
    options: RouteOptions = {},
  ): this {
    const own = route.middleware ? [route.middleware].flat() : [];
    const guarded = { ...route, middleware: [...GUARDS[this.name](route, options), ...own] };
    // biome-ignore lint/suspicious/noExplicitAny: the guards add no types the handler reads
    this.app.openapi(guarded as R, handler as any);
    if (this.name === "readers") this.#preflight(route.path);
    return this;
  }

  /** Readers' pages call from other origins: each path answers CORS preflights for its site. */
  #preflight(path: string): void {
    if (this.#preflights.has(path)) return;
    this.#preflights.add(path);
    this.app.options(honoPath(path), RECENT_SITE, siteCors);
  }
}
