import { createMiddleware } from "hono/factory";
import { getSite } from "../db/sites";
import type { AppEnv } from "../env";
import { ApiError, notFound } from "../errors";
import { secretsEqual } from "../platform/crypto";
import { verifyModeratorKey } from "../services/sites/keys";
import { bearerToken } from "./operator-auth";

const unauthorized = () =>
  new ApiError(401, "unauthorized", "A valid moderator key for this site is required.");

/**
 * The moderation API opens to the site's own moderator keys: none or a bad or revoked key is 401;
 * a valid key of another site, or the operator token, is 403 (credentials, but not for this).
 */
export const moderatorAuth = createMiddleware<AppEnv>(async (c, next) => {
  const token = bearerToken(c.req.header("authorization"));
  if (!token) throw unauthorized();
  if (c.env.ADMIN_TOKEN && (await secretsEqual(token, c.env.ADMIN_TOKEN))) {
    throw new ApiError(
      403,
      "forbidden",
      "The operator token does not moderate; use a moderator key.",
    );
  }
  const siteId = c.req.param("site") ?? "";
  const check = await verifyModeratorKey(c.var.db, siteId, token);
  if (!check.ok) {
    if (check.reason === "other-site") {
      throw new ApiError(403, "forbidden", "This moderator key belongs to another site.");
    }
    throw unauthorized();
  }
  const site = await getSite(c.var.db, siteId);
  if (!site) throw notFound("site");
  c.set("site", site);
  c.set("moderator", check.key);
  await next();
});
