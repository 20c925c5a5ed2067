// The embeds besides the script tag (README "Embedding"): the <parley-comments> element, and
// window.Parley.mount/unmount as a single-page app uses them on each client-side route change.
// The host pages are on another origin than the API, as a real site's are.
import type { Request, Route } from "playwright-core";
import { describe, expect, it } from "vitest";
import { baseUrl, newThread, post } from "./api";
import {
  announcements,
  article,
  expectNoErrors,
  fill,
  hostPage,
  mainForm,
  otherOrigin,
  useBrowser,
  waitReady,
} from "./browser";

const s = useBrowser();

/** widget.js without data-site: it only defines the element and window.Parley. */
const WIDGET = `<script src="${baseUrl()}/widget.js" async></script>`;

/**
 * Counts the page's live hashchange listeners, however they end (removeEventListener, or the
 * signal given with them). Inline, before widget.js: the page has no CSP.
 */
const COUNT_HASHCHANGE = `<script>
window.hashchangeListeners = 0;
const add = window.addEventListener, remove = window.removeEventListener;
window.addEventListener = function (type, listener, options) {
  if (type === "hashchange") {
    hashchangeListeners += 1;
    options?.signal?.addEventListener("abort", () => { hashchangeListeners -= 1; });
  }
  return add.call(this, type, listener, options);
};
window.removeEventListener = function (type, ...rest) {
  if (type === "hashchange") hashchangeListeners -= 1;
  return remove.call(this, type, ...rest);
};
</script>`;

/** The text of each comment drawn in `host`'s shadow root. */
const drawn = (host: string) =>
  s.page.evaluate(
    (selector) =>
      [
        ...(document.querySelector(selector)?.shadowRoot?.querySelectorAll("li > article") ?? []),
      ].map((article) => article.querySelector("header + div")?.textContent),
    host,
  );

/** A site with three pages, one comment each, named by the page. */
async function threePages() {
  const { site, page: first } = await newThread({ section: "spa" });
  const pages: [string, string, string] = [first, `${first}-two`, `${first}-three`];
  for (const [i, page] of pages.entries()) await post(site, page, { body: `On page ${i + 1}` });
  return { site, pages };
}

/** GET …/thread requests for `page` among those the page has made. */
const threadRequests = (page: string) =>
  s.requests.filter(
    (r: Request) =>
      r.url().includes("/thread?") && new URL(r.url()).searchParams.get("page") === page,
  ).length;

describe("the <parley-comments> element", () => {
  it("draws its page's thread, and another page's when its page attribute changes", async () => {
    const { site, pages } = await threePages();
    const url = await hostPage(
      s.page,
      "/element",
      article({
        body: `<parley-comments site="${site}" page="${pages[0]}" title="One"></parley-comments>${WIDGET}`,
      }),
      {},
      otherOrigin(),
    );
    await s.page.goto(url);
    expect(await waitReady(s.page, "parley-comments")).toBe("ready");
    expect(await drawn("parley-comments")).toEqual(["On page 1"]);
    // An unknown element is inline; the section's host is a block.
    expect(
      await s.page.$eval("parley-comments", (element) => getComputedStyle(element).display),
    ).toBe("block");

    await s.page.$eval(
      "parley-comments",
      (element, page) => element.setAttribute("page", page),
      pages[1],
    );
    expect(await waitReady(s.page, "parley-comments")).toBe("ready");
    expect(await drawn("parley-comments")).toEqual(["On page 2"]);

    await s.page.$eval("parley-comments", (element) => element.remove());
    expect(threadRequests(pages[0])).toBe(1);
    expectNoErrors(s);
  });
});

describe("Parley.mount and Parley.unmount", () => {
  it("remounts cleanly across three client-side route changes, and unmounts to nothing", async () => {
    const { site, pages } = await threePages();
    const url = await hostPage(
      s.page,
      "/spa",
      article({ head: COUNT_HASHCHANGE, body: `<div id="comments"></div>${WIDGET}` }),
      {},
      otherOrigin(),
    );
    await s.page.goto(url);
    await s.page.waitForFunction(() => "Parley" in window);
    // The script without data-site mounts nothing by itself.
    expect(await s.page.getAttribute("#comments", "data-parley-state")).toBeNull();

    for (const [i, page] of pages.entries()) {
      await s.page.evaluate(
        ({ site, page, i }) => {
          history.pushState(null, "", `/spa/${i + 1}`);
          const host = document.querySelector("#comments") as Element;
          window.Parley?.unmount(host);
          window.Parley?.mount(host, { site, page, title: `Page ${i + 1}` });
        },
        { site, page, i },
      );
      expect(await waitReady(s.page)).toBe("ready");
      expect(await drawn("#comments")).toEqual([`On page ${i + 1}`]);
      expect(await s.page.locator("#comments h2").textContent()).toBe(
        `1 Response to “Page ${i + 1}”`,
      );
      expect(await s.page.evaluate(() => window.hashchangeListeners)).toBe(1);
    }

    // One click, one request: the shadow root (reused by each mount) has one listener.
    const last = pages[2];
    const before = threadRequests(last);
    await s.page.getByRole("button", { name: "Newest" }).click();
    await expect
      .poll(() => s.page.getByRole("button", { name: "Newest" }).getAttribute("aria-pressed"))
      .toBe("true");
    expect(threadRequests(last) - before).toBe(1);

    await s.page.evaluate(() =>
      window.Parley?.unmount(document.querySelector("#comments") as Element),
    );
    expect(
      await s.page.$eval("#comments", (host) => ({
        children: host.shadowRoot?.childNodes.length,
        state: host.getAttribute("data-parley-state"),
        listeners: window.hashchangeListeners,
      })),
    ).toEqual({ children: 0, state: null, listeners: 0 });
    expectNoErrors(s);
  });

  it("lets nothing a page left behind reach the next: its requests are cancelled, its late answers dropped", async () => {
    const { site, pages } = await threePages();
    const [first, second, third] = pages;
    // Held until the test lets them go: the first page's (Russian) strings, the second's thread.
    const held: Record<string, () => void> = {};
    const hold = (name: string) => (route: Route) => {
      held[name] = () => route.continue().catch(() => {});
    };
    await s.page.route((url) => url.pathname === "/i18n/ru.txt", hold("strings"));
    await s.page.route(
      (url) => url.pathname.endsWith("/thread") && url.searchParams.get("page") === second,
      hold("thread"),
    );
    const url = await hostPage(
      s.page,
      "/spa-held",
      article({ body: `<div id="comments"></div>${WIDGET}` }),
      {},
      otherOrigin(),
    );
    await s.page.goto(url);
    await s.page.waitForFunction(() => "Parley" in window);
    const mount = (page: string, lang: string) =>
      s.page.evaluate(
        ({ site, page, lang }) =>
          window.Parley?.mount(document.querySelector("#comments") as Element, {
            site,
            page,
            lang,
          }),
        { site, page, lang },
      );

    // The first page's thread has answered; its strings have not.
    const answered = s.page.waitForResponse((r) => r.url().includes("/thread?"));
    await mount(first, "ru");
    await answered;
    // The second page's thread is on the wire when the third page is mounted.
    const asked = s.page.waitForRequest((r) => r.url().includes("/thread?"));
    await mount(second, "en");
    await asked;
    const cancelled = s.page.waitForEvent("requestfailed", (r) => r.url().includes("/thread?"));
    await mount(third, "en");
    expect((await cancelled).failure()?.errorText).toBe("net::ERR_ABORTED");
    expect(await waitReady(s.page)).toBe("ready");
    held.strings?.();
    held.thread?.();
    await s.page.waitForEvent("requestfinished", (r) => r.url().endsWith("/i18n/ru.txt"));

    // The section shown is the third page's, in English, and posting into it works.
    expect(await drawn("#comments")).toEqual(["On page 3"]);
    const form = mainForm(s.page);
    await fill(form, { name: "Ana", body: "After two route changes" });
    await form.getByRole("button", { name: "Post Comment" }).click();
    await expect.poll(() => drawn("#comments")).toEqual(["On page 3", "After two route changes"]);
    expect(await announcements(s.page)).toContain("Your comment was published.");
    expectNoErrors(s);
  });
});

declare global {
  interface Window {
    hashchangeListeners: number;
    Parley?: {
      mount(host: Element, options: Record<string, string>): void;
      unmount(host: Element): void;
    };
  }
}
