// Count mode: an index page shows "N Responses" next to each article from one request.
import type { Route } from "playwright-core";
import { describe, expect, it } from "vitest";
import { baseUrl, call, createSite, post, uniqueId } from "./api";
import {
  apiCalls,
  article,
  embed,
  expectNoErrors,
  hostPage,
  otherOrigin,
  scriptTag,
  useBrowser,
  waitReady,
} from "./browser";

const s = useBrowser();

/** Text of every count element, in document order, once none shows its placeholder any more. */
async function countTexts(): Promise<string[]> {
  const elements = s.page.locator("[data-comments-count]");
  await expect
    .poll(async () => (await elements.allTextContents()).filter((t) => t.trim() === "Comments"))
    .toEqual([]);
  await s.page.waitForLoadState("networkidle");
  return (await elements.allTextContents()).map((t) => t.trim());
}

/** Three pages with 3, 1 and 0 published comments (replies count too). */
async function threePages() {
  const site = (await createSite()).id;
  const busy = `${baseUrl()}/news/${uniqueId("busy")}`;
  const quiet = uniqueId("page-id");
  const empty = `${baseUrl()}/news/${uniqueId("empty")}`;
  const root = await post(site, busy);
  await post(site, busy, { parentId: root.comment.id });
  await post(site, busy);
  await post(site, quiet);
  return { site, busy, quiet, empty };
}

function indexBody(p: { busy: string; quiet: string; empty: string }) {
  return `<ul>
<li><a href="${p.busy}" data-comments-count>Comments</a></li>
<li><span data-comments-count data-page="${p.quiet}">Comments</span></li>
<li><a href="${p.empty}#comments" data-comments-count>Comments</a></li>
<li><a href="${p.busy}/?utm_source=newsletter#respond" data-comments-count>Comments</a></li>
</ul>`;
}

/** What indexBody's elements read in English. */
const IN_ENGLISH = ["3 Responses", "1 Response", "No Responses", "3 Responses"];

const countRequests = () =>
  s.requests.filter((r) => new URL(r.url()).pathname.endsWith("/counts")).length;

describe("count mode", () => {
  it("fills every count element from one request, by data-page or by href", async () => {
    const pages = await threePages();
    const url = await hostPage(
      s.page,
      `/index-${uniqueId("i")}`,
      article({
        title: "Index",
        body: indexBody(pages) + scriptTag({ site: pages.site }, "count.js"),
      }),
    );
    await s.page.goto(url);

    // The last link is the first page spelled differently (tracking parameter, slash, fragment).
    expect(await countTexts()).toEqual(IN_ENGLISH);
    expect(countRequests()).toBe(1);
    expect(apiCalls(s)).toEqual([`GET /api/v1/sites/${pages.site}/counts`]);
    expectNoErrors(s);
  });

  it("speaks the page's language", async () => {
    const pages = await threePages();
    const url = await hostPage(
      s.page,
      `/indice-${uniqueId("i")}`,
      article({
        title: "Índice",
        lang: "es",
        body: indexBody(pages) + scriptTag({ site: pages.site }, "count.js"),
      }),
    );
    await s.page.goto(url);

    const texts = await countTexts();
    // Spanish writes these in sentence case.
    expect(texts.map((t) => t.toLowerCase())).toEqual([
      "3 respuestas",
      "1 respuesta",
      "sin respuestas",
      "3 respuestas",
    ]);
    expect(countRequests()).toBe(1);
    expectNoErrors(s);
  });

  it("fills the demo index's counts to match the API", async () => {
    await s.page.goto(`${baseUrl()}/demo/index`);
    const elements = s.page.locator("[data-comments-count]");
    expect(await elements.count()).toBeGreaterThan(1);
    const texts = await countTexts();

    const pages = await elements.evaluateAll((els) =>
      els.map((el) => el.getAttribute("data-page") ?? (el as HTMLAnchorElement).href),
    );
    const res = await call(
      "GET",
      `/api/v1/sites/demo/counts?${pages.map((p) => `page=${encodeURIComponent(p)}`).join("&")}`,
    );
    const { counts } = (await res.json()) as { counts: Record<string, number> };
    const expected = pages.map((p) => {
      const n = counts[p] ?? -1;
      return n === 0 ? "No Responses" : n === 1 ? "1 Response" : `${n} Responses`;
    });
    expect(texts).toEqual(expected);
    // The demo discussion is seeded: its article has responses.
    expect(Object.values(counts).some((n) => n > 0)).toBe(true);
    expect(countRequests()).toBe(1);
    expectNoErrors(s);
  });

  it("is also done by the full widget on an article page", async () => {
    const pages = await threePages();
    const url = await hostPage(
      s.page,
      new URL(pages.busy).pathname,
      article({
        title: "Article",
        body: `<p><a href="${pages.empty}" data-comments-count>Comments</a></p>${embed({ site: pages.site })}`,
      }),
    );
    await s.page.goto(url);
    expect(await waitReady(s.page)).toBe("ready");
    await expect.poll(countTexts).toEqual(["No Responses"]);
    // It hands them to count.js, which makes the one counts request.
    expect(s.requests.filter((r) => new URL(r.url()).pathname === "/count.js")).toHaveLength(1);
    expectNoErrors(s);
  });

  it("follows each language's plural rules (Russian, Arabic)", async () => {
    const site = (await createSite()).id;
    const sizes = [0, 1, 2, 5, 21];
    const pages = sizes.map((n) => `plural-${n}-${uniqueId("p")}`);
    await Promise.all(
      sizes.map(async (n, i) => {
        for (let k = 0; k < n; k++) await post(site, pages[i] ?? "");
      }),
    );
    const links = pages.map(
      (p) => `<p><span data-comments-count data-page="${p}">Comments</span></p>`,
    );
    // Arabic-Indic digits, as Intl writes numbers in Arabic, read as ASCII digits.
    const ascii = (t: string) =>
      t.replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x660));

    const expected: Record<string, string[]> = {
      ru: ["Нет ответов", "1 ответ", "2 ответа", "5 ответов", "21 ответ"],
      // zero, one, two, few (3–10), many (11–99): each has its own form.
      ar: ["لا توجد ردود", "ردّ واحد", "ردّان", "5 ردود", "21 ردًا"],
    };
    for (const [lang, texts] of Object.entries(expected)) {
      const url = await hostPage(
        s.page,
        `/plural-${lang}-${uniqueId("i")}`,
        article({ lang, body: links.join("") + scriptTag({ site }, "count.js") }),
      );
      await s.page.goto(url);
      expect({ lang, texts: (await countTexts()).map(ascii) }).toEqual({ lang, texts });
    }
    expectNoErrors(s);
  });
});

describe("count mode on another origin than the API", () => {
  /** An index page on another origin than the API, as every real site's is. */
  async function openIndex(pages: Awaited<ReturnType<typeof threePages>>, lang = "en") {
    const url = await hostPage(
      s.page,
      `/index-${uniqueId("i")}`,
      article({ lang, body: indexBody(pages) + scriptTag({ site: pages.site }, "count.js") }),
      {},
      otherOrigin(),
    );
    await s.page.goto(url);
  }

  // Regression: /i18n/count/* matched two rules of public/_headers, so its locale file came with
  // "Access-Control-Allow-Origin: *, *", the browser refused it, and no count was ever written.
  it("fills the counts of an index page served from another origin", async () => {
    const pages = await threePages();
    await openIndex(pages);

    expect(await countTexts()).toEqual(IN_ENGLISH);
    expectNoErrors(s);
  });

  /** Makes every request for count.js's locale files fail as `fail` says. */
  const failLocale = (fail: (route: Route) => Promise<void>) =>
    s.page.route((url) => url.pathname.startsWith("/i18n/count/"), fail);

  // Regression: count.js waited on its strings before writing, so counts never appeared when
  // the locale file failed.
  it("writes the counts in English when the page's locale file is missing", async () => {
    const pages = await threePages();
    await failLocale((route) => route.fulfill({ status: 404, body: "Not found" }));
    // Arabic: English strings must come with English plural rules and digits, not Arabic ones.
    await openIndex(pages, "ar");

    expect(await countTexts()).toEqual(IN_ENGLISH);
    expectNoErrors(s, { allowFailedLoads: true });
  });

  it("writes the counts in English when the page's locale file cannot be fetched", async () => {
    const pages = await threePages();
    await failLocale((route) => route.abort("connectionrefused"));
    await openIndex(pages, "es");

    expect(await countTexts()).toEqual(IN_ENGLISH);
    expectNoErrors(s, { allowFailedLoads: true });
  });
});
