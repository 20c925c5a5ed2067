import { LIMITS } from "../../src/shared/limits";
import { SORTS, type Sort } from "../../src/shared/vocabulary";
import { listen } from "./actions";
import { request, setApi } from "./api";
import { showLinked } from "./browse";
import { challenge } from "./challenge";
import { ctx } from "./ctx";
import { attrs, button, h } from "./dom";
import { postForm } from "./form";
import { lang, loadLocale, t } from "./i18n";
import { showPending } from "./own";
import { heading } from "./render";
import { initStore } from "./store";
import { showPage, threadPath } from "./thread";

/*
 * widget.js: reads the embed's data-* attributes, mounts one Shadow DOM section on the target
 * and draws the thread from one API request; actions.ts takes it from there. Nothing here may
 * throw into the host page.
 */

// Captured now: document.currentScript is only set while the script first runs (and not at all
// when a loader runs it some other way: then the tag is looked up).
const script = (document.currentScript ??
  document.querySelector("script[data-site][src*='/widget.js']")) as HTMLScriptElement | null;

const $ = (selector: string) => document.querySelector(selector);

async function mount(script: HTMLScriptElement, site: string) {
  const options = script.dataset;
  const base = new URL(script.src).origin;
  let host = $(options.target || "#comments");
  if (!host) {
    host = h("div");
    script.after(host);
  }
  const state = (value: string) => attrs(host, { "data-parley": "", "data-parley-state": value });
  state("loading");
  ctx._page =
    options.page ||
    ($("link[rel=canonical]") as HTMLLinkElement)?.href ||
    location.origin + location.pathname;
  ctx._title = (
    options.title ||
    ($("meta[property='og:title']") as HTMLMetaElement)?.content ||
    document.title
  ).slice(0, LIMITS.title);
  // The first sort is the default.
  ctx._sort = SORTS.includes(options.sort as Sort) ? (options.sort as Sort) : SORTS[0];
  const tag = options.lang || document.documentElement.lang;
  setApi(base, site);
  initStore(site);

  // The locale file is a static asset, fetched alongside the one API request of first paint.
  const strings = loadLocale(tag, `${base}/i18n`);
  const loaded = Promise.all([request(threadPath()), strings]);
  // The rest of the setup overlaps those requests: the date formatter first, the slowest part.
  ctx._relativeTime = new Intl.RelativeTimeFormat(lang);
  const root = host.attachShadow({ mode: "open" });
  // One constructed stylesheet: it applies under a strict CSP (no 'unsafe-inline').
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(__PARLEY_CSS__);
  root.adoptedStyleSheets = [sheet];
  const section = h("section", {
    "aria-labelledby": "heading",
    class: options.theme,
    lang,
    // The direction of the section's own strings; Arabic is the one right-to-left locale so far.
    dir: lang === "ar" ? "rtl" : null,
  });
  root.append(section);
  try {
    const [thread] = await loaded;
    ctx._count = thread.thread.count;
    ctx._locked = thread.thread.locked;
    ctx._issuedAt = thread.issuedAt;
    ctx._heading = h("h2", { id: "heading", tabindex: -1 });
    ctx._list = h("ol");
    ctx._loadMore = button("load-more", t.loadMore);
    // role=status is a polite live region.
    ctx._status = h("p", { role: "status" });
    ctx._form = postForm();
    ctx._home = h("div", {}, ctx._locked ? h("p", {}, t.closed) : ctx._form);
    heading();
    showPage(thread);
    showPending();
    section.append(
      ctx._heading,
      h(
        "div",
        { role: "group", "aria-label": t.sort.label, class: "sort" },
        ...SORTS.map((sort) =>
          button("sort", t.sort[sort], { "data-sort": sort, "aria-pressed": sort === ctx._sort }),
        ),
      ),
      ctx._list,
      ctx._loadMore,
      ctx._status,
      ctx._home,
    );
    if (!ctx._locked) challenge(thread.site.turnstileSiteKey, ctx._form);
    state("ready");
  } catch {
    // In the page's language, once its strings have arrived (the thread may fail first).
    await strings.catch(() => {});
    section.replaceChildren(t.loadFailed ?? "");
    return state("error");
  }
  listen(root);
  // Permalinks (#comment-<id>): scrolled to now, and whenever the hash changes.
  const linked = (first?: boolean) => showLinked(first).catch(() => {});
  addEventListener("hashchange", () => linked());
  linked(true);
  // Count links on the article page: count.js fills them, as on an index page, so the widget
  // does not carry the same code; pages without such links never fetch it.
  if ($("[data-comments-count]"))
    document.head.append(
      h("script", { src: `${base}/count.js`, "data-site": site, "data-lang": tag }),
    );
}

const site = script?.dataset.site;
// One mount per page, however many copies of the script run.
if (script && site && !window.parley) {
  window.parley = true;
  // Never an exception into the host page.
  const go = () => mount(script, site).catch(() => {});
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", go);
  else go();
}
