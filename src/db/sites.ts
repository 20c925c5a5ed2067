import { and, asc, eq, gt, isNull, sql } from "drizzle-orm";
import type { Db } from "./client";
import { moderatorKeys, sites } from "./schema";

export type SiteRow = typeof sites.$inferSelect;
export type NewSiteRow = typeof sites.$inferInsert;
export type KeyRow = typeof moderatorKeys.$inferSelect;

export async function getSite(db: Db, id: string): Promise<SiteRow | undefined> {
  return db.select().from(sites).where(eq(sites.id, id)).get();
}

/** What the edge cache keys a site's counts on (services/edge-cache.ts); read fresh, one row. */
export async function getCountsVersion(
  db: Db,
  id: string,
): Promise<{ countsVersion: number; createdAt: string } | undefined> {
  return db
    .select({ countsVersion: sites.countsVersion, createdAt: sites.createdAt })
    .from(sites)
    .where(eq(sites.id, id))
    .get();
}

/**
 * What the edge cache keys a site's feed and recent comments on (services/comments/view-cache.ts);
 * read fresh, one row.
 */
export async function getCommentsVersion(
  db: Db,
  id: string,
): Promise<{ commentsVersion: number; createdAt: string } | undefined> {
  return db
    .select({ commentsVersion: sites.commentsVersion, createdAt: sites.createdAt })
    .from(sites)
    .where(eq(sites.id, id))
    .get();
}

/** A page of a list: `limit` rows after the row with id `after`, by id. */
export interface IdPage {
  limit: number;
  after: string;
}

/** Every site by id, or one page of them (the console's list). */
export async function listSites(db: Db, page?: IdPage): Promise<SiteRow[]> {
  const query = db
    .select()
    .from(sites)
    .where(page && gt(sites.id, page.after))
    .orderBy(asc(sites.id));
  return page ? query.limit(page.limit).all() : query.all();
}

/** Inserts a site with its first key, all or nothing; false when the id is taken. */
export async function insertSite(db: Db, site: NewSiteRow, key: KeyRow): Promise<boolean> {
  try {
    await db.batch([db.insert(sites).values(site), db.insert(moderatorKeys).values(key)]);
    return true;
  } catch (error) {
    if (String(error).includes("UNIQUE constraint failed: sites.id")) return false;
    throw error;
  }
}

/** A `webhookSecret` in the patch is used only when the site has none yet: secrets stay put. */
export async function updateSite(
  db: Db,
  id: string,
  patch: Partial<NewSiteRow>,
): Promise<SiteRow | undefined> {
  const set = patch.webhookSecret
    ? { ...patch, webhookSecret: sql`coalesce(${sites.webhookSecret}, ${patch.webhookSecret})` }
    : patch;
  return db.update(sites).set(set).where(eq(sites.id, id)).returning().get();
}

export async function deleteSite(db: Db, id: string): Promise<boolean> {
  const deleted = await db.delete(sites).where(eq(sites.id, id)).returning({ id: sites.id });
  return deleted.length > 0;
}

export async function insertKey(db: Db, key: KeyRow): Promise<void> {
  await db.insert(moderatorKeys).values(key);
}

/** A site's keys, oldest first (ids sort by creation), or one page of them (the console's). */
export async function listKeys(db: Db, siteId: string, page?: IdPage): Promise<KeyRow[]> {
  const query = db
    .select()
    .from(moderatorKeys)
    .where(and(eq(moderatorKeys.siteId, siteId), page && gt(moderatorKeys.id, page.after)))
    .orderBy(asc(moderatorKeys.id));
  return page ? query.limit(page.limit).all() : query.all();
}

export async function getKey(db: Db, id: string): Promise<KeyRow | undefined> {
  return db.select().from(moderatorKeys).where(eq(moderatorKeys.id, id)).get();
}

export async function revokeKey(
  db: Db,
  siteId: string,
  keyId: string,
  at: string,
): Promise<KeyRow | undefined> {
  return db
    .update(moderatorKeys)
    .set({ revokedAt: at })
    .where(
      and(
        eq(moderatorKeys.id, keyId),
        eq(moderatorKeys.siteId, siteId),
        isNull(moderatorKeys.revokedAt),
      ),
    )
    .returning()
    .get();
}
