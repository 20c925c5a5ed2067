import { describe, expect, it } from "vitest";
import { ADMIN, call, expectError, json, pageUrl, post, rows, thread } from "./helpers";
import { act, asModerator, bearer, newSite, remove, tick } from "./moderation-fixtures";

/*
 * Moderators in the conversation (issue 15): a reply as staff and a pinned comment, through the
 * moderation API the console uses too. How it could be abused, and the answer each test checks:
 * - a reader calling themself "Staff" → the badge comes only from `staff`, which only a
 *   moderator's reply carries; a reader's post cannot set it;
 * - a key of site A replying or pinning on site B → 403, nothing written;
 * - a reply under a held or spam comment (which would leak that it exists) → 409;
 * - pinning a reply, a held or a deleted comment → 409; a cached first page after a pin → the
 *   pin shows at once (the version moves);
 * - a staff reply's private data → none stored (no email, no ip hash, no edit token).
 */

interface ModComment {
  id: string;
  parentId: string | null;
  status: string;
  staff: boolean;
  pinned: boolean;
  author: { name: string };
}

const reply = (site: { id: string; secret: string }, id: string, body: unknown) =>
  asModerator(site, "POST", `/comments/${id}/reply`, body);

describe("a reply as staff", () => {
  it("is published at once under the parent, with the staff badge readers see", async () => {
    const site = await newSite({ moderation: "all" });
    const page = pageUrl();
    const parent = await post(site.id, page, { body: "Is this fixed?" });
    await act(site, parent.comment.id, "approve");

    const res = await reply(site, parent.comment.id, { body: "Yes, **today**.", name: "Ana" });
    expect(res.status).toBe(201);
    const { comment } = await json<{ comment: ModComment }>(res);
    expect(comment).toMatchObject({
      parentId: parent.comment.id,
      status: "published",
      staff: true,
      author: { name: "Ana" },
    });

    const view = await thread(site.id, page);
    const shown = view.comments.find((c) => c.id === comment.id);
    expect(shown).toMatchObject({ staff: true, author: { name: "Ana" }, status: "published" });
    // A reader's comment carries no staff field at all.
    expect(view.comments.find((c) => c.id === parent.comment.id)).not.toHaveProperty("staff");
    const [stored] = await rows(
      "SELECT author_email, ip_hash, user_agent, edit_token_hash, staff_by FROM comments WHERE id = ?",
      comment.id,
    );
    expect(stored).toMatchObject({
      author_email: null,
      ip_hash: null,
      user_agent: null,
      edit_token_hash: null,
    });
    expect(stored?.staff_by).toMatch(/^k_/);
    const [audit] = await rows(
      "SELECT action, target FROM audit_log WHERE site_id = ? AND action = 'staff-reply'",
      site.id,
    );
    expect(audit).toEqual({ action: "staff-reply", target: comment.id });
  });

  it("remembers the name a key replied under, and otherwise uses the site's name", async () => {
    const site = await newSite();
    const page = pageUrl();
    const first = await post(site.id, page, { body: "One" });
    const second = await post(site.id, page, { body: "Two" });

    const unnamed = await json<{ comment: ModComment }>(
      await reply(site, first.comment.id, { body: "Thanks" }),
    );
    const [siteRow] = await rows("SELECT name FROM sites WHERE id = ?", site.id);
    expect(unnamed.comment.author.name).toBe(siteRow?.name);

    await reply(site, first.comment.id, { body: "Noted", name: "The editors" });
    const later = await json<{ comment: ModComment }>(
      await reply(site, second.comment.id, { body: "Also noted" }),
    );
    expect(later.comment.author.name).toBe("The editors");
    const keys = await json<{ keys: Array<{ displayName: string | null }> }>(
      await call("GET", `/api/v1/sites/${site.id}/keys`, undefined, ADMIN),
    );
    expect(keys.keys.map((k) => k.displayName)).toContain("The editors");
  });

  it("is refused under a comment readers cannot see, and for another site's key", async () => {
    const site = await newSite({ moderation: "all" });
    const other = await newSite();
    const page = pageUrl();
    const held = await post(site.id, page, { body: "Held" });
    await expectError(await reply(site, held.comment.id, { body: "Hi" }), 409, "conflict");
    await act(site, held.comment.id, "approve");
    await remove(site, held.comment.id);
    await expectError(await reply(site, held.comment.id, { body: "Hi" }), 409, "conflict");

    const res = await call(
      "POST",
      `/api/v1/sites/${site.id}/moderation/comments/${held.comment.id}/reply`,
      { body: "From elsewhere" },
      bearer(other.secret),
    );
    expect(res.status).toBe(403);
    await expectError(
      await reply(site, `c_${"0".repeat(26)}`, { body: "Hi" }),
      404,
      "comment_not_found",
    );
    await expectError(await reply(site, held.comment.id, { body: "" }), 422, "validation_failed");
    const [count] = await rows(
      "SELECT count(*) AS n FROM comments WHERE site_id = ? AND staff_by IS NOT NULL",
      site.id,
    );
    expect(count?.n).toBe(0);
  });

  it("is allowed on a locked page, where readers cannot post", async () => {
    const site = await newSite();
    const page = pageUrl();
    const parent = await post(site.id, page, { body: "Last word?" });
    await asModerator(site, "PATCH", `/threads?page=${encodeURIComponent(page)}`, {
      locked: true,
    });
    expect((await reply(site, parent.comment.id, { body: "Closing this." })).status).toBe(201);
  });

  it("cannot be faked by a reader: a posted `staff` field is ignored", async () => {
    const site = await newSite();
    const page = pageUrl();
    const res = await call("POST", `/api/v1/sites/${site.id}/comments`, {
      page,
      author: { name: "Staff" },
      body: "Trust me",
      staff: true,
    });
    const posted = await json<{ comment: { id: string } }>(res);
    const view = await thread(site.id, page);
    expect(view.comments.find((c) => c.id === posted.comment.id)).not.toHaveProperty("staff");
  });
});

describe("a pinned comment", () => {
  async function threeComments() {
    const site = await newSite();
    const page = pageUrl();
    const ids: string[] = [];
    for (const body of ["First", "Second", "Third"]) {
      ids.push((await post(site.id, page, { body })).comment.id);
      await tick();
    }
    return { site, page, ids };
  }
  const pin = (site: { id: string; secret: string }, id: string, action = "pin") =>
    asModerator(site, "POST", `/comments/${id}/${action}`);
  const order = async (siteId: string, page: string, query = "") =>
    (await thread(siteId, page, query)).comments.map((c) => c.id);

  it("opens the first page in every sort, marked, and the cached view follows at once", async () => {
    const { site, page, ids } = await threeComments();
    const [first, second, third] = ids as [string, string, string];
    expect(await order(site.id, page, "&sort=oldest")).toEqual([first, second, third]);

    const res = await pin(site, third);
    expect(res.status).toBe(200);
    expect((await json<{ comment: ModComment }>(res)).comment.pinned).toBe(true);
    expect(await order(site.id, page, "&sort=oldest")).toEqual([third, first, second]);
    expect(await order(site.id, page, "&sort=newest")).toEqual([third, second, first]);
    const view = await thread(site.id, page, "&sort=oldest");
    expect(view.comments[0]).toMatchObject({ id: third, pinned: true });
    expect(view.comments[1]).not.toHaveProperty("pinned");

    // Pinning another replaces it; unpinning restores the plain order.
    await pin(site, first);
    expect(await order(site.id, page, "&sort=newest")).toEqual([first, third, second]);
    expect((await pin(site, first, "unpin")).status).toBe(200);
    expect(await order(site.id, page, "&sort=newest")).toEqual([third, second, first]);
    const audit = await rows(
      "SELECT action, target FROM audit_log WHERE site_id = ? AND action IN ('pin', 'unpin') ORDER BY id",
      site.id,
    );
    expect(audit).toEqual([
      { action: "pin", target: third },
      { action: "pin", target: first },
      { action: "unpin", target: first },
    ]);
  });

  it("is shown once across pages: later pages leave it out, and every comment is reached", async () => {
    const { site, page, ids } = await threeComments();
    const [first, second, third] = ids as [string, string, string];
    await pin(site, second);
    const one = await thread(site.id, page, "&sort=oldest&limit=1");
    expect(one.comments.map((c) => c.id)).toEqual([second, first]);
    expect(one.nextCursor).not.toBeNull();
    const two = await thread(
      site.id,
      page,
      `&sort=oldest&limit=1&cursor=${encodeURIComponent(one.nextCursor ?? "")}`,
    );
    expect(two.comments.map((c) => c.id)).toEqual([third]);
    expect(two.nextCursor).toBeNull();
  });

  it("takes only a published top-level comment; a reply, a held one and another site's key are refused", async () => {
    const site = await newSite();
    const other = await newSite();
    const page = pageUrl();
    const root = await post(site.id, page, { body: "Root" });
    const child = await post(site.id, page, { body: "Child", parentId: root.comment.id });
    await expectError(await pin(site, child.comment.id), 409, "conflict");
    await act(site, root.comment.id, "spam");
    await expectError(await pin(site, root.comment.id), 409, "conflict");
    const res = await call(
      "POST",
      `/api/v1/sites/${site.id}/moderation/comments/${root.comment.id}/pin`,
      undefined,
      bearer(other.secret),
    );
    expect(res.status).toBe(403);
    const [threadRow] = await rows("SELECT pinned_id FROM threads WHERE site_id = ?", site.id);
    expect(threadRow?.pinned_id).toBeNull();
  });

  it("stops showing first once it is removed, and its thread keeps every other comment", async () => {
    const { site, page, ids } = await threeComments();
    const [first, second, third] = ids as [string, string, string];
    await pin(site, second);
    await act(site, second, "spam");
    expect(await order(site.id, page, "&sort=oldest")).toEqual([first, third]);
  });
});
