import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { bearerToken } from "../platform/bearer";
import { secretsEqual } from "../platform/crypto";

/** The operator API opens only to ADMIN_TOKEN; with no token configured it stays shut. */
export const operatorAuth = createMiddleware<AppEnv>(async (c, next) => {
  const token = bearerToken(c.req.header("authorization"));
  const expected = c.env.ADMIN_TOKEN;
  if (!token || !expected || !(await secretsEqual(token, expected))) {
    throw new ApiError(401, "unauthorized", "A valid operator token is required.");
  }
  await next();
});
