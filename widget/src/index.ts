import shared from "parley:shared";
import { req, setApi } from "./api";
import { ctx } from "./ctx";
import { attrs, button, h } from "./dom";
import { postForm } from "./form";
import { lang, loadLocale, primary, t } from "./i18n";
import { heading } from "./render";
import { initStore } from "./store";
import { showPage, threadPath } from "./thread";

/*
 * widget.js: reads the embed's data-* attributes, mounts one Shadow DOM section on the target
 * and draws the thread from one API request. What readers do with it is widget-ui.js, fetched
 * on their first interaction. Nothing here may throw into the host page.
 */

const SORTS = ["oldest", "newest", "top"];

// Captured now: document.currentScript is only set while the script first runs.
const script = (document.currentScript ??
  [...document.querySelectorAll<HTMLScriptElement>("script[data-site]")]
    .filter((s) => /widget\.js([?#]|$)/.test(s.src))
    .pop()) as HTMLScriptElement | undefined;

const $ = (sel: string) => document.querySelector(sel);

async function mount(s: HTMLScriptElement, site: string, P: Parley) {
  const ds = s.dataset;
  const base = new URL(s.src).origin;
  let host = $(ds.target || "#comments");
  if (!host) {
    host = h("div");
    s.after(host);
  }
  if (host.hasAttribute("data-parley")) return;
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
  ctx.sort = SORTS.includes(`${ds.sort}`) ? (ds.sort as string) : "oldest";
  const tag = ds.lang || document.documentElement.lang;
  setApi(base, site);
  initStore(site);

  // The locale file is a static asset, fetched alongside the one API request of first paint.
  const loaded = Promise.all([
    req(threadPath()).catch(() => 0),
    loadLocale(tag, base, __PARLEY_EN__),
  ]);
  // The rest of the setup overlaps those requests.
  const root = host.attachShadow({ mode: "open" });
  // One constructed stylesheet: it applies under a strict CSP (no 'unsafe-inline').
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(__PARLEY_CSS__);
  root.adoptedStyleSheets = [sheet];
  ctx.root = root;
  // The first use of Intl loads ICU data (tens of milliseconds on a slow device): do it now.
  new Intl.DateTimeFormat(lang).format();
  const [j] = await loaded;
  const section = h("section", {
    "aria-labelledby": "ph",
    class: ds.theme,
    lang,
    dir: /^(ar|he|fa|ur)$/.test(primary(tag)) && "rtl",
  });
  root.append(section);
  try {
    ctx.count = j.thread.count;
    ctx.locked = j.thread.locked;
    ctx.issuedAt = j.issuedAt;
    ctx.h2 = h("h2", { id: "ph", tabindex: -1 });
    ctx.list = h("ol");
    ctx.more = button("more", t[L.more]);
    ctx.status = h("p", { role: "status", "aria-live": "polite" });
    ctx.form = postForm();
    ctx.home = h("div", {}, ctx.locked ? h("p", {}, t[L.closed]) : ctx.form);
    heading();
    showPage(j);
    section.append(
      ctx.h2,
      h(
        "div",
        { role: "group", "aria-label": t[L.sort], class: "sort" },
        ...[L.oldest, L.newest, L.top].map((k, i) =>
          button("sort", t[k], { "data-s": SORTS[i], "aria-pressed": `${SORTS[i] === ctx.sort}` }),
        ),
      ),
      ctx.list,
      ctx.more,
      ctx.status,
      ctx.home,
    );
    state("ready");
  } catch {
    section.replaceChildren(`${t[L.failed]}`);
    return state("error");
  }

  // What widget-ui.js uses of this file's modules, listed by the build from its imports.
  Object.assign(P, shared());
  // import(), not a <script> element: it is no Trusted Types sink, so it works on pages that
  // enforce them. A failed load is not kept: the next interaction tries again.
  let ui: Promise<unknown> | undefined;
  const load = () =>
    (ui ??= import(`${base}/widget-ui.js`).catch((e) => {
      ui = undefined;
      throw e;
    }));
  // The target is read now: once dispatch ends, an event from a shadow tree has none.
  const on = (e: Event) => {
    const target = e.target as Element;
    load().then(
      () => P.ui?.on(e.type, target),
      () => {
        ctx.status.textContent = `${t[L.offline]}`;
      },
    );
  };
  root.addEventListener("click", (e) => (e.target as Element).closest("[data-a]") && on(e));
  root.addEventListener("submit", (e) => {
    e.preventDefault();
    on(e);
  });
  // A focus or a press announces an interaction: fetch the code before the click needs it.
  for (const type of ["focusin", "pointerdown"])
    root.addEventListener(type, () => load().catch(() => {}));
  // Permalinks (#comment-<id>): widget-ui.js scrolls to them, now and whenever the hash changes.
  const linked = (first?: boolean) =>
    /^#comment-/.test(location.hash) &&
    load().then(
      () => P.ui?.linked(first),
      () => {},
    );
  addEventListener("hashchange", () => linked());
  linked(true);
  // Count links on an article page: filled by count.js's code, which widget-ui.js carries.
  if ($("[data-comments-count]"))
    load().then(
      () => P.ui?.counts(),
      () => {},
    );
}

try {
  const site = script?.dataset.site;
  // One mount per page, however many copies of the script run.
  if (script && site && !window.parley) {
    const P: Parley = {};
    window.parley = P;
    const go = () => mount(script, site, P).catch(() => {});
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", go);
    else go();
  }
} catch {
  // Never break the host page.
}
