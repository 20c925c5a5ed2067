import { LIMITS } from "../../src/shared/limits";
import { plural, t } from "./i18n";

/** The page a count element counts: its data-page, else its href made absolute, no fragment. */
function pageOf(element: Element): string | null | undefined {
  const href = element.getAttribute("href");
  return (
    element.getAttribute("data-page") || (href && new URL(href, location.href).href.split("#")[0])
  );
}

/**
 * Count mode: gives every `[data-comments-count]` element its page's "N Responses", asking the
 * API once per 100 pages (its limit). `strings` resolves once the strings are in place (count.js
 * falls back to English, so it never rejects); the requests do not wait for it.
 */
export function fillCounts(api: string, strings?: Promise<void>): void {
  const elements = [...document.querySelectorAll("[data-comments-count]")];
  const pages = [...new Set(elements.map(pageOf))].filter((page) => page) as string[];
  const batch = LIMITS.countsPages;
  for (let i = 0; i < pages.length; i += batch)
    fetch(
      `${api}/counts?${new URLSearchParams(pages.slice(i, i + batch).map((page) => ["page", page]))}`,
    )
      .then((response) => response.json())
      .then(async ({ counts }) => {
        await strings;
        for (const element of elements) {
          const n = counts[pageOf(element) as string];
          if (n >= 0) element.textContent = plural(t.count, n);
        }
      })
      .catch(() => {});
}
