import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { bearerToken } from "../platform/bearer";
import { secretsEqual } from "../platform/crypto";
import { siteForModerator } from "../services/sites/access";

/**
 * The moderation API opens to the site's own moderator keys (services/sites/access.ts); the
 * operator token is refused with 403: it runs sites, it does not moderate them.
 */
export const moderatorAuth = createMiddleware<AppEnv>(async (c, next) => {
  const token = bearerToken(c.req.header("authorization"));
  if (token && c.env.ADMIN_TOKEN && (await secretsEqual(token, c.env.ADMIN_TOKEN))) {
    throw new ApiError(
      403,
      "forbidden",
      "The operator token does not moderate; use a moderator key.",
    );
  }
  const { site, key } = await siteForModerator(c.var.db, c.req.param("site") ?? "", token);
  c.set("site", site);
  c.set("moderator", key);
  await next();
});
