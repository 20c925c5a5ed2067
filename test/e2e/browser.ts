// The run's one Chromium (chromium.ts), a page each test gets back as new (storage, routes,
// handlers), and the helpers that put the widget on a host page served from the real server's origin.
import {
  type Browser,
  type BrowserContext,
  chromium,
  type Locator,
  type Page,
  type Request,
} from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, expect, inject } from "vitest";
import { baseUrl } from "./api";

/** What one test sees: its page, and everything the page reported while it ran. */
export interface Session {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Uncaught exceptions in the page. */
  pageErrors: Error[];
  /** console.error messages (CSP reports included) and "HTTP <status> <url>" for failed loads. */
  consoleErrors: string[];
  /** Every request the page made, in order. */
  requests: Request[];
}

/**
 * What a test can change that only a new context undoes: scripts run in every page, functions
 * exposed to it, and the fake clock. Using any of them retires the test's context after it.
 */
const LASTING = {
  context: ["addInitScript", "exposeBinding", "exposeFunction", "setOffline", "grantPermissions"],
  page: ["addInitScript", "exposeBinding", "exposeFunction", "setViewportSize"],
  clock: ["install", "setFixedTime", "setSystemTime"],
} as const;

/** Makes every call of `methods` on `target` run `onCall` first. */
function watch(target: object, methods: readonly string[], onCall: () => void): void {
  const record = target as Record<string, (...args: unknown[]) => unknown>;
  for (const name of methods) {
    const original = record[name]?.bind(target);
    if (!original) throw new Error(`playwright-core has no ${name} to watch`);
    record[name] = (...args) => {
      onCall();
      return original(...args);
    };
  }
}

/**
 * Registers the hooks of a browser test file and returns the session they fill in. The file
 * connects to the run's Chromium and opens one context with its page, which each test gets back as new:
 * on about:blank, without the routes, emulated media, extra pages and event handlers of the test
 * before, and with the storage, cookies and cache of every origin it visited cleared. A new context
 * per test would do the same, but it costs Chromium (a window and a renderer process) about half
 * a second of CPU, as much as a short test, on a two-core machine. A test that changes what only a
 * new context undoes (LASTING) gets one after it.
 */
export function useBrowser(): Session {
  const s = { pageErrors: [], consoleErrors: [], requests: [] } as unknown as Session;
  let lasting = false;
  /** The origins the page made requests to: their storage is cleared after the test. */
  const visited = new Set<string>();
  const markLasting = () => {
    lasting = true;
  };

  const record = (page: Page) => {
    page.on("pageerror", (error) => s.pageErrors.push(error));
    page.on("console", (msg) => {
      // Chromium asks every page for /favicon.ico; a 404 there is the host page's business.
      if (msg.type() === "error" && !msg.location().url.endsWith("/favicon.ico")) {
        s.consoleErrors.push(msg.text());
      }
    });
    page.on("request", (request) => {
      s.requests.push(request);
      const { origin } = new URL(request.url());
      if (origin.startsWith("http")) visited.add(origin);
    });
    // Chromium's "Failed to load resource" console line does not say which; keep the URL too.
    page.on("response", (response) => {
      if (response.status() >= 400)
        s.consoleErrors.push(`HTTP ${response.status()} ${response.url()}`);
    });
  };

  const open = async () => {
    s.context = await s.browser.newContext({ viewport: { width: 1000, height: 800 } });
    // Every action here settles within a few seconds on a local server; the bound leaves room
    // for a machine busy with other work, and only matters when a test fails.
    s.context.setDefaultTimeout(20_000);
    s.page = await s.context.newPage();
    watch(s.context, LASTING.context, markLasting);
    watch(s.page, LASTING.page, markLasting);
    watch(s.page.clock, LASTING.clock, markLasting);
    record(s.page);
    lasting = false;
  };

  /** Takes the page back to how open() left it. */
  const reset = async () => {
    const { context, page } = s;
    for (const other of context.pages()) if (other !== page) await other.close();
    await page.removeAllListeners();
    await Promise.all([
      page.unrouteAll({ behavior: "ignoreErrors" }),
      context.unrouteAll({ behavior: "ignoreErrors" }),
    ]);
    await page.goto("about:blank");
    const cdp = await context.newCDPSession(page);
    try {
      await cdp.send("Network.clearBrowserCache");
      for (const origin of visited) {
        await cdp.send("Storage.clearDataForOrigin", { origin, storageTypes: "all" });
      }
    } finally {
      await cdp.detach();
    }
    visited.clear();
    await Promise.all([
      context.clearCookies(),
      context.clearPermissions(),
      page.emulateMedia({
        media: null,
        colorScheme: null,
        reducedMotion: null,
        forcedColors: null,
      }),
    ]);
    record(page);
  };

  beforeAll(async () => {
    s.browser = await chromium.connect(inject("chromium"));
    await open();
  });
  afterAll(async () => {
    await s.browser?.close();
  });
  beforeEach(() => {
    s.pageErrors = [];
    s.consoleErrors = [];
    s.requests = [];
  });
  afterEach(async () => {
    if (!lasting) {
      try {
        return await reset();
      } catch {
        // A page the test left broken (crashed, or closed) is replaced instead.
      }
    }
    await s.context.close().catch(() => undefined);
    await open();
  });
  return s;
}

/** Chromium logs every non-2xx fetch as a console error; tests of error paths expect those. */
const FAILED_LOAD = /^(Failed to load resource|HTTP \d{3} )/;

export function expectNoErrors(s: Session, { allowFailedLoads = false } = {}): void {
  expect(s.pageErrors.map((e) => e.message)).toEqual([]);
  expect(s.consoleErrors.filter((m) => !(allowFailedLoads && FAILED_LOAD.test(m)))).toEqual([]);
}

/** The widget's own static files: the scripts and their locales (count.js's in i18n/count/). */
export const WIDGET_ASSET = /^\/(widget\.js|count\.js|i18n\/(count\/)?[a-z]{2}\.txt)$/;

/** Requests to the API, as "METHOD /path" without the query. */
export function apiCalls(s: Session, filter: (url: URL) => boolean = () => true): string[] {
  return s.requests
    .map((r) => ({ method: r.method(), url: new URL(r.url()) }))
    .filter(({ url }) => url.pathname.startsWith("/api/") && filter(url))
    .map(({ method, url }) => `${method} ${url.pathname}`);
}

const escapeAttr = (v: string) =>
  v.replaceAll("&", "&amp;").replaceAll('"', "&quot;").replaceAll("<", "&lt;");

export interface EmbedOptions {
  site: string;
  page?: string;
  title?: string;
  lang?: string;
  theme?: "light" | "dark" | "auto";
  sort?: string;
  target?: string;
  /** How the script tag loads; "async" as the README tells site owners. */
  loading?: "async" | "defer" | "sync";
  /** Where the script comes from; the real server by default. */
  src?: string;
}

/** The snippet a site owner pastes: the target element and the script tag. */
export function embed(options: EmbedOptions, { withTarget = true } = {}): string {
  return (withTarget ? '<div id="comments"></div>\n' : "") + scriptTag(options);
}

export function scriptTag(options: EmbedOptions, file = "widget.js"): string {
  const attrs: Record<string, string | undefined> = {
    "data-site": options.site,
    "data-page": options.page,
    "data-title": options.title,
    "data-lang": options.lang,
    "data-theme": options.theme,
    "data-sort": options.sort,
    "data-target": options.target,
  };
  const data = Object.entries(attrs)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => ` ${k}="${escapeAttr(v)}"`)
    .join("");
  const loading = options.loading ?? "async";
  const flag = loading === "sync" ? "" : ` ${loading}`;
  return `<script src="${options.src ?? `${baseUrl()}/${file}`}"${data}${flag}></script>`;
}

export interface ArticleOptions {
  title?: string;
  lang?: string;
  head?: string;
  /** Markup placed after the article text: usually `embed(...)`. */
  body: string;
}

/** A plain, valid article page, like a small blog would serve. */
export function article({ title = "Test article", lang = "en", head = "", body }: ArticleOptions) {
  return `<!doctype html>
<html lang="${lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>${head}</head>
<body><main><h1>${title}</h1><p>Some article text that readers respond to.</p>
${body}
</main></body></html>`;
}

/**
 * The same server under another host name: a different origin, as a real site's pages are from
 * the comments service's. Sites built by createSite (and the demo site) allow it.
 */
export const otherOrigin = (): string => baseUrl().replace("//localhost:", "//127.0.0.1:");

/**
 * Serves `html` at `path` on the server's own origin (or `origin`), so the page's widget script
 * and API calls reach the real server. Returns the page's URL.
 */
export async function hostPage(
  page: Page,
  pathname: string,
  html: string,
  headers: Record<string, string> = {},
  origin = baseUrl(),
): Promise<string> {
  await page.route(
    (url) => url.origin === origin && url.pathname === pathname,
    (route) =>
      route.fulfill({
        status: 200,
        headers: { "content-type": "text/html; charset=utf-8", ...headers },
        body: html,
      }),
  );
  return `${origin}${pathname}`;
}

/** Waits until the widget on `target` has mounted and settled; returns the final state. */
export async function waitReady(page: Page, target = "#comments"): Promise<string> {
  const settled = `${target}[data-parley-state="ready"], ${target}[data-parley-state="error"]`;
  const host = page.locator(settled).first();
  await host.waitFor({ state: "attached", timeout: 20_000 });
  return (await host.getAttribute("data-parley-state")) ?? "";
}

/** Hosts a page with the widget, opens it and waits for the widget to be ready. */
export async function openWidget(
  s: Session,
  options: EmbedOptions & { path?: string; hash?: string; pageTitle?: string; head?: string },
): Promise<string> {
  const pathname = options.path ?? new URL(options.page ?? `${baseUrl()}/a`).pathname;
  const url = await hostPage(
    s.page,
    pathname,
    article({ title: options.pageTitle, head: options.head, body: embed(options) }),
  );
  await s.page.goto(url + (options.hash ?? ""));
  expect(await waitReady(s.page)).toBe("ready");
  return url;
}

/** The `<li>` of one comment. */
export const item = (page: Page, id: string): Locator => page.locator(`#comment-${id}`);
/** The comment's own `<article>` (not its replies'). */
export const articleOf = (page: Page, id: string): Locator =>
  page.locator(`#comment-${id} > article`);

/** The main form ("Leave a Reply"). */
export const mainForm = (page: Page): Locator =>
  page.locator("form").filter({ has: page.getByRole("heading", { name: "Leave a Reply" }) });

/** The inline reply form opened under a comment by `name`. */
export const replyForm = (page: Page, name: string): Locator =>
  page
    .locator("form")
    .filter({ has: page.getByRole("heading", { name: `Reply to ${name}`, exact: true }) });

/** The widget's section heading text. */
export async function heading(page: Page): Promise<string> {
  return ((await page.locator("#comments h2").first().textContent()) ?? "").trim();
}

/** Ids of the rendered comments, in document order. */
export function renderedIds(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...(document.querySelector("#comments")?.shadowRoot?.querySelectorAll("li") ?? [])]
      .filter((li) => li.id.startsWith("comment-"))
      .map((li) => li.id.slice("comment-".length)),
  );
}

/** The element focused inside the widget's shadow root, described for assertions. */
export function focused(
  page: Page,
): Promise<{ tag: string; label: string; inside: string } | null> {
  return page.evaluate(() => {
    const el = document.querySelector("#comments")?.shadowRoot?.activeElement;
    if (!el) return null;
    const labels = (el as HTMLInputElement).labels;
    const label =
      el.getAttribute("aria-label") ??
      (labels?.[0]?.textContent ?? el.textContent ?? "").trim().replace(/\s+/g, " ");
    return { tag: el.tagName.toLowerCase(), label, inside: el.closest("li")?.id ?? "" };
  });
}

export interface FormFields {
  name?: string;
  email?: string;
  website?: string;
  body?: string;
}

/** The contract's English labels of the comment form's fields. */
export const LABELS = {
  name: "Name",
  email: "Email (optional, never shown)",
  website: "Website (optional)",
  body: "Comment",
} as const;

/**
 * The labelled fields of a comment form. The website field is found by the start of its label, so
 * that one wrong label (pinned by its own test in a11y.test.ts) does not fail every form test.
 */
export function fieldsOf(form: Locator) {
  return {
    name: form.getByLabel(LABELS.name, { exact: true }),
    email: form.getByLabel(LABELS.email, { exact: true }),
    website: form.getByLabel(/^Website\b/),
    body: form.getByLabel(LABELS.body, { exact: true }),
  };
}

/** Types into the form's fields. */
export async function fill(form: Locator, values: FormFields): Promise<void> {
  const fields = fieldsOf(form);
  for (const key of ["name", "email", "website", "body"] as const) {
    const value = values[key];
    if (value !== undefined) await fields[key].fill(value);
  }
}

/** What the form's fields hold now. */
export async function valuesOf(form: Locator): Promise<Required<FormFields>> {
  const fields = fieldsOf(form);
  return {
    name: await fields.name.inputValue(),
    email: await fields.email.inputValue(),
    website: await fields.website.inputValue(),
    body: await fields.body.inputValue(),
  };
}

/** Text of the widget's live regions (status and alert), joined. */
export function announcements(page: Page): Promise<string> {
  return page.evaluate(() => {
    const root = document.querySelector("#comments")?.shadowRoot;
    const regions = root?.querySelectorAll('[aria-live], [role="status"], [role="alert"]') ?? [];
    return [...regions].map((r) => (r.textContent ?? "").trim()).join(" | ");
  });
}

/** True when the element is the focused element of its document or shadow root. */
export function isFocused(locator: Locator): Promise<boolean> {
  return locator.evaluate((el) => (el.getRootNode() as Document | ShadowRoot).activeElement === el);
}
