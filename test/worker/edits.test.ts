import { afterEach, describe, expect, it, vi } from "vitest";
import {
  ADMIN,
  call,
  createSite,
  expectError,
  json,
  type Posted,
  pageUrl,
  post,
  rows,
  type SiteFixture,
  thread,
} from "./helpers";
import { AKISMET_KEY, akismetHost, callWorker, stubNetwork } from "./network-edge";

/*
 * Edits are posts (issue 12): before, PATCH stored the new words unjudged, so an approved comment
 * could be edited into anything and stay published. Every test here failed then.
 */

afterEach(() => {
  vi.restoreAllMocks();
});

type Edited = { comment: { id: string; status: string; body: unknown } };

const edit = (site: SiteFixture, posted: Posted, body: string, headers = {}) =>
  call(
    "PATCH",
    `/api/v1/sites/${site.id}/comments/${posted.comment.id}`,
    { body },
    { authorization: `Bearer ${posted.editToken}`, ...headers },
  );

async function editedStatus(site: SiteFixture, posted: Posted, body: string) {
  const res = await edit(site, posted, body);
  expect(res.status).toBe(200);
  return (await json<Edited>(res)).comment.status;
}

async function stored(id: string) {
  const [row] = await rows(
    "SELECT status, spam_reasons, body_source FROM comments WHERE id = ?",
    id,
  );
  return {
    status: row?.status,
    reasons: JSON.parse(String(row?.spam_reasons ?? "[]")) as string[],
    body: row?.body_source,
  };
}

const approve = async (site: SiteFixture, id: string) => {
  const res = await call(
    "POST",
    `/api/v1/sites/${site.id}/moderation/comments/${id}/approve`,
    undefined,
    { authorization: `Bearer ${site.secret}` },
  );
  expect(res.status).toBe(200);
};

describe("an author's edit", () => {
  it("goes back to pending on a site that moderates every comment, and leaves the thread", async () => {
    const site = await createSite({ moderation: "all" });
    const page = pageUrl();
    const posted = await post(site.id, page, { body: "A reasonable first version" });
    await approve(site, posted.comment.id);
    expect((await thread(site.id, page)).thread.count).toBe(1);

    expect(await editedStatus(site, posted, "Buy cheap watches at my shop")).toBe("pending");
    expect(await stored(posted.comment.id)).toMatchObject({
      status: "pending",
      reasons: ["moderation-all"],
    });
    const view = await thread(site.id, page);
    expect(view.thread.count).toBe(0);
    expect(JSON.stringify(view)).not.toContain("cheap watches");
  });

  it("goes back to pending under first-time moderation unless another comment was approved", async () => {
    const site = await createSite({ moderation: "first-time" });
    const page = pageUrl();
    const author = { name: "Nia", email: "nia@example.com" };
    const first = await post(site.id, page, { author });
    await approve(site, first.comment.id);
    // A second comment, recognised by the first's approval: its edit stays published.
    const { authorToken } = first as Posted & { authorToken: string };
    const second = await post(site.id, page, { author, authorToken });
    expect(second.comment.status).toBe("published");
    expect(await editedStatus(site, second, "A correction of my second")).toBe("published");

    // An author whose one approved comment is the one edited is new again.
    const only = await post(site.id, page, { author: { name: "Sam", email: "sam@example.com" } });
    await approve(site, only.comment.id);
    expect(await editedStatus(site, only, "Now something else entirely")).toBe("pending");
  });

  it("is held when it adds more links than the site allows", async () => {
    const site = await createSite({ limits: { maxLinks: 2 } });
    const posted = await post(site.id, pageUrl());
    const links = [1, 2, 3, 4].map((n) => `https://shop${n}.example`).join(" ");
    expect(await editedStatus(site, posted, `See ${links}`)).toBe("pending");
    expect((await stored(posted.comment.id)).reasons).toEqual(["too-many-links"]);
  });

  it("is kept as spam when it adds a blocked phrase, and reads as held to its author", async () => {
    const site = await createSite();
    const block = await call(
      "POST",
      `/api/v1/sites/${site.id}/moderation/blocks`,
      { kind: "phrase", value: "online casino" },
      { authorization: `Bearer ${site.secret}` },
    );
    expect(block.status).toBe(201);
    const posted = await post(site.id, pageUrl());
    expect(await editedStatus(site, posted, "Try the best ONLINE CASINO today")).toBe("pending");
    expect(await stored(posted.comment.id)).toMatchObject({
      status: "spam",
      reasons: ["blocked-phrase"],
    });
  });

  it("is held when it repeats a published comment's words", async () => {
    const site = await createSite();
    const page = pageUrl();
    await post(site.id, page, { body: "Exactly these words, once" });
    const posted = await post(site.id, page);
    expect(await editedStatus(site, posted, "exactly  these WORDS, once")).toBe("pending");
    expect((await stored(posted.comment.id)).reasons).toEqual(["duplicate"]);
  });

  it("is not a duplicate of itself", async () => {
    const site = await createSite();
    const posted = await post(site.id, pageUrl(), { body: "My words" });
    expect(await editedStatus(site, posted, "My words, and a few more")).toBe("published");
    expect(await editedStatus(site, posted, "My words")).toBe("published");
  });

  it("is checked by Akismet", async () => {
    const edge = stubNetwork({
      [akismetHost]: async (request) => {
        const form = new URLSearchParams(await request.text());
        return new Response(String(form.get("comment_content")?.includes("pills")));
      },
    });
    const site = await createSite();
    const posted = await json<Posted>(
      await callWorker(
        "POST",
        `/api/v1/sites/${site.id}/comments`,
        { page: pageUrl(), author: { name: "Ana" }, body: "Honest words" },
        {},
        { AKISMET_KEY },
      ),
    );
    const res = await callWorker(
      "PATCH",
      `/api/v1/sites/${site.id}/comments/${posted.comment.id}`,
      { body: "Cheap pills here" },
      { authorization: `Bearer ${posted.editToken}` },
      { AKISMET_KEY },
    );
    expect(res.status).toBe(200);
    expect((await json<Edited>(res)).comment.status).toBe("pending");
    expect(await stored(posted.comment.id)).toMatchObject({ status: "spam", reasons: ["akismet"] });
    expect(
      edge.to(akismetHost).map((r) => new URLSearchParams(r.body).get("comment_content")),
    ).toEqual(["Honest words", "Cheap pills here"]);
  });

  it("never publishes a held comment: that stays a moderator's decision", async () => {
    const site = await createSite({ limits: { maxLinks: 1 } });
    const posted = await post(site.id, pageUrl(), {
      body: "Links https://a.example https://b.example",
    });
    expect(posted.comment.status).toBe("pending");
    expect(await editedStatus(site, posted, "No links any more")).toBe("pending");
    expect(await stored(posted.comment.id)).toMatchObject({
      status: "pending",
      reasons: ["too-many-links"],
      body: "No links any more",
    });
  });

  it("is refused with 423 on a locked page, and changes nothing", async () => {
    const site = await createSite();
    const page = pageUrl();
    const posted = await post(site.id, page, { body: "Before the lock" });
    const locked = await call(
      "PATCH",
      `/api/v1/sites/${site.id}/moderation/threads?page=${encodeURIComponent(page)}`,
      { locked: true },
      { authorization: `Bearer ${site.secret}` },
    );
    expect(locked.status).toBe(200);
    await expectError(await edit(site, posted, "After the lock"), 423, "thread_locked");
    expect((await stored(posted.comment.id)).body).toBe("Before the lock");
  });

  it("counts against the reader's posting limits, and a refused edit changes nothing", async () => {
    const site = await createSite({ limits: { postsPerMinute: 2 } });
    const reader = { "cf-connecting-ip": "192.0.2.61" };
    const posted = await post(site.id, pageUrl(), { body: "One" }, reader);
    expect((await edit(site, posted, "Two", reader)).status).toBe(200);
    const refused = await edit(site, posted, "Three", reader);
    await expectError(refused, 429, "rate_limited");
    expect(refused.headers.get("retry-after")).toBe("60");
    expect((await stored(posted.comment.id)).body).toBe("Two");
  });

  it("shows at once in the next thread view, cached or not", async () => {
    const site = await createSite();
    const page = pageUrl();
    const posted = await post(site.id, page, { body: "Old words" });
    await thread(site.id, page);
    await thread(site.id, page);
    expect((await edit(site, posted, "New words")).status).toBe(200);
    const text = JSON.stringify(await thread(site.id, page));
    expect(text).toContain("New words");
    expect(text).not.toContain("Old words");
  });

  it("is announced to the site's webhook as comment.edited", async () => {
    const edge = stubNetwork({ "hooks.news.example": () => new Response("ok") });
    const site = await createSite({ webhookUrl: "https://hooks.news.example/parley" });
    const posted = await post(site.id, pageUrl(), { body: "First take" });
    expect((await edit(site, posted, "Second take")).status).toBe(200);
    const events = edge
      .to("hooks.news.example")
      .map((d) => JSON.parse(d.body) as { event: string; commentId: string; status: string });
    expect(events.map((e) => e.event)).toEqual(["comment.published", "comment.edited"]);
    expect(events[1]).toMatchObject({ commentId: posted.comment.id, status: "published" });
    // The operator sees it too: nothing else about the site changed.
    expect((await call("GET", `/api/v1/sites/${site.id}`, undefined, ADMIN)).status).toBe(200);
  });
});
