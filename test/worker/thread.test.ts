import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ThreadSchema } from "../../src/routes/schemas/readers";
import { REPLIES_PER_ROOT } from "../../src/services/comments/reading";
import {
  call,
  createSite,
  expectError,
  json,
  pageUrl,
  post,
  type ThreadView,
  thread,
} from "./helpers";

type ViewComment = ThreadView["comments"][number];

/** Every comment of a page, following nextCursor to the end. */
async function allPages(site: string, page: string, query: string): Promise<ViewComment[]> {
  const seen: ViewComment[] = [];
  let cursor: string | null = null;
  do {
    const view: ThreadView = await thread(
      site,
      page,
      `${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
    );
    seen.push(...view.comments);
    cursor = view.nextCursor;
  } while (cursor);
  return seen;
}

describe("GET thread", () => {
  it("answers JSON in the OpenAPI document's Thread schema, built and cached alike", async () => {
    const site = await createSite();
    const page = pageUrl();
    const root = await post(site.id, page, { body: "First" });
    await post(site.id, page, { body: "A reply", parentId: root.comment.id });
    const path = `/api/v1/sites/${site.id}/thread?page=${encodeURIComponent(page)}`;
    const answers = [];
    // A view built from D1, then the same from the edge cache (its stored text, sent as it is).
    for (const cache of ["miss", "hit"]) {
      const res = await call("GET", path);
      expect(res.headers.get("server-timing")).toContain(`cache;desc="${cache}"`);
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      const body = await res.json();
      // Strict: no field the schema does not name, and every one it does.
      expect(ThreadSchema.strict().parse(body)).toEqual(body);
      answers.push(body as ThreadView);
    }
    const [built, cached] = answers;
    expect(cached?.comments).toEqual(built?.comments);
    expect(cached?.site).toEqual(built?.site);
    // Each answer carries a form token of its own.
    expect(cached?.issuedAt).toMatch(/^\d+\.[0-9a-f]+$/);
  });

  it("answers 200 with count 0 for a page nobody has commented on", async () => {
    const site = await createSite();
    const view = await thread(site.id, pageUrl());
    expect(view.thread.count).toBe(0);
    expect(view.comments).toEqual([]);
    expect(view.nextCursor).toBeNull();
    expect(view.site).toMatchObject({ id: site.id, moderation: "none", maxDepth: 5 });
  });

  it("answers 404 for an unknown site", async () => {
    await expectError(
      await call("GET", "/api/v1/sites/no-such-site/thread?page=x"),
      404,
      "site_not_found",
    );
  });

  it("lists each top-level comment followed by its replies, depth-first", async () => {
    const site = await createSite();
    const page = pageUrl();
    const a = await post(site.id, page, { body: "A" });
    const b = await post(site.id, page, { body: "B" });
    const a1 = await post(site.id, page, { body: "A1", parentId: a.comment.id });
    const a1x = await post(site.id, page, { body: "A1x", parentId: a1.comment.id });
    const a2 = await post(site.id, page, { body: "A2", parentId: a.comment.id });
    const b1 = await post(site.id, page, { body: "B1", parentId: b.comment.id });

    const view = await thread(site.id, page);
    expect(view.comments.map((c) => c.id)).toEqual([
      a.comment.id,
      a1.comment.id,
      a1x.comment.id,
      a2.comment.id,
      b.comment.id,
      b1.comment.id,
    ]);
    expect(view.comments.map((c) => c.depth)).toEqual([0, 1, 2, 1, 0, 1]);
    expect(view.thread.count).toBe(6);
    expect(view.comments[0]?.replyCount).toBe(3);
  });

  it("orders top-level comments by the sort while replies stay oldest first", async () => {
    const site = await createSite();
    const page = pageUrl();
    const first = await post(site.id, page, { body: "first" });
    const second = await post(site.id, page, { body: "second" });
    const reply = await post(site.id, page, { body: "r", parentId: first.comment.id });
    const third = await post(site.id, page, { body: "third" });
    const vote = (id: string, ip: string, value: number) =>
      call(
        "POST",
        `/api/v1/sites/${site.id}/comments/${id}/vote`,
        { value },
        {
          "cf-connecting-ip": ip,
        },
      );
    await vote(second.comment.id, "198.51.100.1", 1);
    await vote(second.comment.id, "198.51.100.2", 1);
    await vote(third.comment.id, "198.51.100.1", 1);

    const ids = async (sort: string) =>
      (await thread(site.id, page, `&sort=${sort}`)).comments.map((c) => c.id);
    expect(await ids("oldest")).toEqual([
      first.comment.id,
      reply.comment.id,
      second.comment.id,
      third.comment.id,
    ]);
    expect(await ids("newest")).toEqual([
      third.comment.id,
      second.comment.id,
      first.comment.id,
      reply.comment.id,
    ]);
    expect(await ids("top")).toEqual([
      second.comment.id,
      third.comment.id,
      first.comment.id,
      reply.comment.id,
    ]);
  });

  it.each(["oldest", "newest", "top"])(
    "pages through every comment once with sort=%s",
    async (sort) => {
      const site = await createSite();
      const page = pageUrl();
      const posted: string[] = [];
      for (let i = 0; i < 7; i++) {
        const root = await post(site.id, page, { body: `root ${i}` });
        posted.push(root.comment.id);
        if (i % 2 === 0) {
          posted.push((await post(site.id, page, { parentId: root.comment.id })).comment.id);
        }
      }
      const seen = await allPages(site.id, page, `&sort=${sort}&limit=2`);
      expect(seen.map((c) => c.id).sort()).toEqual([...posted].sort());
    },
  );

  it("keeps pages free of duplicates and gaps while comments arrive", async () => {
    const site = await createSite();
    const page = pageUrl();
    const before: string[] = [];
    for (let i = 0; i < 6; i++) before.push((await post(site.id, page)).comment.id);

    for (const sort of ["oldest", "newest"]) {
      const seen: string[] = [];
      const arrived: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = `&sort=${sort}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
        const view = await thread(site.id, page, query);
        seen.push(...view.comments.map((c) => c.id));
        cursor = view.nextCursor;
        // Two new comments land between each of the first pages.
        if (arrived.length < 6) {
          for (let i = 0; i < 2; i++) arrived.push((await post(site.id, page)).comment.id);
        }
      } while (cursor);

      expect(new Set(seen).size).toBe(seen.length);
      for (const id of before) expect(seen).toContain(id);
      if (sort === "oldest") {
        // Oldest first, arrivals append at the end, so paging reaches them all, in order.
        expect(seen).toEqual([...before, ...arrived]);
      } else {
        // Newest first, arrivals land above the cursor: the pages hold exactly what was there.
        expect(seen).toEqual([...before].reverse());
      }
      before.push(...arrived);
    }
  });

  it("bounds the response and continues a long reply subtree through moreReplies", async () => {
    const site = await createSite();
    const page = pageUrl();
    const root = await post(site.id, page, { body: "root" });
    const replies: string[] = [];
    for (let i = 0; i < REPLIES_PER_ROOT + 5; i++) {
      replies.push((await post(site.id, page, { parentId: root.comment.id })).comment.id);
    }
    const view = await thread(site.id, page);
    expect(view.comments).toHaveLength(1 + REPLIES_PER_ROOT);
    const head = view.comments[0];
    expect(head?.replyCount).toBe(REPLIES_PER_ROOT + 5);
    expect(head?.moreReplies).toEqual(expect.any(String));

    const res = await call(
      "GET",
      `/api/v1/sites/${site.id}/comments/${root.comment.id}/replies?cursor=${encodeURIComponent(head?.moreReplies ?? "")}&limit=3`,
    );
    expect(res.status).toBe(200);
    const more = await json<{ comments: ViewComment[]; nextCursor: string | null }>(res);
    expect(more.comments.map((c) => c.id)).toEqual(
      replies.slice(REPLIES_PER_ROOT, REPLIES_PER_ROOT + 3),
    );
    const rest = await json<{ comments: ViewComment[]; nextCursor: string | null }>(
      await call(
        "GET",
        `/api/v1/sites/${site.id}/comments/${root.comment.id}/replies?cursor=${encodeURIComponent(more.nextCursor ?? "")}`,
      ),
    );
    expect(rest.comments.map((c) => c.id)).toEqual(replies.slice(REPLIES_PER_ROOT + 3));
    expect(rest.nextCursor).toBeNull();
  });

  it("shows a deleted comment with replies as a placeholder without author or body", async () => {
    const site = await createSite();
    const page = pageUrl();
    const parent = await post(site.id, page, { body: "secret words", author: { name: "Gone" } });
    await post(site.id, page, { parentId: parent.comment.id });
    const res = await call(
      "DELETE",
      `/api/v1/sites/${site.id}/comments/${parent.comment.id}`,
      undefined,
      { authorization: `Bearer ${parent.editToken}` },
    );
    expect(res.status).toBe(204);

    const view = await thread(site.id, page);
    expect(view.thread.count).toBe(1);
    expect(view.comments[0]).toMatchObject({
      id: parent.comment.id,
      status: "deleted",
      author: null,
      body: null,
    });
    expect(JSON.stringify(view)).not.toContain("secret words");
    expect(JSON.stringify(view)).not.toContain("Gone");
  });

  it("drops a deleted comment without replies, and its placeholder parent once that has none", async () => {
    const site = await createSite();
    const page = pageUrl();
    const parent = await post(site.id, page);
    const child = await post(site.id, page, { parentId: parent.comment.id });
    const del = (p: typeof parent) =>
      call("DELETE", `/api/v1/sites/${site.id}/comments/${p.comment.id}`, undefined, {
        authorization: `Bearer ${p.editToken}`,
      });
    await del(parent);
    expect((await thread(site.id, page)).comments.map((c) => c.status)).toEqual([
      "deleted",
      "published",
    ]);
    await del(child);
    const view = await thread(site.id, page);
    expect(view.comments).toEqual([]);
    expect(view.thread.count).toBe(0);
  });

  it("never shows pending or spam comments", async () => {
    const site = await createSite({ moderation: "all" });
    const page = pageUrl();
    const held = await post(site.id, page, { body: "held" });
    expect(held.comment.status).toBe("pending");
    const open = await createSite();
    await post(open.id, page, { body: "bot", hp: "http://spam.example" });
    expect((await thread(site.id, page)).comments).toEqual([]);
    expect((await thread(open.id, page)).comments).toEqual([]);
    expect((await thread(open.id, page)).thread.count).toBe(0);
  });

  it("treats two spellings of one page as one thread", async () => {
    const site = await createSite();
    const page = pageUrl();
    await post(site.id, `${page}/?utm_source=newsletter#comments`);
    await post(site.id, page.replace("https://news.example", "HTTPS://NEWS.EXAMPLE:443"));
    const view = await thread(site.id, `${page}/index.html`);
    expect(view.thread).toMatchObject({ page, count: 2 });
  });

  it("takes the title from the first comment, else the page", async () => {
    const site = await createSite();
    const titled = pageUrl();
    await post(site.id, titled, { title: "Rates rise again" });
    await post(site.id, titled, { title: "Something else" });
    expect((await thread(site.id, titled)).thread.title).toBe("Rates rise again");
    const untitled = pageUrl();
    await post(site.id, untitled);
    expect((await thread(site.id, untitled)).thread.title).toBe(untitled);
  });

  it("reports the thread as locked", async () => {
    const site = await createSite();
    const page = pageUrl();
    await post(site.id, page);
    await env.DB.prepare("UPDATE threads SET locked = 1 WHERE site_id = ?").bind(site.id).run();
    expect((await thread(site.id, page)).thread.locked).toBe(true);
  });
});

describe("concurrency", () => {
  it("stores all of 100 concurrent posts to one page and counts 100", async () => {
    const site = await createSite();
    const page = pageUrl();
    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        call("POST", `/api/v1/sites/${site.id}/comments`, {
          page,
          author: { name: `Reader ${i}` },
          body: `Comment ${i}`,
        }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(100).fill(201));
    const view = await thread(site.id, page, "&limit=100");
    expect(view.thread.count).toBe(100);
    expect(view.comments).toHaveLength(100);
    const stored = await env.DB.prepare(
      "SELECT count(*) AS n FROM comments WHERE site_id = ? AND status = 'published'",
    )
      .bind(site.id)
      .first<{ n: number }>();
    expect(stored?.n).toBe(100);
    expect(
      await env.DB.prepare("SELECT count(*) AS n FROM threads WHERE site_id = ?")
        .bind(site.id)
        .first("n"),
    ).toBe(1);
  });
});
