// First paint: what a reader sees when the article page opens, and what it cost the network.
import { describe, expect, it } from "vitest";
import { deleteOwn, newThread, post } from "./api";
import {
  apiCalls,
  articleOf,
  expectNoErrors,
  heading,
  item,
  openWidget,
  useBrowser,
} from "./browser";

const s = useBrowser();

/** For each rendered comment: its id, the comment whose `<li>` holds it, and its list's tag. */
function tree() {
  return s.page.evaluate(() => {
    const root = document.querySelector("#comments")?.shadowRoot;
    return [...(root?.querySelectorAll('li[id^="comment-"]') ?? [])].map((li) => ({
      id: li.id.slice("comment-".length),
      parent: li.parentElement?.closest('li[id^="comment-"]')?.id.slice("comment-".length) ?? null,
      list: li.parentElement?.tagName.toLowerCase(),
    }));
  });
}

describe("first paint", () => {
  it("draws nested replies in display order, each inside its parent's list", async () => {
    const { site, page, path } = await newThread({ section: "render" });
    const a = await post(site, page, { author: { name: "Ana" }, body: "First" });
    const d = await post(site, page, { author: { name: "Dora" }, body: "Second root" });
    const b = await post(site, page, {
      author: { name: "Bruno" },
      body: "Reply to Ana",
      parentId: a.comment.id,
    });
    const c = await post(site, page, {
      author: { name: "Caro" },
      body: "Reply to Bruno",
      parentId: b.comment.id,
    });
    const e = await post(site, page, {
      author: { name: "Eli" },
      body: "Second reply to Ana",
      parentId: a.comment.id,
    });

    await openWidget(s, { site, path, title: "T" });

    expect(await tree()).toEqual([
      { id: a.comment.id, parent: null, list: "ol" },
      { id: b.comment.id, parent: a.comment.id, list: "ol" },
      { id: c.comment.id, parent: b.comment.id, list: "ol" },
      { id: e.comment.id, parent: a.comment.id, list: "ol" },
      { id: d.comment.id, parent: null, list: "ol" },
    ]);
    expect(await articleOf(s.page, c.comment.id).textContent()).toContain("Reply to Bruno");
    // Replies are counted too.
    expect(await heading(s.page)).toBe("5 Responses to “T”");
    expectNoErrors(s);
  });

  it('says "No Responses Yet" on a page without comments', async () => {
    const { site, path } = await newThread({ section: "render" });
    await openWidget(s, { site, path, title: "Quiet" });
    expect(await heading(s.page)).toBe("No Responses Yet");
    expect(await s.page.locator('#comments li[id^="comment-"]').count()).toBe(0);
    expectNoErrors(s);
  });

  it("uses the singular for one response and the plural for more", async () => {
    const one = await newThread({ section: "render" });
    await post(one.site, one.page);
    await openWidget(s, { site: one.site, path: one.path, title: "T" });
    expect(await heading(s.page)).toBe("1 Response to “T”");

    const three = await newThread({ section: "render" });
    for (let i = 0; i < 3; i++) await post(three.site, three.page);
    await openWidget(s, { site: three.site, path: three.path, title: "T" });
    expect(await heading(s.page)).toBe("3 Responses to “T”");
    expectNoErrors(s);
  });

  it("names the page from data-title, else og:title, else the document title", async () => {
    const { site, page, path } = await newThread({ section: "render" });
    await post(site, page);
    const og = '<meta property="og:title" content="From OG">';

    await openWidget(s, { site, path, title: "From data-title", head: og, pageTitle: "Doc" });
    expect(await heading(s.page)).toBe("1 Response to “From data-title”");

    await openWidget(s, { site, path, head: og, pageTitle: "Doc" });
    expect(await heading(s.page)).toBe("1 Response to “From OG”");

    await openWidget(s, { site, path, pageTitle: "From the document" });
    expect(await heading(s.page)).toBe("1 Response to “From the document”");
    expectNoErrors(s);
  });

  it("shows when each comment was written, linking only authors who gave a website", async () => {
    const { site, page, path } = await newThread({ section: "render" });
    const withSite = await post(site, page, {
      author: { name: "Ana", website: "https://ana.example/blog" },
    });
    const without = await post(site, page, { author: { name: "Bruno" } });
    await openWidget(s, { site, path });

    const time = articleOf(s.page, withSite.comment.id).locator("time");
    const datetime = (await time.getAttribute("datetime")) ?? "";
    expect(Date.parse(datetime)).toBe(Date.parse(withSite.comment.createdAt));
    expect((await time.getAttribute("title"))?.trim()).toBeTruthy();
    const relative = ((await time.textContent()) ?? "").trim();
    expect(relative).not.toBe("");
    expect(relative).not.toContain(datetime);

    const link = articleOf(s.page, withSite.comment.id).getByRole("link", { name: "Ana" });
    expect(await link.getAttribute("href")).toBe("https://ana.example/blog");
    const rel = ((await link.getAttribute("rel")) ?? "").split(/\s+/);
    expect(rel).toEqual(expect.arrayContaining(["nofollow", "ugc", "noopener"]));

    const plain = articleOf(s.page, without.comment.id);
    expect(await plain.getByText("Bruno", { exact: true }).count()).toBe(1);
    expect(await plain.getByRole("link", { name: "Bruno" }).count()).toBe(0);
    expectNoErrors(s);
  });

  it("builds the body from the structured tree", async () => {
    const { site, page, path } = await newThread({ section: "render" });
    const posted = await post(site, page, {
      body: [
        "Plain, **strong**, *emphasis* and `code`.",
        "> quoted words",
        "- first\n- second",
        "3. third\n4. fourth",
        "See [the report](https://example.com/report).",
        "```\nlet x = 1;\n```",
      ].join("\n\n"),
    });
    await openWidget(s, { site, path });

    const body = articleOf(s.page, posted.comment.id);
    expect(await body.locator("strong").textContent()).toBe("strong");
    expect(await body.locator("em").textContent()).toBe("emphasis");
    expect(await body.locator("code").first().textContent()).toBe("code");
    expect(((await body.locator("blockquote").textContent()) ?? "").trim()).toBe("quoted words");
    expect(await body.locator("ul > li").allTextContents()).toEqual(["first", "second"]);
    expect(await body.locator("ol > li").allTextContents()).toEqual(["third", "fourth"]);
    expect(await body.locator("ol").getAttribute("start")).toBe("3");
    expect(await body.locator("pre").textContent()).toContain("let x = 1;");
    const link = body.getByRole("link", { name: "the report" });
    expect(await link.getAttribute("href")).toBe("https://example.com/report");
    // Readers' links: no ranking credit for spammers (as WordPress marks them).
    expect((await link.getAttribute("rel"))?.split(/\s+/)).toEqual(
      expect.arrayContaining(["nofollow", "ugc"]),
    );
    expectNoErrors(s);
  });

  it("paints with one API request, one locale file and no image downloads", async () => {
    const { site, page, path } = await newThread({ section: "render" });
    const root = await post(site, page, {
      author: { name: "Ana", email: "ana@example.com" },
    });
    await post(site, page, { author: { name: "Bruno" }, parentId: root.comment.id });
    const url = await openWidget(s, { site, path });
    await s.page.waitForLoadState("networkidle");

    // The avatar is drawn here: the author's initial on a colour from their seed.
    const avatar = articleOf(s.page, root.comment.id).locator(".avatar");
    expect(await avatar.textContent()).toBe("A");
    expect(await avatar.evaluate((e) => getComputedStyle(e).backgroundColor)).toMatch(/^rgb\(/);
    expect(await s.page.locator("#comments img").count()).toBe(0);

    expect(apiCalls(s)).toEqual([`GET /api/v1/sites/${site}/thread`]);
    const others = s.requests
      .map((r) => new URL(r.url()))
      .filter((u) => u.href !== url && u.pathname !== "/favicon.ico")
      .map((u) => u.pathname)
      .filter((p) => p !== "/widget.js" && !p.startsWith("/api/"));
    // The strings of the page's language (English here): one file, nothing else.
    expect(others).toEqual(["/i18n/en.txt"]);
    expectNoErrors(s);
  });

  it("keeps a deleted comment that has replies as a placeholder above them", async () => {
    const { site, page, path } = await newThread({ section: "render" });
    const gone = await post(site, page, {
      author: { name: "Xavier" },
      body: "Words that will go",
    });
    const reply = await post(site, page, {
      author: { name: "Yara" },
      body: "A reply that stays",
      parentId: gone.comment.id,
    });
    await deleteOwn(site, gone);
    await openWidget(s, { site, path });

    const placeholder = item(s.page, gone.comment.id);
    const text = (await placeholder.textContent()) ?? "";
    expect(text).toContain("This comment was deleted.");
    expect(text).not.toContain("Xavier");
    expect(text).not.toContain("Words that will go");
    expect(await tree()).toEqual([
      { id: gone.comment.id, parent: null, list: "ol" },
      { id: reply.comment.id, parent: gone.comment.id, list: "ol" },
    ]);
    expect(await articleOf(s.page, reply.comment.id).textContent()).toContain("A reply that stays");
    expectNoErrors(s);
  });

  /** The section's visible words: headings, labels, buttons and accessible names. */
  function words() {
    return s.page.evaluate(() => {
      const root = document.querySelector("#comments")?.shadowRoot;
      const els = [
        ...(root?.querySelectorAll("h2, h3, label, button, a[data-action], [aria-label]") ?? []),
      ];
      return els
        .flatMap((el) => [el.getAttribute("aria-label"), el.textContent])
        .map((t) => (t ?? "").trim())
        .filter((t) => /\p{L}{2}/u.test(t));
    });
  }

  it("speaks every supported language without placeholders or English leftovers", async () => {
    const { site, page, path } = await newThread({ section: "render" });
    await post(site, page);
    await post(site, page);
    await openWidget(s, { site, path, title: "T", lang: "en" });
    const english = new Set(await words());
    expect(english.size).toBeGreaterThan(10);

    for (const lang of ["es", "fr", "de", "pt", "ru", "zh", "ja", "ar"]) {
      await openWidget(s, { site, path, title: "T", lang });
      const local = await words();
      const leftovers = local.filter((w) => english.has(w));
      const problems = {
        lang,
        placeholders: local.filter((w) => /[{}]/.test(w)),
        englishHeading: english.has(await heading(s.page)),
        // Some words are the same in both languages ("Name", "Link" in German); most are not.
        mostlyTranslated: leftovers.length <= local.length / 4,
        sectionLang: await s.page.locator("#comments section").getAttribute("lang"),
      };
      expect(problems).toEqual({
        lang,
        placeholders: [],
        englishHeading: false,
        mostlyTranslated: true,
        sectionLang: lang,
      });
    }
    expectNoErrors(s);
  });
});
