import type { Db } from "../../db/client";
import {
  deleteSite,
  getSite,
  insertKey,
  insertSite,
  listKeys,
  listSites,
  revokeKey,
  type SiteRow,
  updateSite,
} from "../../db/sites";
import { ApiError, notFound } from "../../errors";
import { nextIdCursor, splitPage } from "../../platform/paging";
import { type Actor, recordAction } from "../moderation/audit";
import { newModeratorKey, toKey } from "./keys";
import { forgetSite } from "./site-memo";
import { newSiteRow, type SiteInput, type SitePatch, sitePatchColumns, toSite } from "./sites";

/*
 * What the operator does with sites and their moderator keys. Every change is audited on the
 * site, under the actor "operator"; secrets are shown once, when made, and never again.
 */

export async function createSite(db: Db, input: SiteInput, actor: Actor) {
  const at = actor.now.toISOString();
  const key = await newModeratorKey(input.id, "default", at);
  if (!(await insertSite(db, newSiteRow(input, at), key.row))) {
    throw new ApiError(409, "site_exists", "A site with this id already exists.");
  }
  const site = await siteById(db, input.id);
  await recordAction(db, site, actor, "create-site", site.id, { key: key.row.id });
  return { site: toSite(site), key: toKey(key.row), secret: key.secret };
}

export async function allSites(db: Db) {
  return (await listSites(db)).map(toSite);
}

/** How many sites or keys a console page lists: its reads stay bounded however many there are. */
const LIST_PAGE = 50;

/** A page of the sites, by id after `cursor` (the last one shown), and the next page's cursor. */
export async function sitesPage(db: Db, cursor = "") {
  const split = splitPage(await listSites(db, { limit: LIST_PAGE + 1, after: cursor }), LIST_PAGE);
  return { sites: split.page.map(toSite), nextCursor: nextIdCursor(split) };
}

/** A page of a site's keys, oldest first after `cursor`, and the next page's cursor. */
export async function keysPage(db: Db, siteId: string, cursor = "") {
  const page = { limit: LIST_PAGE + 1, after: cursor };
  const split = splitPage(await listKeys(db, siteId, page), LIST_PAGE);
  return { keys: split.page.map(toKey), nextCursor: nextIdCursor(split) };
}

/** The site, as stored; 404 for an unknown id. */
export async function siteById(db: Db, id: string): Promise<SiteRow> {
  const site = await getSite(db, id);
  if (!site) throw notFound("site");
  return site;
}

export async function changeSite(db: Db, id: string, changes: SitePatch, actor: Actor) {
  const site = await updateSite(db, id, sitePatchColumns(changes, actor.now.toISOString()));
  if (!site) throw notFound("site");
  forgetSite(site.id);
  // The audit names the settings changed, never their values (secrets among them).
  await recordAction(db, site, actor, "update-site", site.id, { fields: Object.keys(changes) });
  return toSite(site);
}

/** Deletes a site with all its threads, comments and keys. */
export async function removeSite(db: Db, id: string): Promise<void> {
  forgetSite(id);
  if (!(await deleteSite(db, id))) throw notFound("site");
}

export async function issueKey(db: Db, siteId: string, label: string, actor: Actor) {
  await siteById(db, siteId);
  const key = await newModeratorKey(siteId, label, actor.now.toISOString());
  await insertKey(db, key.row);
  await recordAction(db, { id: siteId }, actor, "issue-key", key.row.id, { label });
  return { key: toKey(key.row), secret: key.secret };
}

export async function keysOf(db: Db, siteId: string) {
  await siteById(db, siteId);
  return (await listKeys(db, siteId)).map(toKey);
}

/** Revokes a key; it stops working at once. 404 names what is unknown: the site or the key. */
export async function revokeModeratorKey(db: Db, siteId: string, keyId: string, actor: Actor) {
  const revoked = await revokeKey(db, siteId, keyId, actor.now.toISOString());
  if (!revoked) {
    await siteById(db, siteId);
    throw notFound("key");
  }
  await recordAction(db, { id: siteId }, actor, "revoke-key", keyId);
}
