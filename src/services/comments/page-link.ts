import type { SiteRow } from "../../db/sites";
import { originAllowed } from "../sites/sites";

/*
 * Where Parley links a page from outside it (feeds, "Recent comments", mail): only to the site's
 * own pages.
 */

/**
 * The page as a link, when it is a web address on one of the site's origins; else null. A page
 * is whatever the first commenter named (a URL anywhere, or an id the site owner chose), and a
 * feed or a "Recent comments" list is no place to link other sites from.
 */
export function pageLink(site: Pick<SiteRow, "origins">, page: string): string | null {
  if (!/^https?:/.test(page)) return null;
  try {
    return originAllowed(site, new URL(page).origin) ? page : null;
  } catch {
    return null;
  }
}

/** Where a comment is read: `<page>#comment-<id>`, on a page pageLink links. */
export function commentUrl(site: Pick<SiteRow, "origins">, page: string, id: string) {
  const link = pageLink(site, page);
  return link && `${link}#comment-${id}`;
}
