import { describe, expect, it } from "vitest";
import { expectError, json, pageUrl, post, postRaw, rows, thread } from "./helpers";
import { lock, newSite, otherSpelling } from "./moderation-fixtures";

/*
 * Locking a thread (API.md "Moderators"): a locked page takes no posts, whatever its spelling,
 * until a moderator unlocks it.
 */

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
