import { excerpt } from "../../src/shared/body";
import type { PublicComment } from "../../src/shared/vocabulary";
import { format } from "./i18n";

/*
 * recent.js: "Recent comments" lists on any page of a site. Fills every
 * `[data-comments-recent]` element with the site's newest comments, each a link to where it is
 * read: "Author on “Title”: excerpt". Like count.js, kept apart from widget.js so a page that
 * only lists comments loads a kilobyte or so. Everything from the API goes in as text
 * (textContent through `append`), never as HTML, and only the server's `url`, which it gives
 * only for pages on the site's own origins, becomes a link.
 */

type RecentComment = PublicComment & { title: string; url: string | null };

/** Characters of each comment's text in the list. */
const EXCERPT = 100;

const script = (document.currentScript ??
  [...document.querySelectorAll<HTMLScriptElement>("script[data-site]")]
    .filter((tag) => /recent\.js([?#]|$)/.test(tag.src))
    .pop()) as HTMLScriptElement | undefined;

/** One comment as a list item: a link when the server gave one, else its words alone. */
function item(comment: RecentComment, phrase: string): HTMLLIElement {
  const line = format(phrase, {
    author: comment.author?.name,
    title: comment.title,
    excerpt: excerpt(comment.body ?? [], EXCERPT),
  });
  const li = document.createElement("li");
  // The server links only http(s) pages of the site; checked again here, as render.ts does.
  if (comment.url && /^https?:/.test(comment.url)) {
    const link = document.createElement("a");
    link.href = comment.url;
    link.append(line);
    li.append(link);
  } else li.append(line);
  return li;
}

const go = () => {
  try {
    const site = script?.dataset.site;
    if (!script || !site) return;
    const api = `${new URL(script.src).origin}/api/v1/sites/${encodeURIComponent(site)}/recent`;
    const tag = script.dataset.lang || document.documentElement.lang;
    const phrase =
      __PARLEY_RECENT__[tag.toLowerCase().split(/[-_]/)[0] as string] ?? __PARLEY_RECENT__.en;
    /** One request per limit asked for, however many lists ask for it. */
    const asked: Record<string, Promise<{ comments: RecentComment[] }>> = {};
    for (const element of document.querySelectorAll("[data-comments-recent]")) {
      const limit = element.getAttribute("data-limit");
      const url = limit ? `${api}?limit=${encodeURIComponent(limit)}` : api;
      asked[url] ??= fetch(url).then((response) => response.json());
      asked[url]
        .then(({ comments }) => {
          // A list of the page's own is filled; any other element gets a list inside.
          const list = /^[OU]L$/.test(element.tagName) ? element : document.createElement("ul");
          list.replaceChildren(...comments.map((comment) => item(comment, phrase)));
          if (list !== element) element.replaceChildren(list);
        })
        // An unknown site or a refused limit leaves the page's own content; never an error.
        .catch(() => {});
    }
  } catch {
    // Never break the host page.
  }
};
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", go);
else go();
