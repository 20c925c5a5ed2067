// Accessibility: axe finds nothing (it reads open shadow roots), a keyboard alone can reply, and
// right-to-left languages mirror the layout.
import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { baseUrl, newThread, post, thread } from "./api";
import { axeViolations } from "./axe";
import {
  announcements,
  articleOf,
  expectNoErrors,
  fieldsOf,
  isFocused,
  item,
  LABELS,
  mainForm,
  openWidget,
  replyForm,
  useBrowser,
  waitReady,
} from "./browser";

const s = useBrowser();

/** The element that has the focus, followed through shadow roots. */
function deepFocus(page: Page) {
  return page.evaluate(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    if (!el || el === document.body) return null;
    const labels = (el as HTMLInputElement).labels;
    return {
      tag: el.tagName.toLowerCase(),
      name: (
        el.getAttribute("aria-label") ??
        labels?.[0]?.textContent ??
        el.textContent ??
        ""
      ).trim(),
      comment: el.closest('li[id^="comment-"]')?.id ?? null,
      inWidget: el.getRootNode() !== document,
    };
  });
}

/**
 * Presses Tab until `target` has the focus, as a keyboard user would; if `max` presses do not
 * reach it, goes back with Shift+Tab past the starting point.
 */
async function tabTo(page: Page, target: Locator, max = 40): Promise<void> {
  for (const [key, presses] of [
    ["Tab", max],
    ["Shift+Tab", 2 * max],
  ] as const) {
    for (let i = 0; i < presses; i++) {
      if (await isFocused(target)) return;
      await page.keyboard.press(key);
    }
  }
  throw new Error(`could not reach ${target} with the keyboard`);
}

describe("accessibility", () => {
  it("labels the form's heading, fields and button as documented", async () => {
    const { site, path } = await newThread({ section: "a11y" });
    await openWidget(s, { site, path });
    const form = mainForm(s.page);
    expect(await form.count()).toBe(1);
    const found = await Promise.all(
      Object.values(LABELS).map(async (label) => ({
        label,
        fields: await form.getByLabel(label, { exact: true }).count(),
      })),
    );
    expect(found).toEqual(Object.values(LABELS).map((label) => ({ label, fields: 1 })));
    expect(await form.getByRole("button", { name: "Post Comment" }).count()).toBe(1);

    // The honeypot: named hp, out of sight, out of the tab order and the accessibility tree.
    const hp = form.locator('input[name="hp"]');
    expect(await hp.getAttribute("tabindex")).toBe("-1");
    const box = await hp.boundingBox();
    expect(
      !box || box.y + box.height <= 0 || box.x + box.width <= 0 || box.width * box.height <= 1,
    ).toBe(true);
    expect(await form.getByRole("textbox", { name: "hp" }).count()).toBe(0);
    expectNoErrors(s);
  });

  it("finds no axe violations on the demo article with its discussion", async () => {
    await s.page.goto(`${baseUrl()}/demo`);
    expect(await waitReady(s.page)).toBe("ready");
    expect(await s.page.locator('#comments li[id^="comment-"]').count()).toBeGreaterThan(0);
    expect(await axeViolations(s.page)).toEqual([]);
    expectNoErrors(s);
  });

  it("finds no axe violations with a reply form open, in light and dark themes", async () => {
    const { site, path, page } = await newThread({ section: "a11y" });
    const root = await post(site, page, {
      author: { name: "Bruno", website: "https://bruno.example" },
      body: "A point with a [link](https://example.com).",
    });
    await post(site, page, { author: { name: "Caro" }, parentId: root.comment.id });

    for (const theme of ["light", "dark"] as const) {
      await openWidget(s, { site, path, theme });
      await articleOf(s.page, root.comment.id).getByRole("button", { name: "Reply" }).click();
      await replyForm(s.page, "Bruno").waitFor();
      expect({ theme, violations: await axeViolations(s.page) }).toEqual({ theme, violations: [] });
    }
    expectNoErrors(s);
  });

  // Issue 14: the notify choices appear once an email is typed.
  it("finds no axe violations with the notify choices shown", async () => {
    const { site, path } = await newThread({ section: "a11y" });
    await openWidget(s, { site, path });
    const form = mainForm(s.page);
    await fieldsOf(form).email.fill("reader@example.com");
    const checkbox = form.getByRole("checkbox", { name: "Notify me of replies by email" });
    await checkbox.check();
    expect(await axeViolations(s.page)).toEqual([]);
    expectNoErrors(s);
  });

  it("lets a keyboard-only reader reply and hear that it was published", async () => {
    const { site, path, page } = await newThread({ section: "a11y" });
    const root = await post(site, page, { author: { name: "Bruno" }, body: "Thoughts?" });
    await post(site, page, { author: { name: "Clara" }, body: "Later comment" });
    await openWidget(s, { site, path });

    const replyButton = articleOf(s.page, root.comment.id).getByRole("button", { name: "Reply" });
    await tabTo(s.page, replyButton);
    await s.page.keyboard.press("Enter");
    const form = replyForm(s.page, "Bruno");
    await form.waitFor();
    const fields = fieldsOf(form);
    expect(await isFocused(fields.body)).toBe(true);
    await s.page.keyboard.type("Typed without a mouse.");
    await tabTo(s.page, fields.name, 10);
    await s.page.keyboard.type("Keya");
    const submit = form.locator('button[type="submit"], input[type="submit"]');
    await tabTo(s.page, submit, 10);
    await s.page.keyboard.press("Enter");

    const reply = item(s.page, root.comment.id).locator('ol > li[id^="comment-"]');
    await reply.waitFor();
    expect(await reply.textContent()).toContain("Typed without a mouse.");
    await expect.poll(() => announcements(s.page)).toContain("Your comment was published.");
    // Focus is not dropped on the page's body: it stays in the discussion.
    const focus = await deepFocus(s.page);
    expect(focus?.inWidget).toBe(true);
    expect((await thread(site, page)).comments[1]?.parentId).toBe(root.comment.id);
    expectNoErrors(s);
  });
});

describe("right-to-left", () => {
  async function boxes(parent: string, reply: string) {
    const p = await articleOf(s.page, parent).boundingBox();
    const r = await articleOf(s.page, reply).boundingBox();
    if (!p || !r) throw new Error("comment not on screen");
    return { p, r };
  }

  it("mirrors the section for Arabic: dir=rtl, Arabic heading, replies indented from the right", async () => {
    const { site, path, page } = await newThread({ section: "a11y" });
    const root = await post(site, page, { author: { name: "سارة" }, body: "مرحبا" });
    const reply = await post(site, page, {
      author: { name: "Omar" },
      body: "رد",
      parentId: root.comment.id,
    });

    await openWidget(s, { site, path, lang: "ar" });
    expect(await s.page.locator("#comments section").getAttribute("dir")).toBe("rtl");
    expect(await s.page.locator("#comments h2").textContent()).toMatch(/[\u0600-\u06ff]/);
    const rtl = await boxes(root.comment.id, reply.comment.id);
    expect(rtl.p.x + rtl.p.width - (rtl.r.x + rtl.r.width)).toBeGreaterThan(8);

    // The same thread in English is indented from the left.
    await openWidget(s, { site, path, lang: "en" });
    expect(await s.page.locator("#comments section").getAttribute("dir")).not.toBe("rtl");
    const ltr = await boxes(root.comment.id, reply.comment.id);
    expect(ltr.r.x - ltr.p.x).toBeGreaterThan(8);
    expectNoErrors(s);
  });

  it("keeps the English fallback left to right on a page in a right-to-left language it lacks", async () => {
    const { site, path, page } = await newThread({ section: "a11y" });
    await post(site, page);
    await openWidget(s, { site, path, lang: "he" });
    const section = s.page.locator("#comments section");
    expect(await section.getAttribute("lang")).toBe("en");
    expect(await section.getAttribute("dir")).not.toBe("rtl");
    expect(await s.page.locator("#comments h2").textContent()).toMatch(/Response/);
    expectNoErrors(s);
  });

  it("takes the language from <html lang> when the script names none", async () => {
    const { site, path, page } = await newThread({ section: "a11y" });
    await post(site, page);
    const url = `${baseUrl()}${path}`;
    await s.page.route(url, (route) =>
      route.fulfill({
        contentType: "text/html",
        body: `<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>مقال</title></head>
<body><main><h1>مقال</h1><div id="comments"></div>
<script src="${baseUrl()}/widget.js" data-site="${site}" async></script></main></body></html>`,
      }),
    );
    await s.page.goto(url);
    expect(await waitReady(s.page)).toBe("ready");
    expect(await s.page.locator("#comments section").getAttribute("dir")).toBe("rtl");
    expect(await s.page.locator("#comments h2").textContent()).toMatch(/[\u0600-\u06ff]/);
    expectNoErrors(s);
  });
});
