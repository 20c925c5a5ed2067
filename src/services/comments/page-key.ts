// Matches "http:" / "https:" at the start, any case. Other schemes (ftp:, urn:, mailto:) and
// relative paths are ids the site owner chose, so they are never reshaped.
const HTTP_SCHEME = /^https?:/i;

// Click-tracking parameters added by newsletters and ad networks: they label the visit, not the
// page, so keeping them would split one article into one thread per campaign.
const TRACKING_PARAMS = new Set(["fbclid", "gclid", "mc_cid", "mc_eid"]);

function isTrackingParam(key: string): boolean {
  const lower = key.toLowerCase();
  return lower.startsWith("utm_") || TRACKING_PARAMS.has(lower);
}

// Decodes only to compare keys; a malformed escape such as "%zz" must not throw, so it falls back
// to the raw text.
function decodeQueryKey(segment: string): string {
  const eq = segment.indexOf("=");
  const raw = (eq === -1 ? segment : segment.slice(0, eq)).replaceAll("+", " ");
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

// Works on the raw "name=value" segments instead of re-serialising through URLSearchParams: that
// would rewrite kept values (%20 -> +, "a" -> "a=", "~" -> "%7E") and so change keys that are
// already stored. The cost is that "?q=a+b" and "?q=a%20b" stay two keys; both parse fine.
function normaliseQuery(search: string): string {
  const kept = search
    .split("&")
    .filter((segment) => segment !== "")
    .map((segment) => ({ segment, key: decodeQueryKey(segment) }))
    .filter(({ key }) => !isTrackingParam(key));
  // Array#sort is stable, so repeated keys keep their relative order: "?a=1&a=2" and "?a=2&a=1"
  // can mean different things to the site. Code-unit order, not localeCompare, so the key does
  // not depend on the runtime's locale data.
  kept.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return kept.map(({ segment }) => segment).join("&");
}

function normalisePath(pathname: string): string {
  // "/a/index.html" and "/a/" are the same page on every static host.
  const withoutIndex = pathname.replace(/\/index\.html$/i, "/");
  // Path case is kept: servers may treat "/Article" and "/article" as different pages.
  const trimmed = withoutIndex.replace(/\/+$/, "");
  return trimmed === "" ? "/" : trimmed;
}

/** Canonical key for a page: two spellings of one page give the same key. Input is already validated (non-empty, no control chars, <= 2048 chars). */
export function pageKey(page: string): string {
  const trimmed = page.trim();
  if (!HTTP_SCHEME.test(trimmed)) return trimmed;

  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    // "http://" with no host is not a page URL; treat it like any other explicit id.
    return trimmed;
  }

  // origin is scheme + host + non-default port: lower-cased, punycoded, and without user:pass@,
  // which identify the reader, not the page. The fragment is dropped by never reading url.hash.
  const query = normaliseQuery(url.search.slice(1));
  return `${url.origin}${normalisePath(url.pathname)}${query === "" ? "" : `?${query}`}`;
}
