// When a post is not simply published: held for moderation, refused, closed, throttled, or lost
// on the way. The reader is told why and never loses what they typed.
import { describe, expect, it } from "vitest";
import {
  baseUrl,
  call,
  createSite,
  deleteOwn,
  lit,
  newThread,
  post,
  sql,
  thread,
  uniqueId,
} from "./api";
import {
  announcements,
  article,
  articleOf,
  embed,
  expectNoErrors,
  type FormFields,
  fill,
  hostPage,
  mainForm,
  openWidget,
  useBrowser,
  valuesOf,
  waitReady,
} from "./browser";

const s = useBrowser();

const typed: Required<FormFields> = {
  name: "Renata Ilves",
  email: "renata@example.com",
  website: "https://renata.example",
  body: "A carefully written paragraph\nthat must not be lost.",
};

/** Submits `values` through the main form and returns the alert the widget shows. */
async function submitExpectingAlert(values: Required<FormFields>, message: string | RegExp) {
  const form = mainForm(s.page);
  await fill(form, values);
  await form.getByRole("button", { name: "Post Comment" }).click();
  const alert = s.page.locator('#comments [role="alert"]').filter({ hasText: message });
  await alert.first().waitFor({ timeout: 10_000 });
  expect(await valuesOf(form)).toEqual(values);
  return alert;
}

/** Routes the widget's POST of a comment to `handle`; other requests pass through. */
async function interceptPost(site: string, handle: Parameters<typeof s.page.route>[1]) {
  await s.page.route(`${baseUrl()}/api/v1/sites/${site}/comments`, (route, request) =>
    request.method() === "POST" ? handle(route, request) : route.fallback(),
  );
}

describe("held for moderation", () => {
  it("shows the author their pending comment and tells them it awaits moderation", async () => {
    const { site, path, page } = await newThread({
      section: "errors",
      settings: { moderation: "all" },
    });
    const url = await openWidget(s, { site, path });
    const form = mainForm(s.page);
    await fill(form, { ...typed, body: "Please approve me" });
    const posted = s.page.waitForResponse((r) => r.request().method() === "POST");
    await form.getByRole("button", { name: "Post Comment" }).click();
    expect((await posted).status()).toBe(202);

    const mine = s.page.locator('#comments li[id^="comment-"]').filter({
      hasText: "Please approve me",
    });
    await mine.waitFor();
    expect(await mine.textContent()).toContain("Awaiting moderation");
    await expect
      .poll(() => announcements(s.page))
      .toContain("Your comment is held for moderation.");

    // Nobody else sees it.
    expect((await thread(site, page)).comments).toEqual([]);
    const stranger = await s.browser.newContext();
    try {
      const other = await stranger.newPage();
      await hostPage(other, path, article({ body: embed({ site }) }));
      await other.goto(url);
      expect(await waitReady(other)).toBe("ready");
      expect(await other.getByText("Please approve me").count()).toBe(0);
    } finally {
      await stranger.close();
    }
    expectNoErrors(s);
  });
});

describe("the author's own pending comment", () => {
  /** Posts through the main form on a site that holds every comment; returns the comment's id. */
  async function postHeld(body: string): Promise<string> {
    const form = mainForm(s.page);
    await fill(form, { ...typed, body });
    const posted = s.page.waitForResponse((r) => r.request().method() === "POST");
    await form.getByRole("button", { name: "Post Comment" }).click();
    const response = await posted;
    expect(response.status()).toBe(202);
    return ((await response.json()) as { comment: { id: string } }).comment.id;
  }

  const shown = (id: string) => s.page.locator(`#comments li#comment-${id}`);

  it("is shown to its author again after a reload, until it is published", async () => {
    const created = await createSite({ moderation: "all" });
    const path = `/errors/${uniqueId("p")}`;
    await openWidget(s, { site: created.id, path, title: "T" });
    const id = await postHeld("Still waiting for a moderator");

    await s.page.reload();
    expect(await waitReady(s.page)).toBe("ready");
    expect(await shown(id).count()).toBe(1);
    expect(await shown(id).textContent()).toContain("Awaiting moderation");
    expect(await shown(id).textContent()).toContain("Still waiting for a moderator");
    expect(await shown(id).getByRole("button", { name: "Edit" }).count()).toBe(1);
    // Not counted: the thread has no published comment yet.
    expect(await s.page.locator("#comments h2").textContent()).toBe("No Responses Yet");
    // Nor lost when the reader sorts the thread another way.
    await s.page.locator("#comments").getByRole("button", { name: "Newest" }).click();
    await s.page.waitForFunction(() =>
      document
        .querySelector("#comments")
        ?.shadowRoot?.querySelector('[data-sort="newest"][aria-pressed="true"]'),
    );
    expect(await shown(id).count()).toBe(1);

    const approved = await call(
      "POST",
      `/api/v1/sites/${created.id}/moderation/comments/${id}/approve`,
      undefined,
      { authorization: `Bearer ${created.secret}` },
    );
    expect(approved.status).toBeLessThan(300);
    await s.page.reload();
    expect(await waitReady(s.page)).toBe("ready");
    // The server's copy, once.
    expect(await shown(id).count()).toBe(1);
    expect(await shown(id).textContent()).not.toContain("Awaiting moderation");
    expect(await s.page.locator("#comments h2").textContent()).toBe("1 Response to “T”");
    expectNoErrors(s);
  });

  it("is no longer shown once its edit window has closed", async () => {
    const { site, path } = await newThread({
      section: "errors",
      settings: { moderation: "all", editWindowSeconds: 60 },
    });
    // The page's clock, moved on instead of waited for; the widget judges the window by it.
    await s.page.clock.install();
    await openWidget(s, { site, path });
    const id = await postHeld("Soon out of my hands");
    expect(await shown(id).count()).toBe(1);

    await s.page.clock.fastForward(61_000);
    await s.page.reload();
    expect(await waitReady(s.page)).toBe("ready");
    expect(await shown(id).count()).toBe(0);
    expectNoErrors(s);
  });
});

describe("a refused or failed post", () => {
  it("explains a validation error (422) and keeps the form", async () => {
    const { site, path, page } = await newThread({ section: "errors" });
    await openWidget(s, { site, path });
    // A URL the browser accepts in a type=url field but the API refuses (http and https only).
    const alert = await submitExpectingAlert(
      { ...typed, website: "ftp://x.example" },
      /^\s*Please check:/,
    );
    expect(((await alert.first().textContent()) ?? "").length).toBeGreaterThan(
      "Please check:".length,
    );
    expect((await thread(site, page)).comments).toEqual([]);
    expectNoErrors(s, { allowFailedLoads: true });
  });

  it("says the discussion is closed when the thread was locked meanwhile (423)", async () => {
    const { site, secret, path, page } = await newThread({ section: "errors" });
    await post(site, page, { body: "Before the lock" });
    await openWidget(s, { site, path });
    const locked = await call(
      "PATCH",
      `/api/v1/sites/${site}/moderation/threads?page=${encodeURIComponent(page)}`,
      { locked: true },
      { authorization: `Bearer ${secret}` },
    );
    expect(locked.status).toBe(200);

    await submitExpectingAlert(typed, "Comments are closed.");
    expect((await thread(site, page)).thread).toMatchObject({ count: 1, locked: true });
    expectNoErrors(s, { allowFailedLoads: true });
  });

  it("asks the reader to slow down when rate limited (429)", async () => {
    const { site, path } = await newThread({ section: "errors" });
    await openWidget(s, { site, path });
    await interceptPost(site, (route) =>
      route.fulfill({
        status: 429,
        headers: { "content-type": "application/json", "retry-after": "30" },
        body: JSON.stringify({ error: { code: "rate_limited", message: "Too many comments." } }),
      }),
    );
    await submitExpectingAlert(typed, "Posting too fast. Please try again later.");
    expectNoErrors(s, { allowFailedLoads: true });
  });

  it("reports a network failure, keeps the form, and posts on retry", async () => {
    const { site, path, page } = await newThread({ section: "errors" });
    await openWidget(s, { site, path });
    await interceptPost(site, (route) => route.abort("failed"));
    await submitExpectingAlert(typed, "Could not connect. Please try again.");

    await s.page.unrouteAll();
    await mainForm(s.page).getByRole("button", { name: "Post Comment" }).click();
    await expect.poll(() => announcements(s.page)).toContain("Your comment was published.");
    expect((await thread(site, page)).comments.map((c) => c.author?.name)).toEqual([typed.name]);
    expectNoErrors(s, { allowFailedLoads: true });
  });
});

describe("an action on a comment that changed meanwhile", () => {
  // The widget has one sentence for both: the edit window closed (401/403) or the comment went (404).
  const NO_LONGER = "This is no longer possible.";

  it("says so when the edit window closed while the comment was shown (401/403)", async () => {
    const { site, path, page } = await newThread({ section: "errors" });
    await openWidget(s, { site, path });
    const form = mainForm(s.page);
    await fill(form, { ...typed, body: "Written in haste" });
    await form.getByRole("button", { name: "Post Comment" }).click();
    await expect.poll(() => announcements(s.page)).toContain("Your comment was published.");
    const id = (await thread(site, page)).comments[0]?.id ?? "";
    await articleOf(s.page, id).getByRole("button", { name: "Edit" }).click();

    // The server's clock cannot be moved from here, so its record of the window is: closed now.
    await sql(
      `UPDATE comments SET editable_until = '2000-01-01T00:00:00.000Z' WHERE id = ${lit(id)}`,
    );
    await s.page
      .locator("#comments form[data-action=save]")
      .getByRole("button", { name: "Save" })
      .click();
    await expect.poll(() => announcements(s.page)).toContain(NO_LONGER);
    expect((await thread(site, page)).comments[0]?.editedAt).toBeNull();
    expectNoErrors(s, { allowFailedLoads: true });
  });

  it("says so when the comment was deleted meanwhile (404)", async () => {
    const { site, path, page } = await newThread({ section: "errors" });
    const posted = await post(site, page, { body: "Here for a moment" });
    await openWidget(s, { site, path });
    await deleteOwn(site, posted);

    await articleOf(s.page, posted.comment.id).getByRole("button", { name: "Vote up" }).click();
    await expect.poll(() => announcements(s.page)).toContain(NO_LONGER);
    expectNoErrors(s, { allowFailedLoads: true });
  });
});
