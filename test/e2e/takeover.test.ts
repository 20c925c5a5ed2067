// The widget taking over a section the article's server put into the page from thread.html
// (issue 16): no API request at first paint, no layout shift, and then the widget works as
// always. The article is on another origin than the API, as on a real site.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { call, createSite, post, uniqueId } from "./api";
import {
  apiCalls,
  article,
  expectNoErrors,
  fill,
  otherOrigin,
  renderedIds,
  scriptTag,
  useBrowser,
} from "./browser";

const s = useBrowser();

/** The article's text above the comments: one screen's worth, or several. */
const PARAGRAPH = "<p>Some more of the article, which readers have to scroll past.</p>";
/** What follows the comments on the page, so that a change in their height would move it. */
const FOOTER = '<footer id="footer"><p>The site footer.</p></footer>';

/** The fragment as the article's server would include it, asked for when the article is served. */
const fragment = async (site: string, page: string) =>
  (await call("GET", `/api/v1/sites/${site}/thread.html?page=${encodeURIComponent(page)}`)).text();

interface Thread {
  site: string;
  page: string;
  /** The first comment's id. */
  first: string;
}

/** A site and a page with two comments, the second a reply to the first. */
async function commentedPage(): Promise<Thread> {
  const site = (await createSite()).id;
  const page = `${otherOrigin()}/takeover/${uniqueId("p")}`;
  const first = (await post(site, page, { author: { name: "Ana" }, body: "First comment" })).comment
    .id;
  await post(site, page, { author: { name: "Ben" }, body: "A reply", parentId: first });
  return { site, page, first };
}

/**
 * Serves the article at `thread.page` from its own origin, with the fragment in `#comments` as
 * the article's server renders it (`html` may change it first), then the widget's script tag.
 */
async function serveArticle(
  reader: Page,
  { site, page }: Thread,
  { paragraphs = 1, html = (fragment: string) => fragment } = {},
): Promise<void> {
  const served = html(await fragment(site, page));
  await reader.route(
    (url) => url.href.split("#")[0] === page,
    (route) =>
      route.fulfill({
        contentType: "text/html; charset=utf-8",
        body: article({
          body: `${PARAGRAPH.repeat(paragraphs)}<div id="comments">${served}</div>${scriptTag({ site })}${FOOTER}`,
        }),
      }),
  );
}

/**
 * The page's cumulative layout shift so far, leaving out shifts that follow the reader's input
 * (as CLS does). Read after two frames, by when every shift of the frames before is reported.
 */
const layoutShift = (reader: Page) =>
  reader.evaluate(
    () =>
      new Promise<number>((resolve) => {
        let sum = 0;
        const add = (entries: PerformanceEntryList) => {
          for (const entry of entries as (PerformanceEntry & {
            value: number;
            hadRecentInput: boolean;
          })[])
            if (!entry.hadRecentInput) sum += entry.value;
        };
        const observer = new PerformanceObserver((list) => add(list.getEntries()));
        observer.observe({ type: "layout-shift", buffered: true });
        requestAnimationFrame(() =>
          requestAnimationFrame(() => {
            add(observer.takeRecords());
            observer.disconnect();
            resolve(sum);
          }),
        );
      }),
  );

/**
 * Waits until the widget has settled, showing the server's section or its own (or, after the
 * reader's input, its own); returns its state.
 */
async function settled(
  reader: Page,
  states = ["server", "ready", "error"],
): Promise<string | null> {
  const host = reader.locator(
    states.map((state) => `#comments[data-parley-state="${state}"]`).join(),
  );
  await host.waitFor({ state: "attached" });
  return host.getAttribute("data-parley-state");
}

/** The widget's own section (in the host's shadow root), not the server's. */
const widget = (reader: Page) => reader.locator("#comments section[aria-labelledby=heading]");

/** Where the footer is on the page. */
const footerTop = (reader: Page) =>
  reader.locator("#footer").evaluate((footer) => footer.getBoundingClientRect().top);

/** Posts through the widget's main form and waits until the comment is shown; returns its id. */
async function postComment(reader: Page, body: string): Promise<string> {
  const form = widget(reader)
    .locator("form")
    .filter({ has: reader.getByRole("heading", { name: "Leave a Reply" }) });
  await fill(form, { name: "Reader", body });
  const answer = reader.waitForResponse(
    (r) => r.request().method() === "POST" && r.url().endsWith("/comments"),
  );
  await form.getByRole("button", { name: "Post Comment" }).click();
  const { comment } = (await (await answer).json()) as { comment: { id: string } };
  await widget(reader).locator(`#comment-${comment.id}`).waitFor();
  return comment.id;
}

describe("the widget takes over the server's section", () => {
  it("below the fold: at once, without an API request or a layout shift; posting and replying then work", async () => {
    const thread = await commentedPage();
    await serveArticle(s.page, thread, { paragraphs: 40 });
    await s.page.goto(thread.page);
    expect(await settled(s.page, ["ready", "error"])).toBe("ready");

    expect(apiCalls(s)).toEqual([]);
    expect(await layoutShift(s.page)).toBe(0);
    // The widget's section, drawn from the data the server's carried, with its controls.
    expect(await renderedIds(s.page)).toHaveLength(2);
    await widget(s.page).getByRole("button", { name: "Newest" }).waitFor();
    // The server's section is hidden behind it, not removed: crawlers read the page as served.
    expect(await s.page.locator("#comments > [data-parley-thread]").count()).toBe(1);

    const reply = widget(s.page).locator(`#comment-${thread.first} > article`);
    await reply.getByRole("button", { name: "Reply" }).click();
    const form = widget(s.page)
      .locator("form")
      .filter({ has: s.page.getByRole("heading", { name: "Reply to Ana", exact: true }) });
    await fill(form, { name: "Carla", body: "Replied after the takeover" });
    await form.getByRole("button", { name: "Post Comment" }).click();
    await widget(s.page)
      .locator(`#comment-${thread.first} li`)
      .filter({ hasText: "Replied after the takeover" })
      .waitFor();
    await postComment(s.page, "Posted after the takeover");

    // The only API requests were the two posts; the thread was never asked for.
    expect(apiCalls(s)).toEqual([
      `POST /api/v1/sites/${thread.site}/comments`,
      `POST /api/v1/sites/${thread.site}/comments`,
    ]);
    expectNoErrors(s);
  });

  it("in full view: it waits for the reader's press, so nothing moves before it", async () => {
    const thread = await commentedPage();
    await serveArticle(s.page, thread);
    await s.page.goto(thread.page);
    // The widget has its section ready, but the server's stays: the footer below it is in view.
    const state = await settled(s.page);
    expect(await layoutShift(s.page)).toBe(0);
    expect(state).toBe("server");
    const footer = await footerTop(s.page);
    expect(footer).toBeLessThan(800);
    expect(await s.page.locator("#comments").evaluate((host) => host.shadowRoot)).toBeNull();
    await s.page.getByText("First comment").waitFor();

    // The reader's press in it: the widget's section takes over, and the footer may move now.
    await s.page.locator("#comments h2").first().click();
    expect(await settled(s.page, ["ready", "error"])).toBe("ready");
    expect(await footerTop(s.page)).not.toBe(footer);
    expect(await layoutShift(s.page)).toBe(0);
    await postComment(s.page, "Posted after a press");
    expect(apiCalls(s)).toEqual([`POST /api/v1/sites/${thread.site}/comments`]);
    expectNoErrors(s);
  });

  it("in full view, by keyboard: focus goes on from the widget's heading", async () => {
    const thread = await commentedPage();
    await serveArticle(s.page, thread);
    await s.page.goto(thread.page);
    expect(await settled(s.page)).toBe("server");
    await s.page.locator("#comments form.parley-form textarea").focus();
    expect(await settled(s.page, ["ready", "error"])).toBe("ready");
    expect(
      await s.page.evaluate(
        () => document.querySelector("#comments")?.shadowRoot?.activeElement?.id,
      ),
    ).toBe("heading");
    expect(apiCalls(s)).toEqual([]);
  });

  it("remounted on the same element (a single-page app), shows its own section at once", async () => {
    const thread = await commentedPage();
    await serveArticle(s.page, thread);
    await s.page.goto(thread.page);
    expect(await settled(s.page)).toBe("server");
    await s.page.locator("#comments h2").first().click();
    expect(await settled(s.page, ["ready", "error"])).toBe("ready");
    await s.page.evaluate((site) => {
      const host = document.querySelector("#comments") as Element;
      window.Parley?.unmount(host);
      window.Parley?.mount(host, { site, page: location.href });
    }, thread.site);
    // The server's section, hidden behind the shadow root, is not waited for again.
    expect(await settled(s.page, ["ready", "error"])).toBe("ready");
    expect(await renderedIds(s.page)).toHaveLength(2);
    expect(apiCalls(s)).toEqual([`GET /api/v1/sites/${thread.site}/thread`]);
  });

  it("asks the API when the server's section is old, or older than the reader's own comment", async () => {
    const thread = await commentedPage();
    // A page from a cache: its data says it was made long ago (by its form token's time).
    await serveArticle(s.page, thread, {
      paragraphs: 40,
      html: (served) => served.replace(/"issuedAt":"\d+\./, '"issuedAt":"1000.'),
    });
    await s.page.goto(thread.page);
    expect(await settled(s.page, ["ready", "error"])).toBe("ready");
    expect(apiCalls(s)).toEqual([`GET /api/v1/sites/${thread.site}/thread`]);

    // The reader posts; the article, served again with the section from before their comment,
    // still shows it, because the widget asks the API while the comment is the reader's to edit.
    const before = await fragment(thread.site, thread.page);
    const mine = await postComment(s.page, "My own comment");
    await s.page.unrouteAll();
    await serveArticle(s.page, thread, { paragraphs: 40, html: () => before });
    s.requests.length = 0;
    await s.page.goto(thread.page);
    expect(await settled(s.page, ["ready", "error"])).toBe("ready");
    expect(apiCalls(s)).toEqual([`GET /api/v1/sites/${thread.site}/thread`]);
    await widget(s.page).locator(`#comment-${mine}`).waitFor();
  });
});
