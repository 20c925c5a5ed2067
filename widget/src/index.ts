import { LIMITS } from "../../src/shared/limits";
import { SORTS, type Sort, type ThreadView } from "../../src/shared/vocabulary";
import { listen } from "./actions";
import { live, request, setApi } from "./api";
import { showLinked } from "./browse";
import { challenge } from "./challenge";
import { ctx } from "./ctx";
import { attrs, button, h } from "./dom";
import { postForm } from "./form";
import { lang, loadLocale, t } from "./i18n";
import { showPending } from "./own";
import { heading } from "./render";
import { initStore, own } from "./store";
import { showPage, threadPath } from "./thread";

/*
 * widget.js: mounts one Shadow DOM section on an element and draws the thread from one API
 * request; actions.ts takes it from there. Three ways in: the script tag's data-* attributes
 * (mounted at once), the <parley-comments> element, and window.Parley.mount/unmount for
 * single-page apps. One section at a time: the modules share one `ctx`, so a mount first
 * unmounts the one before. Nothing here may throw into the host page.
 */

/** What a mount is given: the embed's data-* attributes, or the element's attributes. */
export type Options = Partial<
  Record<"site" | "page" | "title" | "lang" | "theme" | "sort", string | null>
>;

// Captured now: document.currentScript is only set while the script first runs (and not at all
// when a loader runs it some other way: then the tag is looked up).
const script = (document.currentScript ??
  document.querySelector("script[data-site][src*='/widget.js']")) as HTMLScriptElement | null;

const $ = (selector: string) => document.querySelector(selector);

/** The mounted section's host, and what ends its listeners and pending requests. */
let mounted: Element | undefined;
let controller: AbortController;

/**
 * Empties the host (its shadow root, its data-parley attributes) and ends everything the mount
 * started: its listeners go with the AbortController's signal, and its requests are cancelled
 * and never answered (api.ts `live`). The next mount sets every piece of state afresh.
 */
function unmount(host: Element): void {
  if (host !== mounted) return;
  controller.abort();
  mounted = undefined;
  host.shadowRoot?.replaceChildren();
  host.removeAttribute("data-parley");
  host.removeAttribute("data-parley-state");
}

/** Draws the section of `options.page` in `host`, the section mounted before unmounted first. */
function mount(host: Element, options: Options): void {
  if (mounted) unmount(mounted);
  mounted = host;
  controller = new AbortController();
  // Never an exception into the host page.
  draw(host, options, controller.signal).catch(() => {});
}

async function draw(host: Element, options: Options, signal: AbortSignal) {
  const site = options.site as string;
  const base = new URL((script as HTMLScriptElement).src).origin;
  const state = (value: string) => attrs(host, { "data-parley": "", "data-parley-state": value });
  state("loading");
  ctx._items = new Map();
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
  setApi(base, site, signal);
  initStore(site);

  // A section the site's server (or the edge Worker) put into the host from thread.html, in
  // view: the widget's own replaces it only when that moves nothing the reader sees (giveWay).
  // A host remounted keeps its shadow root, which hides such a section already.
  const server = (!host.shadowRoot && host.querySelector("[data-parley-thread]")) as
    | HTMLElement
    | false;
  // The locale file is a static asset, fetched alongside the one API request of first paint
  // (none when the server's section carries the thread).
  // Both gated (api.ts `live`): nothing below runs for a mount that is gone.
  const strings = live(loadLocale(tag, `${base}/i18n`));
  const loaded = Promise.all([server ? takeOver(server) : request(threadPath()), strings]);
  // The rest of the setup overlaps those requests: the date formatter first, the slowest part.
  ctx._relativeTime = new Intl.RelativeTimeFormat(lang);
  // One constructed stylesheet: it applies under a strict CSP (no 'unsafe-inline').
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(__PARLEY_CSS__);
  const section = h("section", {
    "aria-labelledby": "heading",
    class: options.theme,
    lang,
    // The direction of the section's own strings; Arabic is the one right-to-left locale so far.
    dir: lang === "ar" ? "rtl" : null,
  });
  const show = () => {
    // A shadow root cannot be taken off again: a remount of the same host reuses it. Attaching
    // one hides the host's own children (the server's section).
    const root = host.shadowRoot ?? host.attachShadow({ mode: "open" });
    root.adoptedStyleSheets = [sheet];
    root.append(section);
    return root;
  };
  // Without a server's section, the widget's shows at once, loading.
  if (!server) show();
  let thread: ThreadView;
  try {
    [thread] = await loaded;
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
  } catch {
    // In the page's language, once its strings have arrived (the thread may fail first). A
    // server's section stays as it is: it still shows the comments.
    await strings.catch(() => {});
    section.replaceChildren(t.loadFailed ?? "");
    return state("error");
  }
  let intent: Event | undefined;
  if (server) {
    // Until then, the host says whose section it shows.
    state("server");
    intent = await giveWay(host, signal);
  }
  const root = show();
  challenge(!ctx._locked && thread.site.turnstileSiteKey, ctx._form);
  state("ready");
  listen(root, signal);
  // A reader who tabbed into the server's section carries on from the widget's heading.
  if (intent?.type === "focusin") ctx._heading.focus();
  // Permalinks (#comment-<id>): scrolled to now, and whenever the hash changes.
  const linked = (first?: boolean) => showLinked(first).catch(() => {});
  addEventListener("hashchange", () => linked(), { signal });
  linked(true);
  // Count links on the article page: count.js fills them, as on an index page, so the widget
  // does not carry the same code; pages without such links never fetch it.
  if ($("[data-comments-count]"))
    document.head.append(
      h("script", { src: `${base}/count.js`, "data-site": site, "data-lang": tag }),
    );
}

/**
 * The thread's first page from the server's section (its `data-parley-data`, the JSON thread
 * view), else from the API as always: when it is in another sort than the mount's, when it was
 * made over ten minutes ago (by its form token: a page served from a cache may be older than the
 * newest comments), when the reader has posted within their edit window (the page may be older
 * than their comment), or when it was taken over before (its data goes with the first takeover,
 * so a remount, another page in a single-page app, asks the API).
 */
const takeOver = (server: HTMLElement): Promise<ThreadView> => {
  const data = server.querySelector("[data-parley-data]");
  data?.remove();
  return (async () => {
    const view = JSON.parse((data as Element).textContent as string);
    if (
      server.dataset.sort !== ctx._sort ||
      Date.now() - Number.parseInt(view.issuedAt, 10) > 6e5 ||
      Object.keys(own)[0]
    )
      throw 0;
    return view;
  })().catch(() => request(threadPath()));
};

/**
 * Resolves when the widget's section may take the place of the server's without moving
 * anything the reader sees, a layout shift: when nothing after the host is in view (it reaches
 * below the window, or is not scrolled to yet; checked at each scroll), or at the reader's own press or focus in it
 * (the section is then expected to change: CLS leaves out shifts that follow input). Until
 * then the server's section stays, readable, its links and plain form working. The listeners
 * stay until the unmount, idle once it has resolved.
 */
const giveWay = (host: Element, signal: AbortSignal) =>
  new Promise<Event | undefined>((resolve) => {
    let done = false;
    const go = (event?: Event) => {
      done = true;
      resolve(event);
    };
    const check = () => done || host.getBoundingClientRect().bottom < innerHeight || go();
    const options = { signal, passive: true };
    addEventListener("scroll", check, options);
    host.addEventListener("pointerdown", go, options);
    host.addEventListener("focusin", go, options);
    check();
  });

// However many copies of the script run, the first one does all of this.
if (!window.Parley) {
  window.Parley = { mount, unmount };
  /** <parley-comments site="news" page="…">: mounted while in the document; a new page remounts. */
  customElements.define(
    "parley-comments",
    class extends HTMLElement {
      static observedAttributes = ["page"];
      connectedCallback() {
        // Its attributes, read by name as the script tag's dataset is.
        mount(this, new Proxy(this, { get: (host, name: string) => host.getAttribute(name) }));
      }
      disconnectedCallback() {
        unmount(this);
      }
      // Also called for the attribute an element has when it is defined, before it is connected.
      attributeChangedCallback() {
        if (mounted === this) this.connectedCallback();
      }
    },
  );
  // The script tag: without data-site it only defines the above.
  const options = script?.dataset;
  const go = () => {
    let host = $(options?.target || "#comments");
    if (!host) {
      host = h("div");
      (script as HTMLScriptElement).after(host);
    }
    mount(host, options as Options);
  };
  if (options?.site)
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", go);
    else go();
}
