import type { Db } from "../../db/client";
import type { SiteRow } from "../../db/sites";
import { countsForPages } from "../../db/threads";
import { cachedView } from "../../platform/edge-cache";
import type { ViewServices } from "../request";
import { pageKey } from "./page-key";
import { recentCountsVersion } from "./recent-rows";
import { COUNTS_CACHE_MAX_PAGES, countsEntry } from "./view-cache";

/**
 * Comment counts for up to 100 pages, keyed exactly as each page was spelled (two spellings of
 * one page are one count, read once). From the edge cache when it holds the site's current
 * counts version; the full 100 pages skip it (services/comments/view-cache.ts says why).
 */
export async function countsOf(db: Db, site: SiteRow, pages: string[], outside: ViewServices) {
  const keys = pages.map(pageKey);
  const distinct = [...new Set(keys)];
  const version =
    distinct.length <= COUNTS_CACHE_MAX_PAGES
      ? await recentCountsVersion(db, site, outside)
      : undefined;
  const entry = version && (await countsEntry(site.id, version, distinct));
  const { view, cache } = await cachedView(
    entry,
    async () => Object.fromEntries(await countsForPages(db, site.id, distinct)),
    outside.waitUntil,
  );
  const counts = Object.fromEntries(pages.map((p, i) => [p, view[keys[i] ?? ""] ?? 0]));
  return { counts, cache };
}
