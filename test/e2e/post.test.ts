// A reader's actions: posting, replying, editing and deleting their own words, paging, sorting,
// voting, reporting, and arriving through a permalink.
import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { baseUrl, newThread, post, postAll, thread, vote } from "./api";
import {
  announcements,
  apiCalls,
  articleOf,
  expectNoErrors,
  fieldsOf,
  fill,
  heading,
  isFocused,
  item,
  mainForm,
  openWidget,
  renderedIds,
  replyForm,
  useBrowser,
  valuesOf,
  waitReady,
} from "./browser";

const s = useBrowser();

/** Ids of the top-level comments on screen, in order. */
function rootIds(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const root = document.querySelector("#comments")?.shadowRoot;
    return [...(root?.querySelectorAll('li[id^="comment-"]') ?? [])]
      .filter((li) => !li.parentElement?.closest('li[id^="comment-"]'))
      .map((li) => li.id.slice("comment-".length));
  });
}

/** Posts through the main form and waits until the new comment is on screen; returns its id. */
async function postThroughForm(page: Page, body: string, name = "Reader"): Promise<string> {
  const form = mainForm(page);
  await fill(form, { name, body });
  const response = page.waitForResponse(
    (r) => r.request().method() === "POST" && r.url().endsWith("/comments"),
  );
  await form.getByRole("button", { name: "Post Comment" }).click();
  const { comment } = (await (await response).json()) as { comment: { id: string } };
  await item(page, comment.id).waitFor();
  return comment.id;
}

/** The number shown with a comment's vote buttons (in the box that holds both of them). */
function shownScore(article: Locator): Promise<number> {
  return article.getByRole("button", { name: "Vote up" }).evaluate((up) => {
    let box = up.parentElement;
    while (box && box.querySelectorAll("button").length < 2) box = box.parentElement;
    const match = (box?.textContent ?? "").replaceAll("\u2212", "-").match(/-?\d+/);
    return match ? Number(match[0]) : Number.NaN;
  });
}

describe("posting", () => {
  it("publishes a comment from the form and shows it in place", async () => {
    const { site, path, page } = await newThread({ section: "post" });
    await openWidget(s, { site, path, title: "T" });
    const form = mainForm(s.page);
    await fill(form, {
      name: "Marta",
      email: "marta@example.com",
      website: "https://marta.example",
      body: "A first thought, **firmly** held.",
    });
    await form.getByRole("button", { name: "Post Comment" }).click();

    const mine = s.page.locator('#comments li[id^="comment-"]');
    await mine.first().waitFor();
    expect(await mine.count()).toBe(1);
    expect(await mine.locator("strong").textContent()).toBe("firmly");
    await expect.poll(() => announcements(s.page)).toContain("Your comment was published.");

    const stored = await thread(site, page);
    expect(stored.comments.map((c) => [c.id, c.author?.name, c.author?.website])).toEqual([
      [(await mine.getAttribute("id"))?.slice("comment-".length), "Marta", "https://marta.example"],
    ]);
    expectNoErrors(s);
  });

  it("opens the reply form under the comment and returns focus when it is cancelled", async () => {
    const { site, path, page } = await newThread({ section: "post" });
    const [bruno, next] = await postAll(site, page, [
      { author: { name: "Bruno" }, body: "Reply to me" },
      { author: { name: "Clara" }, body: "I come next" },
    ]);
    if (!bruno || !next) throw new Error("fixture");
    await openWidget(s, { site, path });

    const replyButton = articleOf(s.page, bruno.comment.id).getByRole("button", { name: "Reply" });
    await replyButton.click();
    const form = replyForm(s.page, "Bruno");
    await form.waitFor();
    // Inline: below Bruno's comment, above the next one.
    const formBox = await form.boundingBox();
    const brunoBox = await articleOf(s.page, bruno.comment.id).boundingBox();
    const nextBox = await articleOf(s.page, next.comment.id).boundingBox();
    expect(formBox?.y).toBeGreaterThanOrEqual((brunoBox?.y ?? 0) + (brunoBox?.height ?? 0) - 1);
    expect(formBox?.y).toBeLessThan(nextBox?.y ?? 0);
    expect(await isFocused(fieldsOf(form).body)).toBe(true);

    await form.getByRole("button", { name: "Cancel reply" }).click();
    await form.waitFor({ state: "detached" });
    expect(await isFocused(replyButton)).toBe(true);
    expectNoErrors(s);
  });

  it("posts a reply nested under its parent", async () => {
    const { site, path, page } = await newThread({ section: "post" });
    const bruno = await post(site, page, { author: { name: "Bruno" } });
    await openWidget(s, { site, path });

    await articleOf(s.page, bruno.comment.id).getByRole("button", { name: "Reply" }).click();
    const form = replyForm(s.page, "Bruno");
    await fill(form, { name: "Lia", body: "Answering Bruno" });
    await form.locator('button[type="submit"]').click();

    const reply = item(s.page, bruno.comment.id).locator('ol > li[id^="comment-"]');
    await reply.waitFor();
    expect(await reply.textContent()).toContain("Answering Bruno");
    const stored = await thread(site, page);
    expect(stored.comments.map((c) => c.parentId)).toEqual([null, bruno.comment.id]);
    await expect.poll(() => announcements(s.page)).toContain("Your comment was published.");
    expectNoErrors(s);
  });

  it("lets the author edit their comment, also after a reload", async () => {
    const { site, path, page } = await newThread({ section: "post" });
    const other = await post(site, page, { author: { name: "Someone" } });
    await openWidget(s, { site, path });
    const id = await postThroughForm(s.page, "Frist post");
    expect(
      await articleOf(s.page, other.comment.id).getByRole("button", { name: "Edit" }).count(),
    ).toBe(0);

    await s.page.reload();
    await waitReady(s.page);
    const own = articleOf(s.page, id);
    await own.getByRole("button", { name: "Edit" }).click();
    const editor = item(s.page, id).getByRole("textbox");
    expect(await editor.inputValue()).toBe("Frist post");
    await editor.fill("First post, *corrected*");
    await item(s.page, id).getByRole("button", { name: "Save" }).click();

    await expect
      .poll(() =>
        own
          .locator("em")
          .textContent()
          .catch(() => null),
      )
      .toBe("corrected");
    expect(await own.textContent()).not.toContain("Frist");
    const stored = await thread(site, page);
    expect(stored.comments.find((c) => c.id === id)?.editedAt).not.toBeNull();
    expectNoErrors(s);
  });

  it("deletes the author's comment only after a second, confirming click", async () => {
    const { site, path, page } = await newThread({ section: "post" });
    await openWidget(s, { site, path });
    const id = await postThroughForm(s.page, "Regrettable words");

    await articleOf(s.page, id).getByRole("button", { name: "Delete" }).click();
    expect((await thread(site, page)).thread.count).toBe(1);
    await item(s.page, id).getByRole("button", { name: "Confirm delete" }).click();

    await expect
      .poll(async () =>
        (await item(s.page, id).count()) === 0
          ? "gone"
          : ((await item(s.page, id).textContent()) ?? "").trim(),
      )
      .toMatch(/^(gone|This comment was deleted\.)$/);
    expect((await thread(site, page)).thread.count).toBe(0);
    expectNoErrors(s);
  });

  it("offers Edit and Delete only while the edit window is open", async () => {
    const { site, path } = await newThread({
      section: "post",
      settings: { editWindowSeconds: 60 },
    });
    // The page's clock, moved on instead of waited for; the widget judges the window by it.
    await s.page.clock.install();
    await openWidget(s, { site, path });
    const id = await postThroughForm(s.page, "Quick thought");
    const own = articleOf(s.page, id);
    expect(await own.getByRole("button", { name: "Edit" }).count()).toBe(1);
    expect(await own.getByRole("button", { name: "Delete" }).count()).toBe(1);

    await s.page.clock.fastForward(61_000);
    await s.page.reload();
    expect(await waitReady(s.page)).toBe("ready");
    expect(await articleOf(s.page, id).getByRole("button", { name: "Edit" }).count()).toBe(0);
    expect(await articleOf(s.page, id).getByRole("button", { name: "Delete" }).count()).toBe(0);
    expectNoErrors(s);
  });

  it("places a reply beyond the site's nesting limit under the deepest allowed ancestor", async () => {
    const { site, path, page } = await newThread({ section: "post", settings: { maxDepth: 1 } });
    const root = await post(site, page, { author: { name: "Root" } });
    const child = await post(site, page, {
      author: { name: "Child" },
      parentId: root.comment.id,
    });
    await openWidget(s, { site, path });

    await articleOf(s.page, child.comment.id).getByRole("button", { name: "Reply" }).click();
    const form = replyForm(s.page, "Child");
    await fill(form, { name: "Grandchild", body: "One level too deep" });
    const response = s.page.waitForResponse(
      (r) => r.request().method() === "POST" && r.url().endsWith("/comments"),
    );
    await form.getByRole("button", { name: "Post Comment" }).click();
    const { comment } = (await (await response).json()) as { comment: { id: string } };
    const reply = item(s.page, comment.id);
    await reply.waitFor();
    expect(await reply.textContent()).toContain("One level too deep");
    // A sibling of Child, in Root's list: where the thread will show it after a reload too.
    const parent = await reply.evaluate(
      (li) => li.parentElement?.closest('li[id^="comment-"]')?.id ?? null,
    );
    expect(parent).toBe(`comment-${root.comment.id}`);
    expect((await thread(site, page)).comments.map((c) => c.parentId)).toEqual([
      null,
      root.comment.id,
      root.comment.id,
    ]);
    expectNoErrors(s);
  });

  // Regression: a double click on "Post Comment" published the comment twice while the code for
  // interactions was still loading (post() disabled the button only once it ran). Now the post
  // starts, and disables the button, on the first click; the post is slowed down by a second so
  // that the second click lands while it is on its way.
  it("sends its post's D1 bookmark with the next thread requests, after a reload too", async () => {
    const { site, path } = await newThread({ section: "post" });
    await openWidget(s, { site, path });
    const response = s.page.waitForResponse((r) => r.request().method() === "POST");
    await postThroughForm(s.page, "Read your own writes");
    const { bookmark } = (await (await response).json()) as { bookmark: string };
    expect(bookmark).toEqual(expect.any(String));
    s.requests = [];
    await s.page.reload();
    expect(await waitReady(s.page)).toBe("ready");
    const threadRequest = s.requests
      .map((r) => new URL(r.url()))
      .find((u) => u.pathname.endsWith("/thread"));
    expect(threadRequest?.searchParams.get("bookmark")).toBe(bookmark);
    expectNoErrors(s);
  });

  // Issue 12: avatars come from an author token the widget keeps, not from the email.
  it("keeps the author token of the first post and sends it with the next, after a reload too", async () => {
    const { site, path } = await newThread({ section: "post" });
    await openWidget(s, { site, path });
    const posts = () =>
      s.requests.filter((r) => r.method() === "POST" && r.url().endsWith("/comments"));
    const first = s.page.waitForResponse((r) => r.request().method() === "POST");
    const firstId = await postThroughForm(s.page, "My first words here");
    const { authorToken, comment } = (await (await first).json()) as {
      authorToken: string;
      comment: { author: { avatar: string } };
    };
    expect(authorToken).toEqual(expect.any(String));
    expect(posts()[0]?.postDataJSON().authorToken).toBeUndefined();
    await s.page.reload();
    expect(await waitReady(s.page)).toBe("ready");
    const second = s.page.waitForResponse((r) => r.request().method() === "POST");
    const secondId = await postThroughForm(s.page, "And my second words");
    const answer = (await (await second).json()) as { comment: { author: { avatar: string } } };
    expect(posts().at(-1)?.postDataJSON().authorToken).toBe(authorToken);
    expect(answer.comment.author.avatar).toBe(comment.author.avatar);
    const colour = (id: string) =>
      articleOf(s.page, id)
        .locator(".avatar")
        .evaluate((e) => getComputedStyle(e).backgroundColor);
    expect(await colour(secondId)).toBe(await colour(firstId));
    expectNoErrors(s);
  });

  it("sends one comment however fast the reader clicks Post twice", async () => {
    const { site, path, page } = await newThread({ section: "post" });
    await openWidget(s, { site, path });
    // The post is held on its way until both clicks have happened: the second lands while the
    // first is in flight, however fast the machine.
    let release = () => {};
    const clicked = new Promise<void>((resolve) => {
      release = resolve;
    });
    await s.page.route(`${baseUrl()}/api/v1/sites/${site}/comments`, async (route) => {
      await clicked;
      await route.continue();
    });
    const form = mainForm(s.page);
    await fill(form, { name: "Hasty", body: "Only once, please" });
    await form.getByRole("button", { name: "Post Comment" }).dblclick();
    release();
    await s.page.locator("#comments li").filter({ hasText: "Only once, please" }).first().waitFor();
    await s.page.waitForLoadState("networkidle");
    expect(apiCalls(s).filter((c) => c.startsWith("POST"))).toHaveLength(1);
    expect((await thread(site, page)).thread.count).toBe(1);
    expect(
      await s.page.locator("#comments li").filter({ hasText: "Only once, please" }).count(),
    ).toBe(1);
    expectNoErrors(s);
  });

  it("leaves a placeholder when the author deletes a comment that has replies", async () => {
    const { site, path, page } = await newThread({ section: "post" });
    await openWidget(s, { site, path });
    const id = await postThroughForm(s.page, "I may regret this");
    const reply = await post(site, page, {
      author: { name: "Replier" },
      body: "Answer below",
      parentId: id,
    });
    await s.page.reload();
    await waitReady(s.page);

    await articleOf(s.page, id).getByRole("button", { name: "Delete" }).click();
    await item(s.page, id).getByRole("button", { name: "Confirm delete" }).click();
    await expect
      .poll(async () => ((await articleOf(s.page, id).textContent()) ?? "").trim())
      .toBe("This comment was deleted.");
    expect(await articleOf(s.page, reply.comment.id).textContent()).toContain("Answer below");
    expect((await thread(site, page)).comments.map((c) => c.status)).toEqual([
      "deleted",
      "published",
    ]);
    expectNoErrors(s);
  });
});

describe("paging and sorting", () => {
  it("loads the next page of top-level comments on request", async () => {
    const { site, path, page } = await newThread({ section: "post" });
    const posted = await postAll(
      site,
      page,
      Array.from({ length: 55 }, (_, i) => ({ body: `Root ${i + 1}` })),
    );
    const ids = posted.map((p) => p.comment.id);
    await openWidget(s, { site, path, title: "Busy" });

    expect(await heading(s.page)).toBe("55 Responses to “Busy”");
    expect(await rootIds(s.page)).toEqual(ids.slice(0, 50));
    await s.page.getByRole("button", { name: "Load more responses" }).click();
    await expect.poll(() => rootIds(s.page)).toEqual(ids);
    expect(await s.page.getByRole("button", { name: "Load more responses" }).count()).toBe(0);
    expectNoErrors(s);
  });

  // Regression: a new top-level comment is shown at the end of the loaded list even when more
  // pages remain; "Load more responses" then fetched it again and a second
  // <li id="comment-<id>"> was added. Now the comment moves to its place in the new page.
  it("does not show a comment twice when the reader posts and then loads more", async () => {
    const { site, path, page } = await newThread({ section: "post" });
    const posted = await postAll(
      site,
      page,
      Array.from({ length: 51 }, (_, i) => ({ body: `Root ${i + 1}` })),
    );
    await openWidget(s, { site, path });
    const mine = await postThroughForm(s.page, "Posted while page 2 was unread");

    await s.page.getByRole("button", { name: "Load more responses" }).click();
    await expect.poll(async () => (await rootIds(s.page)).length).toBeGreaterThanOrEqual(52);
    await s.page.waitForLoadState("networkidle");
    const ids = await rootIds(s.page);
    expect({ twice: ids.filter((id, i) => ids.indexOf(id) !== i), mine }).toEqual({
      twice: [],
      mine,
    });
    expect(new Set(ids)).toEqual(new Set([...posted.map((p) => p.comment.id), mine]));
    // Where the thread puts it: after the 51 earlier comments.
    expect(ids.at(-1)).toBe(mine);
    expectNoErrors(s);
  });

  it("continues a long reply subtree on request", async () => {
    const { site, path, page } = await newThread({ section: "post" });
    const root = await post(site, page, { body: "Talk to me" });
    const replies = await postAll(
      site,
      page,
      Array.from({ length: 25 }, (_, i) => ({ body: `Reply ${i + 1}`, parentId: root.comment.id })),
    );
    const replyIds = replies.map((r) => r.comment.id);
    await openWidget(s, { site, path });

    const shown = async () => (await renderedIds(s.page)).filter((id) => id !== root.comment.id);
    const first = await shown();
    expect(first.length).toBeGreaterThan(0);
    expect(first.length).toBeLessThan(25);
    expect(first).toEqual(replyIds.slice(0, first.length));

    const more = s.page.getByRole("button", { name: "Show more replies" });
    while ((await more.count()) > 0 && (await shown()).length < 25) {
      const before = (await shown()).length;
      await more.first().click();
      await expect.poll(async () => (await shown()).length).toBeGreaterThan(before);
    }
    expect(await shown()).toEqual(replyIds);
    expect(await more.count()).toBe(0);
    // All of them nested under the root.
    expect(await item(s.page, root.comment.id).locator('li[id^="comment-"]').count()).toBe(25);
    expectNoErrors(s);
  });

  it("re-orders the thread when the reader picks another sort", async () => {
    const { site, path, page } = await newThread({ section: "post" });
    const [a, b, c] = (
      await postAll(site, page, [{ body: "A" }, { body: "B" }, { body: "C" }])
    ).map((p) => p.comment.id);
    if (!a || !b || !c) throw new Error("fixture");
    await vote(site, b, 1);
    await vote(site, c, -1);
    await openWidget(s, { site, path });

    const pressed = async () =>
      Object.fromEntries(
        await Promise.all(
          ["Oldest", "Newest", "Top"].map(async (name) => [
            name,
            await s.page.getByRole("button", { name, exact: true }).getAttribute("aria-pressed"),
          ]),
        ),
      );
    expect(await rootIds(s.page)).toEqual([a, b, c]);
    expect(await pressed()).toEqual({ Oldest: "true", Newest: "false", Top: "false" });

    await s.page.getByRole("button", { name: "Newest", exact: true }).click();
    await expect.poll(() => rootIds(s.page)).toEqual([c, b, a]);
    expect(await pressed()).toEqual({ Oldest: "false", Newest: "true", Top: "false" });

    await s.page.getByRole("button", { name: "Top", exact: true }).click();
    await expect.poll(() => rootIds(s.page)).toEqual([b, a, c]);
    expect(await pressed()).toEqual({ Oldest: "false", Newest: "false", Top: "true" });
    expectNoErrors(s);
  });

  it("starts in the order named by data-sort", async () => {
    const { site, path, page } = await newThread({ section: "post" });
    const ids = (await postAll(site, page, [{ body: "A" }, { body: "B" }, { body: "C" }])).map(
      (p) => p.comment.id,
    );
    await openWidget(s, { site, path, sort: "newest" });
    expect(await rootIds(s.page)).toEqual([...ids].reverse());
    expect(
      await s.page
        .getByRole("button", { name: "Newest", exact: true })
        .getAttribute("aria-pressed"),
    ).toBe("true");
    expect(apiCalls(s)).toEqual([`GET /api/v1/sites/${site}/thread`]);
    expect(
      s.requests
        .map((r) => new URL(r.url()))
        .find((u) => u.pathname.endsWith("/thread"))
        ?.searchParams.get("sort"),
    ).toBe("newest");
    expectNoErrors(s);
  });
});

describe("reader actions", () => {
  it("shows the new score after a vote", async () => {
    const { site, path, page } = await newThread({ section: "post" });
    const posted = await post(site, page, { body: "Vote on me" });
    await openWidget(s, { site, path });
    const article = articleOf(s.page, posted.comment.id);
    expect(await shownScore(article)).toBe(0);

    await article.getByRole("button", { name: "Vote up" }).click();
    await expect.poll(() => shownScore(article)).toBe(1);
    expect((await thread(site, page)).comments[0]?.score).toBe(1);

    // Voting again replaces the earlier vote.
    await article.getByRole("button", { name: "Vote down" }).click();
    await expect.poll(() => shownScore(article)).toBe(-1);
    expect((await thread(site, page)).comments[0]?.score).toBe(-1);
    expectNoErrors(s);
  });

  it("sends a report with its reason and thanks the reader", async () => {
    const { site, path, page } = await newThread({ section: "post" });
    const posted = await post(site, page, { body: "Buy cheap watches" });
    await openWidget(s, { site, path });

    const comment = item(s.page, posted.comment.id);
    await articleOf(s.page, posted.comment.id).getByRole("button", { name: "Report" }).click();
    await comment.getByLabel("Reason").selectOption("spam");
    const flagged = s.page.waitForResponse((r) => r.url().endsWith("/flag"));
    await comment.getByRole("button", { name: "Send report" }).click();

    expect((await flagged).status()).toBe(202);
    await expect
      .poll(() => announcements(s.page))
      .toContain("Thanks, a moderator will take a look.");
    expect(apiCalls(s)).toContain(`POST /api/v1/sites/${site}/comments/${posted.comment.id}/flag`);
    expectNoErrors(s);
  });

  it("remembers the reader's name, email and website for the next visit", async () => {
    const { site, path } = await newThread({ section: "post" });
    await openWidget(s, { site, path });
    const form = mainForm(s.page);
    await fill(form, {
      name: "Olga",
      email: "olga@example.com",
      website: "https://olga.example",
      body: "Hello",
    });
    await form.getByRole("button", { name: "Post Comment" }).click();
    await expect.poll(() => announcements(s.page)).toContain("Your comment was published.");

    await s.page.reload();
    expect(await waitReady(s.page)).toBe("ready");
    expect(await valuesOf(mainForm(s.page))).toEqual({
      name: "Olga",
      email: "olga@example.com",
      website: "https://olga.example",
      body: "",
    });
    expectNoErrors(s);
  });
});

describe("permalinks", () => {
  /** Whether the element's box is inside the viewport. */
  const inViewport = (locator: Locator) =>
    locator.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return r.bottom > 0 && r.top < window.innerHeight;
    });

  it("fetches, shows and highlights a linked reply that is not on the first page", async () => {
    const { site, path, page } = await newThread({ section: "post" });
    const roots = await postAll(
      site,
      page,
      Array.from({ length: 52 }, (_, i) => ({ body: `Root ${i + 1}` })),
    );
    const parent = roots[51];
    if (!parent) throw new Error("fixture");
    const target = await post(site, page, {
      author: { name: "Linked" },
      body: "You were sent here",
      parentId: parent.comment.id,
    });
    await openWidget(s, { site, path, hash: `#comment-${target.comment.id}` });

    const li = item(s.page, target.comment.id);
    await li.waitFor();
    // Shown under its ancestor, after the first page, so the reply reads in context.
    expect(
      await item(s.page, parent.comment.id).locator(`#comment-${target.comment.id}`).count(),
    ).toBe(1);
    expect((await rootIds(s.page)).slice(-1)).toEqual([parent.comment.id]);
    await expect.poll(() => li.getAttribute("class")).toMatch(/\bhighlight\b/);
    await expect.poll(() => inViewport(li)).toBe(true);
    expect(apiCalls(s)).toEqual([
      `GET /api/v1/sites/${site}/thread`,
      `GET /api/v1/sites/${site}/comments/${target.comment.id}`,
    ]);
    expectNoErrors(s);
  });

  it("scrolls to and highlights a linked comment on the first page without fetching it", async () => {
    const { site, path, page } = await newThread({ section: "post" });
    const long = "A long paragraph that takes up room on the screen. ".repeat(12);
    const posted = await postAll(
      site,
      page,
      Array.from({ length: 12 }, (_, i) => ({ body: `${i + 1}. ${long}` })),
    );
    const target = posted[11];
    if (!target) throw new Error("fixture");
    await openWidget(s, { site, path, hash: `#comment-${target.comment.id}` });

    const li = item(s.page, target.comment.id);
    await expect.poll(() => li.getAttribute("class")).toMatch(/\bhighlight\b/);
    await expect.poll(() => inViewport(li)).toBe(true);
    expect(await inViewport(articleOf(s.page, posted[0]?.comment.id ?? ""))).toBe(false);
    expect(await rootIds(s.page)).toEqual(posted.map((p) => p.comment.id));
    expect(apiCalls(s)).toEqual([`GET /api/v1/sites/${site}/thread`]);
    expectNoErrors(s);
  });

  it("highlights a comment when the reader follows its Link", async () => {
    const { site, path, page } = await newThread({ section: "post" });
    const [first, second] = await postAll(site, page, [{ body: "One" }, { body: "Two" }]);
    if (!first || !second) throw new Error("fixture");
    await openWidget(s, { site, path });

    await articleOf(s.page, second.comment.id).getByRole("link", { name: "Link" }).click();
    await expect.poll(() => new URL(s.page.url()).hash).toBe(`#comment-${second.comment.id}`);
    await expect
      .poll(() => item(s.page, second.comment.id).getAttribute("class"))
      .toMatch(/\bhighlight\b/);
    expect((await item(s.page, first.comment.id).getAttribute("class")) ?? "").not.toMatch(
      /highlight/,
    );
    expectNoErrors(s);
  });

  // Regression: a linked comment beyond the first page was drawn with a map of its own, so a
  // reply posted to it found no parent and was appended to the list as a top-level comment,
  // although the API stored it as a reply.
  it("nests a reply to a linked comment under it, not at the top level", async () => {
    const { site, path, page } = await newThread({ section: "post" });
    const roots = await postAll(
      site,
      page,
      Array.from({ length: 51 }, (_, i) => ({
        author: { name: `Root${i + 1}` },
        body: `Root ${i + 1}`,
      })),
    );
    const linked = roots[50];
    if (!linked) throw new Error("fixture");
    await openWidget(s, { site, path, hash: `#comment-${linked.comment.id}` });
    await item(s.page, linked.comment.id).waitFor();

    await articleOf(s.page, linked.comment.id).getByRole("button", { name: "Reply" }).click();
    const form = replyForm(s.page, "Root51");
    await fill(form, { name: "Answer", body: "Replying from a permalink" });
    const response = s.page.waitForResponse(
      (r) => r.request().method() === "POST" && r.url().endsWith("/comments"),
    );
    await form.getByRole("button", { name: "Post Comment" }).click();
    const { comment } = (await (await response).json()) as { comment: { id: string } };
    await item(s.page, comment.id).waitFor();

    const parent = await item(s.page, comment.id).evaluate(
      (li) => li.parentElement?.closest('li[id^="comment-"]')?.id ?? null,
    );
    expect(parent).toBe(`comment-${linked.comment.id}`);
    expect((await rootIds(s.page)).includes(comment.id)).toBe(false);
    expectNoErrors(s);
  });

  // Regression: a linked reply not drawn because its subtree was cut at 20 replies was fetched
  // with its ancestors into a block of their own, although its root was already in the list:
  // the root's <li id="comment-<root>"> then existed twice in the shadow root.
  it("shows a linked reply from a cut-short subtree once, without duplicate ids", async () => {
    const { site, path, page } = await newThread({ section: "post" });
    const root = await post(site, page, { body: "Popular" });
    const replies = await postAll(
      site,
      page,
      Array.from({ length: 25 }, (_, i) => ({ body: `Reply ${i + 1}`, parentId: root.comment.id })),
    );
    const target = replies[23];
    if (!target) throw new Error("fixture");
    await openWidget(s, { site, path, hash: `#comment-${target.comment.id}` });

    const li = item(s.page, target.comment.id);
    await expect.poll(() => li.count()).toBeGreaterThan(0);
    const ids = await s.page.evaluate(() =>
      [...(document.querySelector("#comments")?.shadowRoot?.querySelectorAll("[id]") ?? [])].map(
        (e) => e.id,
      ),
    );
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    // In its thread, under the root.
    expect(
      await item(s.page, root.comment.id).locator(`#comment-${target.comment.id}`).count(),
    ).toBe(1);
    await expect.poll(() => li.getAttribute("class")).toMatch(/\bhighlight\b/);

    // Showing the rest of the subtree puts it in its place, still once.
    const more = s.page.getByRole("button", { name: "Show more replies" });
    for (let i = 0; i < 5 && (await more.count()) > 0; i++) {
      const before = (await renderedIds(s.page)).join();
      await more.first().click();
      await expect.poll(async () => (await renderedIds(s.page)).join()).not.toBe(before);
    }
    expect(await renderedIds(s.page)).toEqual([
      root.comment.id,
      ...replies.map((r) => r.comment.id),
    ]);
    expectNoErrors(s);
  });

  it("ignores a link to a comment that does not exist", async () => {
    const { site, path, page } = await newThread({ section: "post" });
    await post(site, page, { body: "Still here" });
    await openWidget(s, { site, path, hash: "#comment-c_doesnotexist" });
    await s.page.waitForLoadState("networkidle");
    expect(await s.page.getByText("Still here").count()).toBe(1);
    expect(await renderedIds(s.page)).toHaveLength(1);
    expect(await s.page.getAttribute("#comments", "data-parley-state")).toBe("ready");
    expectNoErrors(s, { allowFailedLoads: true });
  });
});
