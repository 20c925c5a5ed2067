import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";

/** A router whose validation failures become API.md's 422 with one detail per problem. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (result.success) return;
      throw new ApiError(
        422,
        "validation_failed",
        "The request did not pass validation.",
        result.error.issues.map((issue) => ({
          path: issue.path.map(String).join(".") || result.target,
          message: issue.message,
        })),
      );
    },
  });
}
