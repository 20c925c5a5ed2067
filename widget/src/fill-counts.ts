import { COUNT, plural } from "./i18n";

/**
 * Count mode: gives every `[data-comments-count]` element its page's "N Responses", asking the
 * API once per 100 pages. `known` holds counts the caller already has (the article's own thread),
 * which need no request. `strings` settles once the locale is loaded; requests do not wait for it.
 */
export function fillCounts(
  api: string,
  known: Record<string, number> = {},
  strings?: Promise<void>,
): void {
  const want = new Map<string, Element[]>();
  for (const e of document.querySelectorAll("[data-comments-count]")) {
    const u = new URL(e.getAttribute("href") ?? "", location.href);
    u.hash = "";
    const page = e.getAttribute("data-page") || (e.hasAttribute("href") && u.href);
    if (!page) continue;
    if (page in known) e.textContent = plural(COUNT, known[page] as number);
    else want.set(page, [...(want.get(page) ?? []), e]);
  }
  const pages = [...want.keys()];
  for (let i = 0; i < pages.length; i += 100) {
    const chunk = pages.slice(i, i + 100);
    fetch(`${api}/counts?${new URLSearchParams(chunk.map((p) => ["page", p]))}`)
      .then((r) => r.json())
      .then(async (j) => {
        await strings;
        for (const p of chunk)
          for (const e of want.get(p) ?? [])
            if (j.counts[p] >= 0) e.textContent = plural(COUNT, j.counts[p]);
      })
      .catch(() => {});
  }
}
