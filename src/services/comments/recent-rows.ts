import type { Db } from "../../db/client";
import { getCommentsVersion, getCountsVersion, type SiteRow } from "../../db/sites";
import { getThread } from "../../db/threads";
import type { ViewServices } from "../request";

/*
 * The version rows the cached public views are keyed by, as the isolate read them a moment ago
 * (services/recent-reads.ts), each under one key whichever view asks for it.
 */

/** A page's thread row: thread views, thread.html and the page's feed. */
export const recentThread = (db: Db, site: SiteRow, key: string, { recent }: ViewServices) =>
  recent(`thread\n${site.id}\n${key}`, () => getThread(db, site.id, key));

/** The site's counts version: sets of counts. */
export const recentCountsVersion = (db: Db, site: SiteRow, { recent }: ViewServices) =>
  recent(`counts\n${site.id}`, () => getCountsVersion(db, site.id));

/** The site's comments version: its feed and its recent comments. */
export const recentCommentsVersion = (db: Db, site: SiteRow, { recent }: ViewServices) =>
  recent(`comments\n${site.id}`, () => getCommentsVersion(db, site.id));
