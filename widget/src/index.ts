import { listen } from "./actions";
import { req, setApi } from "./api";
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

const SORTS = ["oldest", "newest", "top"];

// Captured now: document.currentScript is only set while the script first runs (and not at all
// when a loader runs it some other way: then the tag is looked up).
const script = (document.currentScript ??
  document.querySelector("script[data-site][src*='/widget.js']")) as HTMLScriptElement | null;

const $ = (sel: string) => document.querySelector(sel);

async function mount(s: HTMLScriptElement, site: string) {
  const ds = s.dataset;
  const base = new URL(s.src).origin;
  let host = $(ds.target || "#comments");
  if (!host) {
    host = h("div");
    s.after(host);
  }
  const state = (v: string) => attrs(host, { "data-parley": "", "data-parley-state": v });
  state("loading");
  ctx.page =
    ds.page ||
    ($("link[rel=canonical]") as HTMLLinkElement)?.href ||
    location.origin + location.pathname;
  ctx.title = (
    ds.title ||
    ($("meta[property='og:title']") as HTMLMetaElement)?.content ||
    document.title
  ).slice(0, 300);
  ctx.sort = SORTS.includes(ds.sort as string) ? (ds.sort as string) : "oldest";
  const tag = ds.lang || document.documentElement.lang;
  setApi(base, site);
  initStore(site);

  // The locale file is a static asset, fetched alongside the one API request of first paint.
  const strings = loadLocale(tag, `${base}/i18n`);
  const loaded = Promise.all([req(threadPath()), strings]);
  // The rest of the setup overlaps those requests: the date formatter first, the slowest part.
  ctx.rtf = new Intl.RelativeTimeFormat(lang);
  const root = host.attachShadow({ mode: "open" });
  // One constructed stylesheet: it applies under a strict CSP (no 'unsafe-inline').
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(__PARLEY_CSS__);
  root.adoptedStyleSheets = [sheet];
  const section = h("section", {
    "aria-labelledby": "ph",
    class: ds.theme,
    lang,
    // The direction of the section's own strings; Arabic is the one right-to-left locale so far.
    dir: lang === "ar" ? "rtl" : null,
  });
  root.append(section);
  try {
    const [j] = await loaded;
    ctx.count = j.thread.count;
    ctx.locked = j.thread.locked;
    ctx.issuedAt = j.issuedAt;
    ctx.h2 = h("h2", { id: "ph", tabindex: -1 });
    ctx.list = h("ol");
    ctx.more = button("more", t[L.more]);
    // role=status is a polite live region.
    ctx.status = h("p", { role: "status" });
    ctx.form = postForm();
    ctx.home = h("div", {}, ctx.locked ? h("p", {}, t[L.closed]) : ctx.form);
    heading();
    showPage(j);
    showPending();
    section.append(
      ctx.h2,
      h(
        "div",
        { role: "group", "aria-label": t[L.sort], class: "sort" },
        // The strings of the three sorts follow each other, as SORTS does.
        ...SORTS.map((s, i) =>
          button("sort", t[L.oldest + i], { "data-s": s, "aria-pressed": s === ctx.sort }),
        ),
      ),
      ctx.list,
      ctx.more,
      ctx.status,
      ctx.home,
    );
    if (!ctx.locked) challenge(j.site.turnstileSiteKey, ctx.form);
    state("ready");
  } catch {
    // In the page's language, once its strings have arrived (the thread may fail first).
    await strings.catch(() => {});
    section.replaceChildren(t[L.failed] ?? "");
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
