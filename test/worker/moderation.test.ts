import { describe, expect, it } from "vitest";
import {
  call,
  expectError,
  json,
  type Posted,
  pageUrl,
  post,
  postRaw,
  rows,
  type SiteFixture,
  type ThreadView,
  thread,
} from "./helpers";
import {
  act,
  addBlock,
  affected,
  asModerator,
  bearer,
  bulk,
  countOf,
  expectAction,
  flag,
  idsOf,
  listBlocks,
  lock,
  newSite,
  otherSpelling,
  queue,
  remove,
  snapshot,
  statuses,
  statusOf,
  tick,
} from "./moderation-fixtures";

/*
 * The moderation API (API.md "Moderators") as a moderator's script uses it: the queue and its
 * filters, single and bulk actions, blocks, locks and the audit log, and the counts readers see.
 *
 * Known bugs, pinned by the `it.fails` tests that name them (remove the `.fails` with the fix):
 * (BUG 1, status changes answering 500, is fixed: changeStatus now batches insert…select.)
 * BUG 2 (q treats % and _ as wildcards): the queue's `q` escapes % and _ with a backslash but
 *   the LIKE has no ESCAPE clause, so `q=50%` or `q=snake_case` never finds the text.
 * BUG 3 (emails stored as typed, compared lower-cased): a comment posted with
 *   "Ana.Smith@Example.COM" is stored so, while `email=` and bulk `authorEmail` lower-case the
 *   query and compare exactly: such an author cannot be found or bulk-moderated at all.
 * BUG 4 (bulk approve publishes deleted comments): bulk ignores which statuses an action may
 *   start from; `{"action":"approve","page":...}` also publishes deleted comments, including
 *   ones their author withdrew (empty name and body), and counts them in `affected`.
 * BUG 5 (since compared as text): `since` is compared with created_at as a string, so
 *   "...T10:00:00Z" misses comments of 10:00:00.123, and a "+05:00" or "-05:00" offset is
 *   read as if it were UTC.
 * BUG 6 (blocks are not applied to new posts): POST .../comments never consults the blocklist;
 *   a blocked email or phrase is published (API.md: "Blocked posts are held as spam").
 */

interface AuditEntry {
  id: string;
  actor: string;
  action: string;
  target: string | null;
  before: string | null;
  after: string | null;
  detail: Record<string, unknown> | null;
  createdAt: string;
}

type ViewComment = ThreadView["comments"][number];

async function auditOf(site: SiteFixture, query = "") {
  const res = await asModerator(site, "GET", `/audit${query ? `?${query}` : ""}`);
  expect(res.status).toBe(200);
  return json<{ entries: AuditEntry[]; nextCursor: string | null }>(res);
}

/** A well-formed comment id that was never issued. */
const UNKNOWN_ID = `c_${"0".repeat(26)}`;

describe("moderation queue", () => {
  it("lists comments newest first with the moderator-only fields", async () => {
    const site = await newSite();
    const page = pageUrl();
    const reader = { "cf-connecting-ip": "192.0.2.1", "user-agent": "TestAgent/1.0" };
    const first = await post(
      site.id,
      page,
      {
        author: { name: "Ana", email: "ana@example.com", website: "https://ana.example" },
        body: "Hello **world**",
      },
      reader,
    );
    await tick();
    const reply = await post(site.id, page, { parentId: first.comment.id, body: "A reply" });
    await tick();
    const third = await post(site.id, page, { body: "Third" });

    const { comments } = await queue(site);
    expect(idsOf(comments)).toEqual([third.comment.id, reply.comment.id, first.comment.id]);
    const [stored] = await rows("SELECT ip_hash FROM comments WHERE id = ?", first.comment.id);
    expect(stored?.ip_hash).toEqual(expect.any(String));
    expect(comments[2]).toMatchObject({
      id: first.comment.id,
      parentId: null,
      page,
      status: "published",
      author: { name: "Ana", email: "ana@example.com", website: "https://ana.example" },
      ipHash: stored?.ip_hash,
      userAgent: "TestAgent/1.0",
      spamReasons: [],
      flagCount: 0,
      bodySource: "Hello **world**",
      replyCount: 1,
    });
    expect(comments[1]).toMatchObject({ parentId: first.comment.id, depth: 1, page });
  });

  it("filters by status", async () => {
    const site = await newSite({ flagThreshold: 1 });
    const page = pageUrl();
    const published = await post(site.id, page, { body: "Stays up" });
    const spam = await post(site.id, page, { body: "Caught by the honeypot", hp: "bot" });
    const held = await post(site.id, page, { body: "Flagged once" });
    expect((await flag(site, held.comment.id, "192.0.2.5")).status).toBe(202);
    const withdrawn = await post(site.id, page, { body: "Withdrawn by its author" });
    const res = await call(
      "DELETE",
      `/api/v1/sites/${site.id}/comments/${withdrawn.comment.id}`,
      undefined,
      bearer(withdrawn.editToken),
    );
    expect(res.status).toBe(204);

    const byStatus = async (status: string) =>
      idsOf((await queue(site, `status=${status}`)).comments);
    expect({
      published: await byStatus("published"),
      pending: await byStatus("pending"),
      spam: await byStatus("spam"),
      deleted: await byStatus("deleted"),
      all: (await queue(site)).comments.length,
    }).toEqual({
      published: [published.comment.id],
      pending: [held.comment.id],
      spam: [spam.comment.id],
      deleted: [withdrawn.comment.id],
      all: 4,
    });
  });

  it("filters by page, however the page is spelled", async () => {
    const site = await newSite();
    const [a, b] = [pageUrl(), pageUrl()];
    const a1 = await post(site.id, a, { body: "On A, first" });
    await tick();
    const a2 = await post(site.id, a, { body: "On A, second" });
    await post(site.id, b, { body: "On B" });
    const { comments } = await queue(site, `page=${encodeURIComponent(otherSpelling(a))}`);
    expect(idsOf(comments)).toEqual([a2.comment.id, a1.comment.id]);
    expect(comments.every((c) => c.page === a)).toBe(true);
    expect((await queue(site, `page=${encodeURIComponent(pageUrl())}`)).comments).toEqual([]);
  });

  it("finds comments by text in the body", async () => {
    const site = await newSite();
    const page = pageUrl();
    const fox = await post(site.id, page, { body: "The quick brown fox" });
    await post(site.id, page, { body: "A lazy dog sleeps" });
    expect(idsOf((await queue(site, "q=brown")).comments)).toEqual([fox.comment.id]);
    expect((await queue(site, "q=giraffe")).comments).toEqual([]);
  });

  // BUG 2 (q treats % and _ as wildcards): see the list at the top of this file.

  it("matches % and _ in q as the characters themselves", async () => {
    const site = await newSite();
    const page = pageUrl();
    const percent = await post(site.id, page, { body: "Save 50% today" });
    await post(site.id, page, { body: "We have 500 items" });
    const underscore = await post(site.id, page, { body: "Call it snake_case please" });
    await post(site.id, page, { body: "Call it snakeXcase please" });
    expect({
      percent: idsOf((await queue(site, `q=${encodeURIComponent("50%")}`)).comments),
      underscore: idsOf((await queue(site, "q=snake_case")).comments),
    }).toEqual({ percent: [percent.comment.id], underscore: [underscore.comment.id] });
  });

  it("filters by email, ignoring the case of the query", async () => {
    const site = await newSite();
    const page = pageUrl();
    const ana = { name: "Ana", email: "ana@example.com" };
    const one = await post(site.id, page, { author: ana, body: "Ana speaks" });
    await tick();
    const two = await post(site.id, page, { author: ana, body: "Ana again" });
    await post(site.id, page, { author: { name: "Bob", email: "bob@example.com" }, body: "Bob" });
    const { comments } = await queue(site, `email=${encodeURIComponent("ANA@Example.com")}`);
    expect(idsOf(comments)).toEqual([two.comment.id, one.comment.id]);
  });

  // BUG 3 (emails stored as typed, compared lower-cased): see the list at the top of this file.

  it("finds an email whatever case its author typed it in", async () => {
    const site = await newSite();
    const page = pageUrl();
    const mixed = await post(site.id, page, {
      author: { name: "Ana", email: "Ana.Smith@Example.COM" },
      body: "Capitalised address",
    });
    expect({
      lower: idsOf((await queue(site, "email=ana.smith%40example.com")).comments),
      asTyped: idsOf((await queue(site, "email=Ana.Smith%40Example.COM")).comments),
    }).toEqual({ lower: [mixed.comment.id], asTyped: [mixed.comment.id] });
  });

  it("filters by ip hash", async () => {
    const site = await newSite();
    const page = pageUrl();
    const from = (ip: string, body: string) =>
      post(site.id, page, { body }, { "cf-connecting-ip": ip });
    const one = await from("192.0.2.1", "First from one address");
    await tick();
    const two = await from("192.0.2.1", "Second from one address");
    await from("192.0.2.2", "From another address");
    const hash = (await queue(site)).comments.find((c) => c.id === one.comment.id)?.ipHash;
    expect(hash).toEqual(expect.any(String));
    const { comments } = await queue(site, `ipHash=${hash}`);
    expect(idsOf(comments)).toEqual([two.comment.id, one.comment.id]);
  });

  it("lists flagged comments with the readers' reasons", async () => {
    const site = await newSite({ flagThreshold: 5 });
    const page = pageUrl();
    const reported = await post(site.id, page, { body: "Something rude" });
    await post(site.id, page, { body: "Something kind" });
    expect((await flag(site, reported.comment.id, "198.51.100.1", "spam")).status).toBe(202);
    expect(
      (await flag(site, reported.comment.id, "198.51.100.2", "abuse", "Insults a reader")).status,
    ).toBe(202);
    const { comments } = await queue(site, "flagged=true");
    expect(idsOf(comments)).toEqual([reported.comment.id]);
    const [only] = comments;
    expect(only).toMatchObject({ status: "published", flagCount: 2 });
    expect(
      only?.flags
        ?.map(({ reason, note }) => ({ reason, note }))
        .sort((x, y) => x.reason.localeCompare(y.reason)),
    ).toEqual([
      { reason: "abuse", note: "Insults a reader" },
      { reason: "spam", note: null },
    ]);
  });

  it("pages with a cursor, visiting every comment once", async () => {
    const site = await newSite();
    const page = pageUrl();
    const posted: string[] = [];
    for (let i = 0; i < 5; i++) {
      posted.push((await post(site.id, page, { body: `Comment ${i}` })).comment.id);
      await tick();
    }
    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    do {
      const result = await queue(
        site,
        `limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      );
      seen.push(...idsOf(result.comments));
      sizes.push(result.comments.length);
      cursor = result.nextCursor;
    } while (cursor && sizes.length < 10);
    expect(sizes).toEqual([2, 2, 1]);
    expect(seen).toEqual(posted.reverse());
  });
});

describe("moderating one comment", () => {
  it("deletes a comment with replies to a placeholder and drops the count", async () => {
    const site = await newSite();
    const page = pageUrl();
    const parent = await post(site.id, page, { body: "Parent" });
    const reply = await post(site.id, page, { parentId: parent.comment.id, body: "Child" });
    expect(await countOf(site, page)).toBe(2);

    expect((await remove(site, parent.comment.id)).status).toBe(204);
    const view = await thread(site.id, page);
    expect(view.thread.count).toBe(1);
    expect(
      view.comments.map(({ id, status, author, body }) => ({ id, status, author, body })),
    ).toEqual([
      { id: parent.comment.id, status: "deleted", author: null, body: null },
      expect.objectContaining({ id: reply.comment.id, status: "published" }),
    ]);
  });

  it("deletes a comment without replies from the thread entirely", async () => {
    const site = await newSite();
    const page = pageUrl();
    const kept = await post(site.id, page, { body: "Kept" });
    const gone = await post(site.id, page, { body: "Gone" });
    expect((await remove(site, gone.comment.id)).status).toBe(204);
    const view = await thread(site.id, page);
    expect({ count: view.thread.count, ids: idsOf(view.comments) }).toEqual({
      count: 1,
      ids: [kept.comment.id],
    });
    expect(await statusOf(gone.comment.id)).toBe("deleted");
  });

  it("purges: erases the comment's personal data and the details of its audit entries", async () => {
    const site = await newSite();
    const page = pageUrl();
    const erin = { name: "Erin", email: "erin@example.com", website: "https://erin.example" };
    const { comment } = await post(
      site.id,
      page,
      { author: erin, body: "Words to forget" },
      { "cf-connecting-ip": "192.0.2.9", "user-agent": "ErinBrowser/2" },
    );
    // A bulk action by email leaves the email in its audit entry's detail.
    expect(await affected(await bulk(site, { action: "spam", authorEmail: erin.email }))).toBe(1);
    await expectAction(await act(site, comment.id, "restore"), "published");
    const details = await rows("SELECT detail FROM audit_log WHERE target = ?", comment.id);
    expect(details.some((d) => String(d.detail).includes(erin.email))).toBe(true);

    expect((await remove(site, comment.id, true)).status).toBe(204);
    const [row] = await rows(
      "SELECT status, author_name, author_email, author_website, ip_hash, user_agent, body_source FROM comments WHERE id = ?",
      comment.id,
    );
    const columns = [
      "author_name",
      "author_email",
      "author_website",
      "ip_hash",
      "user_agent",
      "body_source",
    ];
    expect(
      Object.fromEntries(columns.map((c) => [c, row?.[c] === null || row?.[c] === ""])),
    ).toEqual(Object.fromEntries(columns.map((c) => [c, true])));
    expect(row?.status).toBe("deleted");
    const entries = await rows(
      "SELECT action, detail FROM audit_log WHERE target = ? ORDER BY id",
      comment.id,
    );
    expect(entries.map((e) => e.action)).toContain("purge");
    expect(entries.map((e) => e.detail)).toEqual(entries.map(() => null));
    expect(await countOf(site, page)).toBe(0);
  });

  it("marks a comment as spam: hidden, uncounted, with the reason moderator", async () => {
    const site = await newSite();
    const page = pageUrl();
    const kept = await post(site.id, page, { body: "Fine" });
    const junk = await post(site.id, page, { body: "Buy followers" });
    const after = await expectAction(await act(site, junk.comment.id, "spam"), "spam");
    expect(after.spamReasons).toEqual(["moderator"]);
    const view = await thread(site.id, page);
    expect({ count: view.thread.count, ids: idsOf(view.comments) }).toEqual({
      count: 1,
      ids: [kept.comment.id],
    });
    expect(idsOf((await queue(site, "status=spam")).comments)).toEqual([junk.comment.id]);
  });

  it("approves a held comment: published and counted", async () => {
    const site = await newSite({ moderation: "all" });
    const page = pageUrl();
    const res = await postRaw(site.id, page, { body: "Please let me in" });
    expect(res.status).toBe(202);
    const { comment } = await json<Posted>(res);
    expect(await countOf(site, page)).toBe(0);
    await expectAction(await act(site, comment.id, "approve"), "published");
    const view = await thread(site.id, page);
    expect({ count: view.thread.count, ids: idsOf(view.comments) }).toEqual({
      count: 1,
      ids: [comment.id],
    });
  });

  it("approving a comment held by readers' flags clears the flags", async () => {
    const site = await newSite({ flagThreshold: 2 });
    const page = pageUrl();
    const { comment } = await post(site.id, page, { body: "Controversial" });
    expect((await flag(site, comment.id, "198.51.100.7")).status).toBe(202);
    expect((await flag(site, comment.id, "198.51.100.8")).status).toBe(202);
    expect(await statusOf(comment.id)).toBe("pending");
    expect(await countOf(site, page)).toBe(0);

    const after = await expectAction(await act(site, comment.id, "approve"), "published");
    expect(after.flagCount).toBe(0);
    expect(await rows("SELECT * FROM flags WHERE comment_id = ?", comment.id)).toEqual([]);
    expect((await queue(site, "flagged=true")).comments).toEqual([]);
    expect(await countOf(site, page)).toBe(1);
  });

  it("restores a deleted comment and a spam one", async () => {
    const site = await newSite();
    const page = pageUrl();
    const deleted = await post(site.id, page, { body: "Removed by mistake" });
    const spammed = await post(site.id, page, { body: "Marked by mistake" });
    const honeypot = await post(site.id, page, { body: "A person after all", hp: "autofill" });
    expect((await remove(site, deleted.comment.id)).status).toBe(204);
    await expectAction(await act(site, spammed.comment.id, "spam"), "spam");
    expect(await countOf(site, page)).toBe(0);

    for (const { comment } of [deleted, spammed, honeypot]) {
      await expectAction(await act(site, comment.id, "restore"), "published");
    }
    const view = await thread(site.id, page);
    expect(view.thread.count).toBe(3);
    expect(view.comments.find((c) => c.id === deleted.comment.id)?.body).not.toBeNull();
  });

  it("refuses to restore a purged comment with 409 conflict", async () => {
    const site = await newSite();
    const page = pageUrl();
    const { comment } = await post(site.id, page, { body: "Erase me" });
    expect((await remove(site, comment.id, true)).status).toBe(204);
    await expectError(await act(site, comment.id, "restore"), 409, "conflict");
    expect(await statusOf(comment.id)).toBe("deleted");
    expect(await countOf(site, page)).toBe(0);
  });

  it("refuses to approve a published comment with 409 conflict", async () => {
    const site = await newSite();
    const page = pageUrl();
    const { comment } = await post(site.id, page, { body: "Already up" });
    const before = await snapshot(site);
    await expectError(await act(site, comment.id, "approve"), 409, "conflict");
    expect(await snapshot(site)).toEqual(before);
  });

  it("answers 404 comment_not_found for an id never issued", async () => {
    const site = await newSite();
    for (const res of [
      await remove(site, UNKNOWN_ID),
      await remove(site, UNKNOWN_ID, true),
      await act(site, UNKNOWN_ID, "spam"),
      await act(site, UNKNOWN_ID, "approve"),
      await act(site, UNKNOWN_ID, "restore"),
    ]) {
      await expectError(res, 404, "comment_not_found");
    }
  });

  it("answers 404 for another site's comment and leaves it alone", async () => {
    const [mine, theirs] = await Promise.all([newSite(), newSite()]);
    const page = pageUrl();
    const { comment } = await post(theirs.id, page, { body: "Not yours" });
    for (const res of [
      await remove(mine, comment.id),
      await remove(mine, comment.id, true),
      await act(mine, comment.id, "spam"),
      await act(mine, comment.id, "restore"),
      await act(mine, comment.id, "approve"),
    ]) {
      await expectError(res, 404, "comment_not_found");
    }
    expect(await rows("SELECT status, body_source FROM comments WHERE id = ?", comment.id)).toEqual(
      [{ status: "published", body_source: "Not yours" }],
    );
    expect(await countOf(theirs, page)).toBe(1);
    expect(
      await rows(
        "SELECT * FROM audit_log WHERE site_id IN (?, ?) AND actor <> 'operator'",
        mine.id,
        theirs.id,
      ),
    ).toEqual([]);
  });
});

describe("first-time moderation", () => {
  it("holds an author's first comment, then publishes their next once one is approved", async () => {
    const site = await newSite({ moderation: "first-time" });
    const page = pageUrl();
    const newcomer = { name: "Nia", email: "nia@example.com" };
    const first = await postRaw(site.id, page, { author: newcomer, body: "Hello, first time" });
    expect(first.status).toBe(202);
    const { comment, authorToken } = await json<Posted & { authorToken: string }>(first);
    expect(comment.status).toBe("pending");

    await expectAction(await act(site, comment.id, "approve"), "published");
    const second = await postRaw(site.id, page, {
      author: newcomer,
      body: "Back again",
      authorToken,
    });
    expect(second.status).toBe(201);
    expect((await json<Posted>(second)).comment.status).toBe("published");
    // Someone else is still new.
    const stranger = { name: "Sam", email: "sam@example.com" };
    expect(
      (await postRaw(site.id, page, { author: stranger, body: "Hi", authorToken })).status,
    ).toBe(202);
  });

  // Issue 12: first-time matched the email alone, so typing an approved author's address
  // published anyone, and the 201 confirmed the address.
  it("does not recognise an outsider who types an approved author's name and email", async () => {
    const site = await newSite({ moderation: "first-time" });
    const page = pageUrl();
    const regular = { name: "Nia", email: "nia@example.com" };
    const first = await json<Posted>(await postRaw(site.id, page, { author: regular }));
    await expectAction(await act(site, first.comment.id, "approve"), "published");
    const outsider = await postRaw(site.id, page, { author: regular, body: "Impersonating" });
    expect(outsider.status).toBe(202);
    expect(await statuses((await json<Posted>(outsider)).comment.id)).toEqual(["pending"]);
  });
});

describe("text filters", () => {
  // Issue 12: D1 cut the bound string at a NUL, so q=%00 became LIKE '%%' and matched every
  // comment: the queue listed them all, and a bulk action would have struck them all.
  it("refuses control characters in q, email and ipHash with 422, and changes nothing", async () => {
    const site = await newSite();
    const one = await post(site.id, pageUrl(), { body: "Harmless words" });
    for (const query of ["q=%00", "q=a%00b", "email=%00", "ipHash=%07"]) {
      const res = await asModerator(site, "GET", `/comments?${query}`);
      expect(res.status, query).toBe(422);
      expect((await json<{ error: { code: string } }>(res)).error.code).toBe("validation_failed");
    }
    for (const filter of [{ q: "\u0000" }, { q: "x\u0000" }, { authorEmail: "\u0000" }]) {
      const res = await bulk(site, { action: "delete", ...filter });
      expect(res.status).toBe(422);
    }
    expect(await statuses(one.comment.id)).toEqual(["published"]);
    const author = await asModerator(site, "DELETE", "/authors?email=%00");
    expect(author.status).toBe(422);
  });
});

describe("bulk moderation", () => {
  it("deletes everything by one author and answers how many comments that was", async () => {
    const site = await newSite();
    const [a, b] = [pageUrl(), pageUrl()];
    const troll = { name: "Troll", email: "troll@example.com" };
    const t1 = await post(site.id, a, { author: troll, body: "Troll one" });
    const t2 = await post(site.id, a, { author: troll, body: "Troll two" });
    const t3 = await post(site.id, b, { author: troll, body: "Troll three" });
    const fine = await post(site.id, a, { author: { name: "Ana", email: "ana@example.com" } });
    expect(await affected(await bulk(site, { action: "delete", authorEmail: troll.email }))).toBe(
      3,
    );
    expect(await statuses(t1.comment.id, t2.comment.id, t3.comment.id, fine.comment.id)).toEqual([
      "deleted",
      "deleted",
      "deleted",
      "published",
    ]);
    expect([await countOf(site, a), await countOf(site, b)]).toEqual([1, 0]);
  });

  it("finds its comments by text (q), literally, within the other filters", async () => {
    const site = await newSite();
    const [a, b] = [pageUrl(), pageUrl()];
    const spam = await post(site.id, a, { body: "¡GANA DINERO desde casa! 100% real" });
    const elsewhere = await post(site.id, b, { body: "gana dinero here too" });
    const fine = await post(site.id, a, { body: "Ganar is not the same" });
    expect(await affected(await bulk(site, { action: "spam", page: a, q: "GANA DINERO" }))).toBe(1);
    expect(await affected(await bulk(site, { action: "spam", q: "100%_" }))).toBe(0);
    expect(await statuses(spam.comment.id, elsewhere.comment.id, fine.comment.id)).toEqual([
      "spam",
      "published",
      "published",
    ]);
  });

  it("marks everything from one ip hash as spam", async () => {
    const site = await newSite();
    const page = pageUrl();
    const from = (ip: string, body: string) =>
      post(site.id, page, { body }, { "cf-connecting-ip": ip });
    const one = await from("192.0.2.20", "Link farm one");
    const two = await from("192.0.2.20", "Link farm two");
    const other = await from("192.0.2.21", "A reader");
    const hash = (await queue(site)).comments.find((c) => c.id === one.comment.id)?.ipHash;
    expect(await affected(await bulk(site, { action: "spam", ipHash: hash }))).toBe(2);
    expect(await statuses(one.comment.id, two.comment.id, other.comment.id)).toEqual([
      "spam",
      "spam",
      "published",
    ]);
    const spam = (await queue(site, "status=spam")).comments;
    expect(spam.map((c) => c.spamReasons)).toEqual([["moderator"], ["moderator"]]);
    expect(await countOf(site, page)).toBe(1);
  });

  it("approves every held comment on one page, whatever its spelling", async () => {
    const site = await newSite({ moderation: "all" });
    const [a, b] = [pageUrl(), pageUrl()];
    const a1 = await post(site.id, a, { body: "Held on A" });
    const a2 = await post(site.id, a, { body: "Also held on A" });
    const b1 = await post(site.id, b, { body: "Held on B" });
    expect(await affected(await bulk(site, { action: "approve", page: otherSpelling(a) }))).toBe(2);
    expect(await statuses(a1.comment.id, a2.comment.id, b1.comment.id)).toEqual([
      "published",
      "published",
      "pending",
    ]);
    expect([await countOf(site, a), await countOf(site, b)]).toEqual([2, 0]);
  });

  // BUG 4 (bulk approve publishes deleted comments): see the list at the top of this file.

  it("bulk approve publishes held comments only, never deleted ones", async () => {
    const site = await newSite({ moderation: "all" });
    const page = pageUrl();
    const removed = await post(site.id, page, { body: "Approved, then removed" });
    await expectAction(await act(site, removed.comment.id, "approve"), "published");
    expect((await remove(site, removed.comment.id)).status).toBe(204);
    const withdrawn = await post(site.id, page, { body: "Withdrawn while held" });
    const res = await call(
      "DELETE",
      `/api/v1/sites/${site.id}/comments/${withdrawn.comment.id}`,
      undefined,
      bearer(withdrawn.editToken),
    );
    expect(res.status).toBe(204);
    const held = await post(site.id, page, { body: "Still held" });

    expect(await affected(await bulk(site, { action: "approve", page }))).toBe(1);
    expect(await statuses(removed.comment.id, withdrawn.comment.id, held.comment.id)).toEqual([
      "deleted",
      "deleted",
      "published",
    ]);
    expect(await countOf(site, page)).toBe(1);
  });

  it("deletes the listed ids only", async () => {
    const site = await newSite();
    const page = pageUrl();
    const [x, y, z] = [
      await post(site.id, page, { body: "x" }),
      await post(site.id, page, { body: "y" }),
      await post(site.id, page, { body: "z" }),
    ];
    expect(
      await affected(await bulk(site, { action: "delete", ids: [x.comment.id, y.comment.id] })),
    ).toBe(2);
    expect(await statuses(x.comment.id, y.comment.id, z.comment.id)).toEqual([
      "deleted",
      "deleted",
      "published",
    ]);
  });

  it("since reaches only comments made at or after that time", async () => {
    const site = await newSite();
    const page = pageUrl();
    const old = await post(site.id, page, { body: "Before the raid" });
    await tick(20);
    const raid1 = await post(site.id, page, { body: "Raid one" });
    await tick();
    const raid2 = await post(site.id, page, { body: "Raid two" });
    const [start] = await rows("SELECT created_at FROM comments WHERE id = ?", raid1.comment.id);
    expect(
      await affected(await bulk(site, { action: "delete", since: String(start?.created_at) })),
    ).toBe(2);
    expect(await statuses(old.comment.id, raid1.comment.id, raid2.comment.id)).toEqual([
      "published",
      "deleted",
      "deleted",
    ]);
  });

  // BUG 5 (since compared as text): see the list at the top of this file.

  it("since without fractional seconds covers comments made during that second", async () => {
    const site = await newSite();
    const { comment } = await post(site.id, pageUrl(), { body: "Made this second" });
    const [row] = await rows("SELECT created_at FROM comments WHERE id = ?", comment.id);
    // "2024-05-01T10:00:00.123Z" -> "2024-05-01T10:00:00Z": the start of the comment's second.
    const second = `${String(row?.created_at).slice(0, 19)}Z`;
    expect(await affected(await bulk(site, { action: "delete", since: second }))).toBe(1);
  });

  // BUG 5 (since compared as text): see the list at the top of this file.

  it("since with a UTC offset means the instant it names", async () => {
    const site = await newSite();
    const { comment } = await post(site.id, pageUrl(), { body: "Timed" });
    const [row] = await rows("SELECT created_at FROM comments WHERE id = ?", comment.id);
    const made = Date.parse(String(row?.created_at));
    const hour = 3600_000;
    /** The instant `at`, written as local time at a UTC offset of `hours`. */
    const withOffset = (at: number, hours: number) => {
      const local = new Date(at + hours * hour).toISOString().slice(0, 19);
      const sign = hours < 0 ? "-" : "+";
      return `${local}${sign}${String(Math.abs(hours)).padStart(2, "0")}:00`;
    };
    expect({
      // One hour after the comment, in New York: must not reach it.
      later: await affected(
        await bulk(site, { action: "spam", since: withOffset(made + hour, -5) }),
      ),
      // One hour before it, in Karachi: must reach it.
      earlier: await affected(
        await bulk(site, { action: "delete", since: withOffset(made - hour, 5) }),
      ),
    }).toEqual({ later: 0, earlier: 1 });
  });

  it("combines filters: only comments matching all of them", async () => {
    const site = await newSite();
    const [a, b] = [pageUrl(), pageUrl()];
    const x = { name: "Xi", email: "xi@example.com" };
    const xOnA = await post(site.id, a, { author: x, body: "Xi on A" });
    const xOnB = await post(site.id, b, { author: x, body: "Xi on B" });
    const yOnA = await post(site.id, a, { author: { name: "Yu", email: "yu@example.com" } });
    expect(
      await affected(await bulk(site, { action: "delete", authorEmail: x.email, page: a })),
    ).toBe(1);
    expect(await statuses(xOnA.comment.id, xOnB.comment.id, yOnA.comment.id)).toEqual([
      "deleted",
      "published",
      "published",
    ]);
  });

  it("refuses a bulk with no filter (422) and changes nothing", async () => {
    const site = await newSite();
    await post(site.id, pageUrl(), { body: "Innocent" });
    const before = await snapshot(site);
    for (const action of ["delete", "spam", "approve"]) {
      await expectError(await bulk(site, { action }), 422, "validation_failed");
    }
    expect(await snapshot(site)).toEqual(before);
  });

  it("refuses a bulk of 101 ids as a whole (422) and changes nothing", async () => {
    const site = await newSite();
    const page = pageUrl();
    const real: string[] = [];
    for (let i = 0; i < 3; i++)
      real.push((await post(site.id, page, { body: `Real ${i}` })).comment.id);
    const unknown = Array.from({ length: 98 }, (_, i) => `c_${String(i).padStart(26, "0")}`);
    const before = await snapshot(site);
    await expectError(
      await bulk(site, { action: "delete", ids: [...real, ...unknown] }),
      422,
      "validation_failed",
    );
    expect(await snapshot(site)).toEqual(before);
    expect(await countOf(site, page)).toBe(3);
  });

  it("counts only comments that changed: the same bulk again affects 0", async () => {
    const site = await newSite();
    const page = pageUrl();
    const author = { name: "Rex", email: "rex@example.com" };
    const first = await post(site.id, page, { author, body: "One" });
    await post(site.id, page, { author, body: "Two" });
    await post(site.id, page, { author, body: "Three" });
    expect((await remove(site, first.comment.id)).status).toBe(204);
    const filter = { action: "delete", authorEmail: author.email };
    expect(await affected(await bulk(site, filter))).toBe(2);
    expect(await affected(await bulk(site, filter))).toBe(0);
  });

  // BUG 3 (emails stored as typed, compared lower-cased): see the list at the top of this file.

  it("bulk by email reaches an author whatever case they typed the address in", async () => {
    const site = await newSite();
    const page = pageUrl();
    const { comment } = await post(site.id, page, {
      author: { name: "Max", email: "Max.Power@Example.COM" },
      body: "Shouting address",
    });
    expect(
      await affected(await bulk(site, { action: "delete", authorEmail: "max.power@example.com" })),
    ).toBe(1);
    expect(await statusOf(comment.id)).toBe("deleted");
  });
});

/** A small seeded PRNG (mulberry32), so a failing sequence can be replayed exactly. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every comment the public thread shows, following page cursors and subtree continuations. */
async function everythingShown(site: string, page: string) {
  const shown: ViewComment[] = [];
  let count: number | undefined;
  let cursor: string | null = null;
  do {
    const view: ThreadView = await thread(
      site,
      page,
      `&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
    );
    count ??= view.thread.count;
    for (const comment of view.comments) {
      shown.push(comment);
      let more = comment.moreReplies;
      while (more) {
        const res = await call(
          "GET",
          `/api/v1/sites/${site}/comments/${comment.id}/replies?cursor=${encodeURIComponent(more)}`,
        );
        expect(res.status).toBe(200);
        const next = await json<{ comments: ViewComment[]; nextCursor: string | null }>(res);
        shown.push(...next.comments);
        more = next.nextCursor;
      }
    }
    cursor = view.nextCursor;
  } while (cursor);
  return { count, shown };
}

type Stored = {
  id: string;
  status: string;
  path: string;
  author_name: string;
  author_email: string | null;
  body_source: string;
};

describe("counts under random moderation", () => {
  it("keeps thread counts, reply counts and placeholders exact through 150 random actions", async () => {
    const SEED = 0x5eed2024;
    const random = mulberry32(SEED);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
    const site = await newSite({ flagThreshold: 2 });
    const page = pageUrl();
    const emails = ["ana@example.com", "bob@example.com", "cy@example.com", undefined];
    const tokens = new Map<string, string>();
    const log: string[] = [];
    let posted = 0;

    const stored = async () =>
      (await rows(
        "SELECT id, status, path, author_name, author_email, body_source FROM comments WHERE site_id = ? ORDER BY id",
        site.id,
      )) as Stored[];
    const publishedBelow = (c: Stored, all: Stored[]) =>
      all.filter((d) => d.status === "published" && d.path.startsWith(`${c.path}/`)).length;
    const visible = (c: Stored, all: Stored[]) =>
      c.status === "published" || (c.status === "deleted" && publishedBelow(c, all) > 0);
    const purged = (c: Stored) =>
      c.status === "deleted" && c.body_source === "" && c.author_name === "";
    const among = (all: Stored[], ...wanted: string[]) =>
      all.filter((c) => wanted.includes(c.status));

    async function postOne(parentId?: string) {
      posted += 1;
      const email = pick(emails);
      const res = await postRaw(
        site.id,
        page,
        {
          body: `Comment number ${posted}`,
          author: { name: `Reader ${posted % 7}`, ...(email ? { email } : {}) },
          ...(parentId ? { parentId } : {}),
        },
        { "cf-connecting-ip": `198.51.100.${posted % 50}` },
      );
      expect(res.status, log.join(" ")).toBe(201);
      const body = await json<Posted>(res);
      tokens.set(body.comment.id, body.editToken);
      return body.comment.id;
    }

    /** Does one action; answers what it did, for the log. */
    async function step(all: Stored[]): Promise<string> {
      const WEIGHTS = [
        ["top", 14],
        ["reply", 26],
        ["author-delete", 7],
        ["delete", 8],
        ["purge", 5],
        ["spam", 8],
        ["approve", 10],
        ["restore", 10],
        ["bulk-delete-email", 3],
        ["flag", 9],
      ] as const;
      const roll = random() * 100;
      let total = 0;
      const action =
        WEIGHTS.find(([, weight]) => {
          total += weight;
          return roll < total;
        })?.[0] ?? "top";
      const fallback = async () => `top ${await postOne()}`;
      const expectStatus = (res: Response, status: number) =>
        expect(res.status, `${action} after ${log.join(" ")}`).toBe(status);

      switch (action) {
        case "top":
          return fallback();
        case "reply": {
          const parents = all.filter((c) => visible(c, all));
          if (parents.length === 0) return fallback();
          const parent = pick(parents);
          return `reply ${await postOne(parent.id)} to ${parent.id}`;
        }
        case "author-delete": {
          const own = among(all, "published", "pending").filter((c) => tokens.has(c.id));
          if (own.length === 0) return fallback();
          const target = pick(own);
          const res = await call(
            "DELETE",
            `/api/v1/sites/${site.id}/comments/${target.id}`,
            undefined,
            bearer(tokens.get(target.id) ?? ""),
          );
          expectStatus(res, 204);
          return `${action} ${target.id}`;
        }
        case "delete":
        case "purge": {
          const targets = action === "delete" ? among(all, "published", "pending", "spam") : all;
          if (targets.length === 0) return fallback();
          const target = pick(targets);
          expectStatus(await remove(site, target.id, action === "purge"), 204);
          return `${action} ${target.id}`;
        }
        case "spam":
        case "approve":
        case "restore": {
          const from = {
            spam: ["published", "pending", "deleted"],
            approve: ["pending", "spam"],
            restore: ["deleted", "spam"],
          }[action];
          const targets = among(all, ...from);
          if (targets.length === 0) return fallback();
          const target = pick(targets);
          const refused = action === "restore" && purged(target);
          expectStatus(await act(site, target.id, action), refused ? 409 : 200);
          return `${action} ${target.id}${refused ? " (refused)" : ""}`;
        }
        case "bulk-delete-email": {
          const live = all.filter((c) => c.status !== "deleted" && c.author_email);
          if (live.length === 0) return fallback();
          const email = pick(live).author_email as string;
          const expected = live.filter((c) => c.author_email === email).length;
          const res = await bulk(site, { action: "delete", authorEmail: email });
          expectStatus(res, 200);
          expect((await json<{ affected: number }>(res)).affected, log.join(" ")).toBe(expected);
          return `${action} ${email} (${expected})`;
        }
        case "flag": {
          const targets = among(all, "published");
          if (targets.length === 0) return fallback();
          const target = pick(targets);
          // Thirty readers, so none reaches the flag rate limit (not what this is about).
          const ip = pick(Array.from({ length: 30 }, (_, i) => `203.0.113.${i + 1}`));
          expectStatus(await flag(site, target.id, ip), 202);
          return `flag ${target.id} from ${ip}`;
        }
      }
    }

    async function check(after: number) {
      const all = await stored();
      const where = `seed ${SEED}, after action ${after}: ${log.slice(-12).join("; ")}`;
      const [threadRow] = await rows("SELECT id FROM threads WHERE site_id = ?", site.id);
      const [published] = await rows(
        "SELECT count(*) AS n FROM comments WHERE thread_id = ? AND status = 'published'",
        threadRow?.id,
      );
      const { count, shown } = await everythingShown(site.id, page);
      // Counts are edge-cached for 30 s per set of pages: a set never asked before is counted
      // afresh, so each check reads what D1 holds now.
      const unasked = `${page}-unasked-${after}`;
      const counts = await json<{ counts: Record<string, number> }>(
        await call(
          "GET",
          `/api/v1/sites/${site.id}/counts?page=${encodeURIComponent(page)}&page=${encodeURIComponent(unasked)}`,
        ),
      );
      expect({ thread: count, counts: counts.counts[page] }, where).toEqual({
        thread: published?.n,
        counts: published?.n,
      });

      const byId = new Map(all.map((c) => [c.id, c]));
      expect(new Set(idsOf(shown)).size, where).toBe(shown.length);
      expect(
        shown.map((c) => ({ id: c.id, status: c.status, replyCount: c.replyCount })),
        where,
      ).toEqual(
        shown.map((c) => {
          const row = byId.get(c.id);
          return {
            id: c.id,
            status: row?.status,
            replyCount: row ? publishedBelow(row, all) : -1,
          };
        }),
      );
      const placeholders = shown.filter((c) => c.status === "deleted");
      expect(
        placeholders.filter((c) => c.author !== null || c.body !== null).map((c) => c.id),
        where,
      ).toEqual([]);
      // Shown, but neither published nor a deleted comment with published replies.
      const notVisible = shown.filter((c) => {
        const row = byId.get(c.id);
        return !row || !visible(row, all);
      });
      expect(idsOf(notVisible), where).toEqual([]);
      // Visible with every ancestor visible, yet missing from the thread.
      const shownIds = new Set(idsOf(shown));
      const missing = all.filter(
        (c) =>
          !shownIds.has(c.id) &&
          c.path.split("/").every((id) => {
            const ancestor = byId.get(id);
            return ancestor !== undefined && visible(ancestor, all);
          }),
      );
      expect(idsOf(missing), where).toEqual([]);
    }

    const seen = new Set<string>();
    for (let i = 1; i <= 150; i++) {
      const all = await stored();
      for (const c of all)
        seen.add(visible(c, all) && c.status === "deleted" ? "placeholder" : c.status);
      log.push(`${i}:${await step(all)}`);
      if (i % 10 === 0) await check(i);
    }
    // The sequence really went through every state the counts depend on.
    expect([...seen].sort()).toEqual(["deleted", "pending", "placeholder", "published", "spam"]);
  });
});

describe("blocks", () => {
  it("adds a block of each kind (201 {block}) and lists them", async () => {
    const site = await newSite();
    const email = await addBlock(site, "email", "troll@example.com");
    const ip = await addBlock(site, "ip", "0123456789abcdef0123456789abcdef");
    const phrase = await addBlock(site, "phrase", "casino");
    expect([email, ip, phrase]).toEqual([
      {
        id: expect.any(String),
        kind: "email",
        value: "troll@example.com",
        createdAt: expect.any(String),
      },
      {
        id: expect.any(String),
        kind: "ip",
        value: "0123456789abcdef0123456789abcdef",
        createdAt: expect.any(String),
      },
      { id: expect.any(String), kind: "phrase", value: "casino", createdAt: expect.any(String) },
    ]);
    const listed = await listBlocks(site);
    expect(idsOf(listed).sort()).toEqual(idsOf([email, ip, phrase]).sort());
  });

  it("removes a block: 204, then 404 for the same id again", async () => {
    const site = await newSite();
    const kept = await addBlock(site, "phrase", "lottery");
    const gone = await addBlock(site, "email", "gone@example.com");
    expect((await asModerator(site, "DELETE", `/blocks/${gone.id}`)).status).toBe(204);
    const again = await asModerator(site, "DELETE", `/blocks/${gone.id}`);
    expect(again.status).toBe(404);
    expect((await json<{ error: { code: string } }>(again)).error.code).toEqual(expect.any(String));
    expect(idsOf(await listBlocks(site))).toEqual([kept.id]);
  });

  it("answers 404 for another site's block and keeps it", async () => {
    const [mine, theirs] = await Promise.all([newSite(), newSite()]);
    const block = await addBlock(theirs, "phrase", "crypto");
    expect((await asModerator(mine, "DELETE", `/blocks/${block.id}`)).status).toBe(404);
    expect(idsOf(await listBlocks(theirs))).toEqual([block.id]);
    expect(await listBlocks(mine)).toEqual([]);
  });

  it("stores phrases folded: lower case, accents removed", async () => {
    const site = await newSite();
    const block = await addBlock(site, "phrase", "Préstamos RÁPIDOS");
    expect(block.value).toBe("prestamos rapidos");
    expect((await listBlocks(site)).map((b) => b.value)).toEqual(["prestamos rapidos"]);
  });

  it("answers a duplicate with the block already there", async () => {
    const site = await newSite();
    const phrase = await addBlock(site, "phrase", "Crédito fácil");
    expect((await addBlock(site, "phrase", "credito facil")).id).toBe(phrase.id);
    const ip = await addBlock(site, "ip", "fedcba9876543210fedcba9876543210");
    expect((await addBlock(site, "ip", "fedcba9876543210fedcba9876543210")).id).toBe(ip.id);
    expect((await listBlocks(site)).length).toBe(2);
  });

  // BUG 6 (blocks are not applied to new posts): see the list at the top of this file.

  it("keeps a post that matches a block as spam: hidden, never lost", async () => {
    const site = await newSite();
    const page = pageUrl();
    await addBlock(site, "email", "troll@example.com");
    await addBlock(site, "phrase", "casino");
    const byEmail = await post(site.id, page, {
      author: { name: "Troll", email: "troll@example.com" },
      body: "Nothing suspicious in the words",
    });
    const byPhrase = await post(site.id, page, { body: "Best CASINO bonus here" });
    expect(await statuses(byEmail.comment.id, byPhrase.comment.id)).toEqual(["spam", "spam"]);
    expect(await countOf(site, page)).toBe(0);
  });
});

describe("locking a thread", () => {
  it("answers 423 thread_locked to posts on a locked page and stores nothing", async () => {
    const site = await newSite();
    const page = pageUrl();
    const { comment } = await post(site.id, page, { body: "Before the lock" });
    const res = await lock(site, page, true);
    expect(res.status).toBe(200);
    expect(
      (await json<{ thread: { page: string; locked: boolean; count: number } }>(res)).thread,
    ).toMatchObject({
      page,
      locked: true,
      count: 1,
    });
    await expectError(await postRaw(site.id, page, { body: "Too late" }), 423, "thread_locked");
    await expectError(
      await postRaw(site.id, page, { body: "Late reply", parentId: comment.id }),
      423,
      "thread_locked",
    );
    expect(await rows("SELECT id FROM comments WHERE site_id = ?", site.id)).toEqual([
      { id: comment.id },
    ]);
    expect((await thread(site.id, page)).thread).toMatchObject({ locked: true, count: 1 });
  });

  it("locks a page nobody has commented on yet", async () => {
    const site = await newSite();
    const page = pageUrl();
    const res = await lock(site, page, true);
    expect(res.status).toBe(200);
    expect((await json<{ thread: { locked: boolean; count: number } }>(res)).thread).toMatchObject({
      locked: true,
      count: 0,
    });
    await expectError(await postRaw(site.id, page, { body: "First!" }), 423, "thread_locked");
    expect(await rows("SELECT id FROM comments WHERE site_id = ?", site.id)).toEqual([]);
  });

  it("locks the page whatever spelling the lock names", async () => {
    const site = await newSite();
    const page = pageUrl();
    expect((await lock(site, otherSpelling(page), true)).status).toBe(200);
    await expectError(await postRaw(site.id, page, { body: "Sneaking in" }), 423, "thread_locked");
  });

  it("unlocking lets posts in again", async () => {
    const site = await newSite();
    const page = pageUrl();
    expect((await lock(site, page, true)).status).toBe(200);
    const res = await lock(site, page, false);
    expect(res.status).toBe(200);
    expect((await json<{ thread: { locked: boolean } }>(res)).thread.locked).toBe(false);
    expect((await postRaw(site.id, page, { body: "Open again" })).status).toBe(201);
    expect((await thread(site.id, page)).thread).toMatchObject({ locked: false, count: 1 });
  });
});

describe("audit log", () => {
  it("records every action with actor, action, target, before, after and time, newest first", async () => {
    const site = await newSite({ moderation: "all" });
    const page = pageUrl();
    const [c1, c2, c3] = [
      (await post(site.id, page, { body: "One" })).comment.id,
      (await post(site.id, page, { body: "Two" })).comment.id,
      (await post(site.id, page, { body: "Three" })).comment.id,
    ];
    const started = Date.now();
    const steps: Array<() => Promise<Response>> = [
      () => act(site, c1, "approve"),
      () => act(site, c1, "spam"),
      () => act(site, c1, "restore"),
      () => remove(site, c1),
      () => remove(site, c2, true),
      () => bulk(site, { action: "approve", ids: [c3] }),
      () => bulk(site, { action: "spam", ids: [c3] }),
      () => bulk(site, { action: "delete", ids: [c3] }),
    ];
    for (const step of steps) {
      expect((await step()).status).toBeLessThan(300);
      await tick();
    }
    const block = await addBlock(site, "phrase", "casino");
    await tick();
    expect((await asModerator(site, "DELETE", `/blocks/${block.id}`)).status).toBe(204);
    await tick();
    expect((await lock(site, page, true)).status).toBe(200);
    await tick();
    expect((await lock(site, page, false)).status).toBe(200);

    // The operator's entries (the site's creation) are covered in moderation-auth.test.ts.
    const entries = (await auditOf(site, "limit=100")).entries.filter(
      (e) => e.actor !== "operator",
    );
    const expected = [
      ["approve", c1, "pending", "published"],
      ["spam", c1, "published", "spam"],
      ["restore", c1, "spam", "published"],
      ["delete", c1, "published", "deleted"],
      ["purge", c2, "pending", "deleted"],
      ["bulk-approve", c3, "pending", "published"],
      ["bulk-spam", c3, "published", "spam"],
      ["bulk-delete", c3, "spam", "deleted"],
      ["block", block.id, null, null],
      ["unblock", block.id, null, null],
      ["lock", page, null, null],
      ["unlock", page, null, null],
    ].reverse();
    expect(
      entries.map(({ actor, action, target, before, after }) => [
        actor,
        action,
        target,
        before,
        after,
      ]),
    ).toEqual(expected.map((e) => ["default", ...e]));
    const times = entries.map((e) => Date.parse(e.createdAt));
    expect(times.every((t) => t >= started - 1000 && t <= Date.now() + 1000)).toBe(true);
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it("pages through the log newest first with a cursor", async () => {
    const site = await newSite();
    for (const word of ["alpha", "beta", "gamma", "delta", "epsilon"]) {
      await addBlock(site, "phrase", word);
      await tick();
    }
    // Five blocks after the operator's create-site entry.
    const all = (await auditOf(site, "limit=100")).entries;
    expect(all.length).toBe(6);
    const seen: AuditEntry[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    do {
      const result = await auditOf(
        site,
        `limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      );
      seen.push(...result.entries);
      sizes.push(result.entries.length);
      cursor = result.nextCursor;
    } while (cursor && sizes.length < 10);
    expect(sizes).toEqual([2, 2, 2]);
    expect(seen).toEqual(all);
    const blocks = await listBlocks(site);
    const phraseOf = new Map(blocks.map((b) => [b.id, b.value]));
    expect(seen.map((e) => phraseOf.get(e.target ?? "") ?? e.action)).toEqual([
      "epsilon",
      "delta",
      "gamma",
      "beta",
      "alpha",
      "create-site",
    ]);
  });

  it("keeps each site's entries to that site", async () => {
    // Entries of comment actions are covered by the exact log of the test above.
    const [a, b] = await Promise.all([newSite(), newSite()]);
    const page = pageUrl();
    const blockA = await addBlock(a, "phrase", "only on a");
    const blockB = await addBlock(b, "phrase", "only on b");
    expect((await lock(b, page, true)).status).toBe(200);
    expect({
      a: (await auditOf(a)).entries.map((e) => e.target),
      b: (await auditOf(b)).entries.map((e) => e.target).sort(),
    }).toEqual({
      a: [blockA.id, a.id],
      b: [blockB.id, page, b.id].sort(),
    });
  });
});
