// The post form's notify choices (issue 14): two checkboxes that appear once an email is typed,
// never ticked in advance, and the `notify` value the widget sends with the comment. The page is
// on another origin than the API, as a real site's is.
import type { Locator, Response } from "playwright-core";
import { describe, expect, it } from "vitest";
import { newThread } from "./api";
import {
  article,
  embed,
  expectNoErrors,
  fieldsOf,
  fill,
  hostPage,
  isFocused,
  item,
  mainForm,
  otherOrigin,
  useBrowser,
  waitReady,
} from "./browser";

const s = useBrowser();

const REPLIES = "Notify me of replies by email";
const THREAD = "Notify me of all new comments on this article";

/** Opens a new thread's widget on a page of another origin, in `lang` if given. */
async function openThread(lang?: string): Promise<void> {
  const { site, path, page } = await newThread({ section: "notify" });
  const url = await hostPage(
    s.page,
    path,
    article({ lang, body: embed({ site, page, lang }) }),
    {},
    otherOrigin(),
  );
  await s.page.goto(url);
  expect(await waitReady(s.page)).toBe("ready");
}

/** The main form's two choices, found by role and name: only shown ones are found. */
function choicesOf(form: Locator, names = { replies: REPLIES, thread: THREAD }) {
  return {
    replies: form.getByRole("checkbox", { name: names.replies, exact: true }),
    thread: form.getByRole("checkbox", { name: names.thread, exact: true }),
  };
}

/** Every checkbox of the form, shown or not, and whether it is ticked and shown. */
function boxes(form: Locator) {
  return form.locator('input[type="checkbox"]').evaluateAll((inputs) =>
    inputs.map((input) => ({
      name: (input as HTMLInputElement).name,
      checked: (input as HTMLInputElement).checked,
      visible: (input as HTMLInputElement).checkVisibility(),
    })),
  );
}

/** Posts the main form as it stands; returns the JSON body the widget sent, once it is shown. */
async function postForm(form: Locator, body: string): Promise<Record<string, unknown>> {
  await fill(form, { name: "Nora", body });
  const answered = s.page.waitForResponse(
    (r: Response) => r.request().method() === "POST" && r.url().endsWith("/comments"),
  );
  await form.getByRole("button", { name: "Post Comment" }).click();
  const response = await answered;
  const { comment } = (await response.json()) as { comment: { id: string } };
  await item(s.page, comment.id).waitFor();
  return response.request().postDataJSON() as Record<string, unknown>;
}

describe("notify choices", () => {
  it("hides the choices until an email is typed, unticked, and hides them again when it is emptied", async () => {
    await openThread();
    const form = mainForm(s.page);
    const email = fieldsOf(form).email;
    const hidden = [
      { name: "replies", checked: false, visible: false },
      { name: "thread", checked: false, visible: false },
    ];
    expect(await boxes(form)).toEqual(hidden);
    expect(await form.locator("[hidden]:has(> label > input[type=checkbox])").count()).toBe(1);
    // Out of the accessibility tree and the tab order, not only out of sight.
    expect(await form.getByRole("checkbox").count()).toBe(0);
    await email.focus();
    await s.page.keyboard.press("Tab");
    expect(await isFocused(fieldsOf(form).website)).toBe(true);

    await email.pressSequentially("n");
    const { replies, thread } = choicesOf(form);
    expect(await replies.isVisible()).toBe(true);
    expect(await thread.isVisible()).toBe(true);
    expect(await replies.isChecked()).toBe(false);
    expect(await thread.isChecked()).toBe(false);
    // Reached from the email field with the keyboard, and ticked with it.
    await email.focus();
    await s.page.keyboard.press("Tab");
    expect(await isFocused(replies)).toBe(true);
    await s.page.keyboard.press("Space");
    expect(await replies.isChecked()).toBe(true);

    await email.fill("");
    expect(await boxes(form)).toEqual([
      { name: "replies", checked: true, visible: false },
      { name: "thread", checked: false, visible: false },
    ]);
    expect(await form.getByRole("checkbox").count()).toBe(0);
    // Spaces are no address either.
    await email.fill("  ");
    expect(await form.getByRole("checkbox").count()).toBe(0);
    expectNoErrors(s);
  });

  it('sends notify "replies" when only replies are ticked, and unticks the box after the post', async () => {
    await openThread();
    const form = mainForm(s.page);
    await fill(form, { email: "nora@example.com" });
    await choicesOf(form).replies.check();
    const sent = await postForm(form, "Tell me who answers");
    expect(sent.notify).toBe("replies");
    expect(sent.author).toMatchObject({ email: "nora@example.com" });
    // The address stays (it is remembered), so the choices stay shown, unticked for the next one.
    expect(await boxes(form)).toEqual([
      { name: "replies", checked: false, visible: true },
      { name: "thread", checked: false, visible: true },
    ]);
    expectNoErrors(s);
  });

  it('sends notify "thread" when all new comments are asked for, with or without replies', async () => {
    await openThread();
    const form = mainForm(s.page);
    await fill(form, { email: "nora@example.com" });
    const { replies, thread } = choicesOf(form);
    await thread.check();
    expect((await postForm(form, "Everything, please")).notify).toBe("thread");
    expect(await thread.isChecked()).toBe(false);

    // "thread" includes replies: both ticked is still "thread".
    await replies.check();
    await thread.check();
    expect((await postForm(form, "Everything, again")).notify).toBe("thread");
    expect(await boxes(form)).toEqual([
      { name: "replies", checked: false, visible: true },
      { name: "thread", checked: false, visible: true },
    ]);
    expectNoErrors(s);
  });

  it("sends no notify when nothing is ticked, or when the email was emptied after ticking", async () => {
    await openThread();
    const form = mainForm(s.page);
    await fill(form, { email: "nora@example.com" });
    const unticked = await postForm(form, "Just a comment");
    expect(unticked.notify ?? "none").toBe("none");

    await choicesOf(form).thread.check();
    await fill(form, { email: "" });
    const withoutAddress = await postForm(form, "No address, no mail");
    expect(withoutAddress.notify ?? "none").toBe("none");
    expectNoErrors(s);
  });

  it("shows the choices at once for a remembered email, never ticked from the last post", async () => {
    await openThread();
    const form = mainForm(s.page);
    await fill(form, { email: "nora@example.com" });
    await choicesOf(form).replies.check();
    await choicesOf(form).thread.check();
    await postForm(form, "Remember my address");

    await s.page.reload();
    expect(await waitReady(s.page)).toBe("ready");
    expect(await fieldsOf(form).email.inputValue()).toBe("nora@example.com");
    expect(await boxes(form)).toEqual([
      { name: "replies", checked: false, visible: true },
      { name: "thread", checked: false, visible: true },
    ]);
    expectNoErrors(s);
  });

  it("labels the choices in the page's language", async () => {
    await openThread("de");
    // The German form: its heading and email label are the locale's, so it is found by its tag.
    const form = s.page.locator("#comments form[data-action=post]");
    await form.locator('input[name="email"]').fill("nora@example.com");
    const { replies, thread } = choicesOf(form, {
      replies: "Benachrichtige mich per E-Mail über Antworten",
      thread: "Benachrichtige mich über alle neuen Kommentare zu diesem Artikel",
    });
    expect(await replies.isVisible()).toBe(true);
    expect(await thread.isVisible()).toBe(true);
    expect(await s.page.getByRole("checkbox", { name: REPLIES }).count()).toBe(0);
    expectNoErrors(s);
  });
});
