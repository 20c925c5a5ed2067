import { plural } from "./i18n";

/** The page a count element counts: its data-page, else its href made absolute, no fragment. */
function pageOf(e: Element): string | null | undefined {
  const href = e.getAttribute("href");
  return e.getAttribute("data-page") || (href && new URL(href, location.href).href.split("#")[0]);
}

/**
 * Count mode: gives every `[data-comments-count]` element its page's "N Responses", asking the
 * API once per 100 pages (its limit). `strings` resolves once the strings are in place (count.js
 * falls back to English, so it never rejects); the requests do not wait for it.
 */
export function fillCounts(api: string, strings?: Promise<void>): void {
  const els = [...document.querySelectorAll("[data-comments-count]")];
  const pages = [...new Set(els.map(pageOf))].filter((p) => p) as string[];
  for (let i = 0; i < pages.length; i += 100)
    fetch(`${api}/counts?${new URLSearchParams(pages.slice(i, i + 100).map((p) => ["page", p]))}`)
      .then((r) => r.json())
      .then(async ({ counts }) => {
        await strings;
        for (const e of els) {
          const n = counts[pageOf(e) as string];
          if (n >= 0) e.textContent = plural(n);
        }
      })
      .catch(() => {});
}
