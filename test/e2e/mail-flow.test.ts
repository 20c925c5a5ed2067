// Reply notifications and moderator alerts end to end (issue 14), through the real `npm start`
// and its mail catcher: readers post and reply in the widget on another origin, and every mail is
// read back from the catcher's .eml files, as a reader's mail client would get it.
import PostalMime from "postal-mime";
import { beforeAll, describe, expect, it } from "vitest";
import { readMailbox } from "../../scripts/mail-inbox.mjs";
import { uniqueId } from "../shared/api-client";
import {
  article,
  articleOf,
  embed,
  fill,
  hostPage,
  mainForm,
  replyForm,
  useBrowser,
  waitReady,
} from "./browser";
import { sendOverOwnConnection } from "./http-send";
import { npmStart, npmStartArticles, npmStartClient, untilServing } from "./npm-start";

const s = useBrowser();

beforeAll(untilServing, 180_000);

/** The mail the catcher holds for `address`, parsed, in order of arrival. */
async function mailTo(address: string) {
  const stored = (await readMailbox(npmStart.mailboxDir)).filter((m) => m.to === address);
  return Promise.all(stored.map((m) => PostalMime.parse(m.raw)));
}

const header = (mail: { headers: { key: string; value: string }[] }, name: string) =>
  mail.headers.find((h) => h.key === name.toLowerCase())?.value;

/** The address of the page a mail's link opens, by its path. */
function link(mail: { text?: string } | undefined, path: string): string {
  const found = mail?.text?.match(new RegExp(`https?://\\S+${path}\\?token=\\S+`))?.[0];
  expect(found, `a ${path} link`).toBeDefined();
  return found ?? "";
}

/** Opens an article with the widget on the articles' origin. */
async function openArticle(site: string, page: string) {
  const url = await hostPage(
    s.page,
    new URL(page).pathname,
    article({
      title: "A story",
      body: embed({ site, page, src: `${npmStart.baseUrl}/widget.js` }),
    }),
    {},
    npmStartArticles(),
  );
  await s.page.goto(url);
  expect(await waitReady(s.page)).toBe("ready");
}

/** Sends the form and answers the new comment's id. */
async function send(form: ReturnType<typeof mainForm>, button: string): Promise<string> {
  const response = s.page.waitForResponse(
    (r) => r.request().method() === "POST" && r.url().endsWith("/comments"),
  );
  await form.getByRole("button", { name: button }).click();
  return ((await (await response).json()) as { comment: { id: string } }).comment.id;
}

describe("mail, through npm start and its catcher", () => {
  it("confirms, notifies once with RFC 8058 headers, and stops after a one-click unsubscribe", async () => {
    const site = (await npmStartClient.createSite()).id;
    const page = `${npmStartArticles()}/news/${uniqueId("p")}`;
    const ana = `ana-${uniqueId("r")}@readers.example`;

    // Reader A posts in the widget, asking to hear about replies.
    await openArticle(site, page);
    const form = mainForm(s.page);
    await fill(form, { name: "Ana", email: ana, body: "What do you all think?" });
    await form.getByRole("checkbox", { name: "Notify me of replies by email" }).check();
    const anas = await send(form, "Post Comment");

    // One confirmation mail; its link opens a page whose button confirms.
    await expect.poll(async () => (await mailTo(ana)).length).toBe(1);
    const [confirmation] = await mailTo(ana);
    await s.page.goto(link(confirmation, "/mail/confirm"));
    await s.page.getByRole("button").click();
    await expect.poll(() => s.page.locator("main p").textContent()).toContain("is confirmed");

    // Reader B replies in the widget: A gets exactly one mail.
    await openArticle(site, page);
    await articleOf(s.page, anas).getByRole("button", { name: "Reply" }).click();
    const reply = replyForm(s.page, "Ana");
    // Another reader on the same browser: the form remembers Ana's address, which Bo clears.
    await fill(reply, { name: "Bo", email: "", body: "I agree with Ana." });
    const bos = await send(reply, "Post Comment");
    await expect.poll(async () => (await mailTo(ana)).length).toBe(2);
    const notification = (await mailTo(ana))[1];
    expect(notification?.subject).toBe("New comment on “A story”");
    expect(notification?.text).toContain("I agree with Ana.");
    expect(notification?.text).toContain(`${page}#comment-${bos}`);
    expect(notification?.html).toContain("I agree with Ana.");
    const unsubscribe = header(notification ?? { headers: [] }, "List-Unsubscribe") ?? "";
    expect(unsubscribe).toMatch(/^<http:\/\/localhost:\d+\/mail\/unsubscribe\?token=[^>]+>$/);
    expect(header(notification ?? { headers: [] }, "List-Unsubscribe-Post")).toBe(
      "List-Unsubscribe=One-Click",
    );

    // One POST, as a mail client sends it (RFC 8058), ends it.
    const oneClick = await sendOverOwnConnection(
      new Request(unsubscribe.slice(1, -1), {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "List-Unsubscribe=One-Click",
      }),
    );
    expect(oneClick.status).toBe(200);

    // Reader C replies: nothing is queued or sent for A.
    await npmStartClient.post(site, page, { parentId: anas, author: { name: "Cy" } });
    const outbox = async (status: string) => {
      const res = await npmStartClient.call(
        "GET",
        `/api/v1/sites/${site}/outbox?status=${status}`,
        undefined,
        npmStartClient.admin,
      );
      return ((await res.json()) as { mail: { recipient: string; kind: string }[] }).mail;
    };
    const toAna = [...(await outbox("queued")), ...(await outbox("sent"))].filter(
      (m) => m.recipient === ana && m.kind === "notify",
    );
    expect(toAna).toHaveLength(1);
    expect(await mailTo(ana)).toHaveLength(2);
  });

  it("publishes a held comment from the approve link of a moderator's alert", async () => {
    const moderator = `desk-${uniqueId("m")}@news.example`;
    const site = (
      await npmStartClient.createSite({ moderation: "all", moderatorEmails: [moderator] })
    ).id;
    const page = `${npmStartArticles()}/news/${uniqueId("p")}`;
    const held = await npmStartClient.post(site, page, {
      author: { name: "Dee" },
      body: "Held for now.",
    });
    expect(held.comment.status).toBe("pending");

    await expect.poll(async () => (await mailTo(moderator)).length).toBe(1);
    const [alert] = await mailTo(moderator);
    expect(alert?.text).toContain("Held for now.");
    await s.page.goto(link(alert, "/mail/moderate"));
    expect(await s.page.locator("blockquote").textContent()).toBe("Held for now.");
    await s.page.getByRole("button", { name: "Approve" }).click();
    await expect.poll(() => s.page.getByRole("heading").textContent()).toBe("Done.");

    const shown = await npmStartClient.thread(site, page);
    expect(shown.comments.map((c) => [c.id, c.status])).toEqual([[held.comment.id, "published"]]);
  });
});
