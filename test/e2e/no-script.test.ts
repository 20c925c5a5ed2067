// Without JavaScript (issue 16): an article whose server put Parley's thread.html into the page
// shows the comments, and its plain form posts a comment that the reader then sees on the article.
// The article is on another origin than the API, as on a real site.
import { describe, expect, it } from "vitest";
import { baseUrl, call, createSite, post, uniqueId } from "./api";
import { article, otherOrigin, useBrowser } from "./browser";

const s = useBrowser();

describe("an article with server-rendered comments, JavaScript off", () => {
  it("shows the comments, and its plain form posts one that the article then shows", async () => {
    const site = await createSite();
    const page = `${otherOrigin()}/noscript/${uniqueId("p")}`;
    await post(site.id, page, { author: { name: "Early reader" }, body: "Seen by everyone" });
    // The article's own server includes the fragment as it renders the page, every time.
    const fragment = async () =>
      (
        await call("GET", `/api/v1/sites/${site.id}/thread.html?page=${encodeURIComponent(page)}`)
      ).text();
    const context = await s.browser.newContext({ javaScriptEnabled: false });
    try {
      const reader = await context.newPage();
      await reader.route(
        (url) => url.href.split("#")[0] === page,
        async (route) =>
          route.fulfill({
            contentType: "text/html; charset=utf-8",
            body: article({ body: `<div id="comments">${await fragment()}</div>` }),
          }),
      );
      await reader.goto(page);
      await reader.getByText("Seen by everyone").waitFor();
      expect(await reader.getByRole("heading", { level: 2 }).textContent()).toMatch(/1 Response/);

      const form = reader.locator("form.parley-form");
      await form.getByLabel("Name").fill("No-script reader");
      await form.getByLabel("Comment").fill("Posted without JavaScript");
      // The answer sends the reader back to their comment on the article. (The browser follows
      // that redirect past the test's route for the article, so the article is opened again.)
      await Promise.all([
        reader.waitForURL((url) => url.href.startsWith(`${page}#comment-c_`), {
          waitUntil: "commit",
        }),
        form.getByRole("button").click(),
      ]);
      const id = new URL(reader.url()).hash.slice(1);
      await reader.goto(page);
      await reader.getByText("Posted without JavaScript").waitFor();
      expect(await reader.locator(`#${id}`).textContent()).toContain("No-script reader");
      expect(new URL(reader.url()).origin).not.toBe(baseUrl());
    } finally {
      await context.close();
    }
  });

  it("follows Show more replies to the rest of a long subtree, whose Reply links lead back to the article's form", async () => {
    const site = await createSite();
    const page = `${otherOrigin()}/noscript/${uniqueId("p")}`;
    const root = (await post(site.id, page, { body: "Many answers" })).comment.id;
    // More than the first page shows under one comment (20, services/comments/reading.ts): all
    // at once, then the last alone, so that it is the last in the thread's order too (it is
    // checked to be left out below).
    const answer = async (i: number) =>
      (await post(site.id, page, { parentId: root, body: `Answer ${i}` })).comment.id;
    const REPLIES = 22;
    await Promise.all(Array.from({ length: REPLIES - 1 }, (_, i) => answer(i)));
    const last = await answer(REPLIES - 1);
    const context = await s.browser.newContext({ javaScriptEnabled: false });
    try {
      const reader = await context.newPage();
      // The article's server includes the fragment, passing a reader's ?replyto= on to it.
      await reader.route(
        (url) => url.href.startsWith(page),
        async (route) => {
          const replyTo = new URL(route.request().url()).searchParams.get("replyto");
          const query = `page=${encodeURIComponent(page)}${replyTo ? `&replyto=${replyTo}` : ""}`;
          const fragment = await (
            await call("GET", `/api/v1/sites/${site.id}/thread.html?${query}`)
          ).text();
          await route.fulfill({
            contentType: "text/html; charset=utf-8",
            body: article({ body: `<div id="comments">${fragment}</div>` }),
          });
        },
      );
      await reader.goto(page);
      expect(await reader.locator(`#comment-${last}`).count()).toBe(0);
      // The link is a page of Parley's own (replies.html), opened as a reader opens any link.
      await reader.getByRole("link", { name: "Show more replies" }).click();
      await reader
        .locator(`#comment-${last}`)
        .getByText(`Answer ${REPLIES - 1}`)
        .waitFor();
      expect(new URL(reader.url()).pathname).toBe(
        `/api/v1/sites/${site.id}/comments/${root}/replies.html`,
      );
      await reader.locator(`#comment-${last}`).getByRole("link", { name: "Reply" }).click();
      await reader.locator("form.parley-form").waitFor();
      expect(reader.url().startsWith(page)).toBe(true);
      expect(await reader.locator('form.parley-form input[name="parentId"]').inputValue()).toBe(
        last,
      );
    } finally {
      await context.close();
    }
  });
});
