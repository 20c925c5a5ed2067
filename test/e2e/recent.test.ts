// recent.js: a "Recent comments" list on any page of a site, served from another origin than the
// API as every real site's pages are.
import { describe, expect, it } from "vitest";
import { baseUrl, createSite, post, uniqueId } from "./api";
import {
  apiCalls,
  article,
  expectNoErrors,
  hostPage,
  otherOrigin,
  scriptTag,
  useBrowser,
} from "./browser";

const s = useBrowser();

/** Opens a page on another origin holding `lists` and recent.js for `site`. */
async function openPage(site: string, lists: string, lang = "en") {
  const url = await hostPage(
    s.page,
    `/sidebar-${uniqueId("r")}`,
    article({ lang, body: lists + scriptTag({ site }, "recent.js") }),
    {},
    otherOrigin(),
  );
  await s.page.goto(url);
}

/** The items of the list in `selector`, as text and link, once it has `count` of them. */
async function itemsOf(selector: string, count: number) {
  const items = s.page.locator(`${selector} li`);
  await expect.poll(() => items.count()).toBe(count);
  return items.evaluateAll((lis) =>
    lis.map((li) => ({
      text: li.textContent,
      href: li.querySelector("a")?.getAttribute("href") ?? null,
    })),
  );
}

/** Two comments on two pages of a new site, the newer on page B. */
async function twoPages() {
  const site = (await createSite()).id;
  const [a, b] = [`${baseUrl()}/news/${uniqueId("a")}`, `${baseUrl()}/news/${uniqueId("b")}`];
  const onA = await post(site, a, {
    title: "Article A",
    author: { name: "Ana" },
    body: "Hello *there*,\n\nand more.",
  });
  const onB = await post(site, b, { title: "Article B", author: { name: "Ben" }, body: "Second" });
  return { site, a, b, onA, onB };
}

describe("recent.js", () => {
  it("lists the site's newest comments in every list, each linking to where it is read", async () => {
    const { site, a, b, onA, onB } = await twoPages();
    await openPage(
      site,
      '<ul id="all" data-comments-recent></ul><div id="one" data-comments-recent data-limit="1"></div>',
    );

    expect(await itemsOf("#all", 2)).toEqual([
      { text: "Ben on “Article B”: Second", href: `${b}#comment-${onB.comment.id}` },
      {
        text: "Ana on “Article A”: Hello there, and more.",
        href: `${a}#comment-${onA.comment.id}`,
      },
    ]);
    // Any other element gets a list of its own.
    expect(await itemsOf("#one > ul", 1)).toEqual([
      { text: "Ben on “Article B”: Second", href: `${b}#comment-${onB.comment.id}` },
    ]);
    expect(apiCalls(s).sort()).toEqual([
      `GET /api/v1/sites/${site}/recent`,
      `GET /api/v1/sites/${site}/recent`,
    ]);
    expectNoErrors(s);
  });

  it("speaks the page's language", async () => {
    const { site } = await twoPages();
    await openPage(site, '<ul id="all" data-comments-recent data-limit="1"></ul>', "fr");
    expect((await itemsOf("#all", 1))[0]?.text).toBe("Ben sur « Article B » : Second");
    expectNoErrors(s);
  });

  it("shows hostile names, titles and bodies as text, and links only the site's own pages", async () => {
    const site = (await createSite()).id;
    const name = `<img src=x onerror="window.pwned=1">`;
    const title = "<script>window.pwned=1</script>";
    const body = "<b onmouseover=window.pwned=1>bold</b> [x](javascript:window.pwned=1)";
    await post(site, `${baseUrl()}/news/${uniqueId("h")}`, { author: { name }, title, body });
    // A page named by an id, and one that is a script URL: listed, never linked.
    await post(site, "javascript:window.pwned=1//", { author: { name: "Js" }, body: "Scripted" });
    await post(site, "article-42", { author: { name: "Id" }, body: "By id" });
    await openPage(site, '<ul id="all" data-comments-recent></ul>');

    const items = await itemsOf("#all", 3);
    expect(items.map((i) => i.text)).toEqual([
      "Id on “article-42”: By id",
      "Js on “javascript:window.pwned=1//”: Scripted",
      `${name} on “${title}”: <b onmouseover=window.pwned=1>bold</b> x`,
    ]);
    expect(items.map((i) => i.href === null)).toEqual([true, true, false]);
    // Nothing became markup: each item is text, and a link at most.
    expect(await s.page.locator("#all li *:not(a)").count()).toBe(0);
    expect(await s.page.evaluate(() => (window as { pwned?: number }).pwned)).toBeUndefined();
    expectNoErrors(s);
  });

  it("leaves the page's own content where the site is unknown", async () => {
    await openPage(uniqueId("nosite"), '<ul id="all" data-comments-recent><li>Soon</li></ul>');
    await s.page.waitForLoadState("networkidle");
    expect(await s.page.locator("#all").innerHTML()).toBe("<li>Soon</li>");
    expect(s.pageErrors).toEqual([]);
  });
});
