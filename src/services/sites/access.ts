import type { Db } from "../../db/client";
import { getSite, type KeyRow, type SiteRow } from "../../db/sites";
import { ApiError, notFound } from "../../errors";
import { SITE_ID_PATTERN } from "../../shared/vocabulary";
import { verifyModeratorKey } from "./keys";
import { type Refresh, recentSite } from "./site-memo";

/*
 * Who may reach a site, as the audiences' guards ask it (src/routes/audiences.ts): readers reach
 * any site that exists; moderators only their own site, with an unrevoked key.
 */

/**
 * The site named in a reader's request; an unknown (or impossible) id is a 404. `recent` takes it
 * from the isolate's memo (services/sites/site-memo.ts), which reads and posting can afford;
 * other writes read it afresh, since its rules decide them.
 */
export async function siteForReaders(
  db: Db,
  id: string,
  freshness: "recent" | "fresh",
  refresh: Refresh,
): Promise<SiteRow> {
  if (!SITE_ID_PATTERN.test(id)) throw notFound("site");
  const site = freshness === "recent" ? await recentSite(db, id, refresh) : await getSite(db, id);
  if (!site) throw notFound("site");
  return site;
}

const unauthorized = () =>
  new ApiError(401, "unauthorized", "A valid moderator key for this site is required.");

/**
 * The site a moderator key opens, with the key: none or a bad or revoked key is 401; a valid key
 * of another site is 403 (credentials, but not for this).
 */
export async function siteForModerator(
  db: Db,
  siteId: string,
  secret: string | undefined,
): Promise<{ site: SiteRow; key: KeyRow }> {
  if (!secret) throw unauthorized();
  const check = await verifyModeratorKey(db, siteId, secret);
  if (!check.ok) {
    if (check.reason === "other-site") {
      throw new ApiError(403, "forbidden", "This moderator key belongs to another site.");
    }
    throw unauthorized();
  }
  const site = await getSite(db, siteId);
  if (!site) throw notFound("site");
  return { site, key: check.key };
}
