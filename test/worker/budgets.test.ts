import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { newId } from "../../src/platform/ids";
import { RECENT_MS } from "../../src/services/recent-reads";
import { MEMO_MS, STALE_MS } from "../../src/services/sites/site-memo";
import { moveClock } from "./clock";
import {
  call,
  createSite,
  json,
  type Posted,
  pageUrl,
  post,
  type SiteFixture,
  type ThreadView,
  workerApi,
} from "./helpers";

/*
 * Issue 5's budgets, from D1's own accounting as `Server-Timing` reports it: a cold thread view
 * reads at most (comments returned + 2) rows, a cached one at most 1, counts for 100 pages at
 * most 100, and a post writes in one D1 batch. Plus what makes the cache safe: after any write
 * the very next view shows it.
 */

interface Timing {
  rows: number;
  written: number;
  calls: number;
  writecalls: number;
  cache?: string;
}

function timing(res: Response): Timing {
  const header = res.headers.get("server-timing") ?? "";
  const metric = (name: string) => new RegExp(`\\b${name};desc="([^"]*)"`).exec(header)?.[1];
  return {
    rows: Number(metric("rows")),
    written: Number(metric("written")),
    calls: Number(metric("calls")),
    writecalls: Number(metric("writecalls")),
    cache: metric("cache"),
  };
}

const countsPath = (site: string, pages: string[]) =>
  `/api/v1/sites/${site}/counts?${pages.map((p) => `page=${encodeURIComponent(p)}`).join("&")}`;

/** A post as the widget sends it, answered as it is (post() in helpers expects success). */
const send = (site: string, page: string, body: string) =>
  call("POST", `/api/v1/sites/${site}/comments`, { page, author: { name: "Ana" }, body });

const view = async (site: string, page: string, query = "") => {
  const res = await call(
    "GET",
    `/api/v1/sites/${site}/thread?page=${encodeURIComponent(page)}${query}`,
  );
  expect(res.status).toBe(200);
  return { body: await json<ThreadView>(res), ...timing(res) };
};

/**
 * A thread seeded straight into D1 (as an import would write it; posting 10,000 comments one
 * by one through the API is not what these tests are about): `roots` top-level comments, the
 * first `withReplies` of them with `replies` replies each. Triggers keep the counters as usual.
 */
async function seedThread(site: string, roots: number, withReplies = 0, replies = 0) {
  const page = pageUrl();
  // The thread comes into being as it always does, with a first comment through the API.
  const first = await post(site, page);
  const [thread] = (
    await env.DB.prepare("SELECT thread_id FROM comments WHERE id = ?")
      .bind(first.comment.id)
      .all<{ thread_id: string }>()
  ).results;
  const insert = env.DB.prepare(
    `INSERT INTO comments (id, site_id, thread_id, parent_id, root_id, depth, path, author_name,
       author_hash, body_source, body_json, status, reply_count, score, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'Seeded', 'abc123', 'Seeded words',
       '[{"type":"paragraph","children":[{"type":"text","value":"Seeded words"}]}]',
       'published', 0, 0, ?)`,
  );
  const statements: D1PreparedStatement[] = [];
  let clock = Date.now();
  for (let r = 0; r < roots - 1; r++) {
    const rootId = newId("c", ++clock);
    const at = new Date(clock).toISOString();
    statements.push(insert.bind(rootId, site, thread?.thread_id, null, rootId, 0, rootId, at));
    if (r < withReplies)
      for (let k = 0; k < replies; k++) {
        const id = newId("c", ++clock);
        statements.push(
          insert.bind(id, site, thread?.thread_id, rootId, rootId, 1, `${rootId}/${id}`, at),
        );
      }
  }
  for (let i = 0; i < statements.length; i += 500) await env.DB.batch(statements.slice(i, i + 500));
  return page;
}

const shortHands = { limit: "&limit=50" };

describe("row budgets", () => {
  it("reads at most the comments returned + 2 rows for a cold view, and 1 when cached", async () => {
    const site = await createSite();
    const page = await seedThread(site.id, 100, 10, 3);
    const cold = await view(site.id, page, shortHands.limit);
    expect(cold.cache).toBe("miss");
    expect(cold.body.comments).toHaveLength(50 + 30);
    expect(cold.rows).toBeLessThanOrEqual(cold.body.comments.length + 2);
    expect(cold.body.nextCursor).not.toBeNull();

    const warm = await view(site.id, page, shortHands.limit);
    expect(warm.cache).toBe("hit");
    expect(warm.rows).toBeLessThanOrEqual(1);
    // The same view, with a fresh form token.
    expect(warm.body.comments).toEqual(cold.body.comments);
    expect(warm.body.issuedAt).toEqual(expect.any(String));
  });

  it("refreshes the site in the background once its 30 s in the isolate's memo are over", async () => {
    const site = await createSite();
    const page = await seedThread(site.id, 10);
    await view(site.id, page);
    // The thread row was read a moment ago (services/recent-reads.ts): a repeat reads nothing.
    expect(await view(site.id, page)).toMatchObject({ cache: "hit", rows: 0 });
    // A change made elsewhere (another isolate, a script on the database): this isolate's memo
    // does not know of it.
    await env.DB.prepare("UPDATE sites SET max_depth = 2, updated_at = ? WHERE id = ?")
      .bind(new Date().toISOString(), site.id)
      .run();
    expect((await view(site.id, page)).body.site.maxDepth).toBe(5);
    moveClock(MEMO_MS + 1000);
    // The stale entry is served once, at one row (the thread's, older than RECENT_MS by now),
    // while the site is read again.
    const stale = await view(site.id, page);
    expect(stale).toMatchObject({ cache: "hit", rows: 1 });
    expect(stale.body.site.maxDepth).toBe(5);
    await vi.waitFor(async () => expect((await view(site.id, page)).body.site.maxDepth).toBe(2));
    // A new site version is a new cache key: a miss once, then hits (the thread row as read a
    // moment ago).
    expect(await view(site.id, page)).toMatchObject({ cache: "hit", rows: 0 });
  });

  it("reads an isolate's long-unused site again before using it", async () => {
    const site = await createSite();
    const page = await seedThread(site.id, 10);
    await view(site.id, page);
    await env.DB.prepare("UPDATE sites SET max_depth = 3, updated_at = ? WHERE id = ?")
      .bind(new Date().toISOString(), site.id)
      .run();
    moveClock(STALE_MS + 1000);
    const fresh = await view(site.id, page);
    expect(fresh.body.site.maxDepth).toBe(3);
    expect(fresh).toMatchObject({ cache: "miss" });
  });

  it("pages on within the budget, and the last page says there is no more", async () => {
    const site = await createSite();
    const page = await seedThread(site.id, 120);
    const first = await view(site.id, page, "&limit=50");
    const second = await view(
      site.id,
      page,
      `&limit=50&cursor=${encodeURIComponent(first.body.nextCursor ?? "")}`,
    );
    const third = await view(
      site.id,
      page,
      `&limit=50&cursor=${encodeURIComponent(second.body.nextCursor ?? "")}`,
    );
    for (const v of [first, second, third])
      expect(v.rows).toBeLessThanOrEqual(v.body.comments.length + 2);
    expect(third.body.comments).toHaveLength(20);
    expect(third.body.nextCursor).toBeNull();
    const ids = [first, second, third].flatMap((v) => v.body.comments.map((c) => c.id));
    expect(new Set(ids).size).toBe(120);
  });

  it("costs the first page of a 10,000-comment thread the same rows as a 100-comment one", async () => {
    const site = await createSite();
    const small = await seedThread(site.id, 100, 50, 1);
    const big = await seedThread(site.id, 5000, 5000, 1);
    // Both with the site already known to the isolate (src/services/site-memo.ts), as a busy one is.
    await view(site.id, pageUrl());
    const [a, b] = [await view(site.id, small), await view(site.id, big)];
    expect(b.body.thread.count).toBe(10_000 - 1);
    expect(b.body.comments).toHaveLength(a.body.comments.length);
    expect(b.rows).toBe(a.rows);
  }, 120_000);

  it("pages a 1,000-reply subtree instead of returning it whole", async () => {
    const site = await createSite();
    const page = await seedThread(site.id, 2, 1, 1000);
    const first = await view(site.id, page);
    const root = first.body.comments.find((c) => c.moreReplies);
    expect(first.body.comments.length).toBeLessThanOrEqual(2 + 20);
    let cursor = root?.moreReplies ?? null;
    let seen = first.body.comments.length - 2;
    let pages = 0;
    while (cursor && pages < 20) {
      const res = await call(
        "GET",
        `/api/v1/sites/${site.id}/comments/${root?.id}/replies?cursor=${encodeURIComponent(cursor)}`,
      );
      const body = await json<{ comments: unknown[]; nextCursor: string | null }>(res);
      expect(body.comments.length).toBeLessThanOrEqual(100);
      expect(timing(res).rows).toBeLessThanOrEqual(body.comments.length + 3);
      seen += body.comments.length;
      cursor = body.nextCursor;
      pages += 1;
    }
    expect(seen).toBe(1000);
  }, 60_000);

  it("reads at most 100 rows for the counts of 100 pages, and none for a cached set", async () => {
    const site = await createSite();
    const pages = Array.from({ length: 100 }, () => pageUrl());
    for (const page of pages) await post(site.id, page);
    // The site is read once per isolate and then kept for a while (src/services/site-memo.ts).
    await view(site.id, pages[0] ?? "");
    const counted = async (set: string[]) => {
      const res = await call("GET", countsPath(site.id, set));
      const { counts } = await json<{ counts: Record<string, number> }>(res);
      expect(Object.values(counts)).toEqual(Array(set.length).fill(1));
      return timing(res);
    };
    // The largest request skips the edge cache: its version row would be the 101st.
    for (let i = 0; i < 2; i++)
      expect(await counted(pages)).toMatchObject({ cache: "miss", rows: 100 });
    // Any smaller set is cached: the version row, then one row per page. A hit reads the version
    // row, unless the isolate read it a moment ago (services/recent-reads.ts), as it did here.
    const most = pages.slice(1);
    expect(await counted(most)).toMatchObject({ cache: "miss", rows: 100 });
    expect(await counted(most)).toMatchObject({ cache: "hit", rows: 0 });
    moveClock(RECENT_MS);
    expect(await counted(most)).toMatchObject({ cache: "hit", rows: 1 });
  }, 60_000);

  it("posts in two D1 round trips: one batch that reads, one that writes", async () => {
    const site = await createSite();
    const page = pageUrl();
    // The first post warms what an isolate keeps: the site, and the day's ip salt.
    await post(site.id, page);
    const res = await send(site.id, page, "Two round trips");
    expect(res.status).toBe(201);
    expect(timing(res)).toMatchObject({ calls: 2, writecalls: 1 });
    expect(timing(res).written).toBeGreaterThan(0);
  });

  it("asks after a post whether mail is due only where the deployment sends mail", async () => {
    const site = await createSite();
    const page = pageUrl();
    await post(site.id, page);
    const mailing = await send(site.id, page, "With mail set up");
    const silent = await workerApi({ MAIL_TRANSPORT: "" }).postRaw(site.id, page, {
      body: "Without mail set up",
    });
    expect([mailing.status, silent.status]).toEqual([201, 201]);
    // The same post but for the one look at the site's due mail.
    expect(timing(silent).rows).toBe(timing(mailing).rows - 1);
    expect(timing(silent).calls).toBe(2);
  });

  it("decides a post by the site's rules as they are, not by the isolate's copy", async () => {
    const site = await createSite();
    const page = pageUrl();
    await post(site.id, page);
    // Changed behind the isolate's back: its copy of the site still says otherwise.
    const change = (sql: string) => env.DB.prepare(sql).bind(site.id).run();
    await change("UPDATE sites SET moderation = 'all' WHERE id = ?");
    const held = await send(site.id, page, "Held now");
    expect(held.status).toBe(202);
    // A new cap changes what the batch asks for, so it is asked again (a third round trip).
    await change("UPDATE sites SET moderation = 'none', posts_per_minute = 2 WHERE id = ?");
    const limited = await send(site.id, page, "Over the new limit");
    expect(limited.status).toBe(429);
    await change("DELETE FROM sites WHERE id = ?");
    const gone = await send(site.id, page, "Nobody home");
    expect(gone.status).toBe(404);
  });
});

describe("the edge cache after writes", () => {
  async function warmed(site: SiteFixture, page: string) {
    await view(site.id, page);
    expect((await view(site.id, page)).cache).toBe("hit");
  }
  const moderator = (site: SiteFixture) => ({ authorization: `Bearer ${site.secret}` });
  const removeAsModerator = (site: SiteFixture, id: string) =>
    call(
      "DELETE",
      `/api/v1/sites/${site.id}/moderation/comments/${id}`,
      undefined,
      moderator(site),
    );

  it("shows a new comment, an edit, a vote, a moderator's removal and a lock on the next view", async () => {
    const site = await createSite();
    const page = pageUrl();
    const first = await post(site.id, page, { body: "Original words" });

    await warmed(site, page);
    const second = await post(site.id, page, { body: "A second comment" });
    const afterPost = await view(site.id, page);
    expect(afterPost.cache).toBe("miss");
    expect(afterPost.body.comments.map((c) => c.id)).toContain(second.comment.id);

    await warmed(site, page);
    const edit = await call(
      "PATCH",
      `/api/v1/sites/${site.id}/comments/${first.comment.id}`,
      { body: "Edited words" },
      { authorization: `Bearer ${first.editToken}` },
    );
    expect(edit.status).toBe(200);
    expect(JSON.stringify((await view(site.id, page)).body.comments)).toContain("Edited words");

    await warmed(site, page);
    await call("POST", `/api/v1/sites/${site.id}/comments/${second.comment.id}/vote`, {
      value: 1,
    });
    const voted = (await view(site.id, page)).body.comments.find((c) => c.id === second.comment.id);
    expect(voted?.score).toBe(1);

    await warmed(site, page);
    const removed = await removeAsModerator(site, second.comment.id);
    expect(removed.status).toBe(204);
    const afterRemoval = await view(site.id, page);
    expect(afterRemoval.body.comments.map((c) => c.id)).toEqual([first.comment.id]);
    expect(afterRemoval.body.thread.count).toBe(1);

    await warmed(site, page);
    await call(
      "PATCH",
      `/api/v1/sites/${site.id}/moderation/threads?page=${encodeURIComponent(page)}`,
      { locked: true },
      moderator(site),
    );
    expect((await view(site.id, page)).body.thread.locked).toBe(true);
  });

  it("shows an approval, a moderator's removal and a restore in the next counts, and a held comment changes nothing", async () => {
    const site = await createSite({ moderation: "all" });
    const [page, other] = [pageUrl(), pageUrl()];
    const counts = async () => {
      const res = await call("GET", countsPath(site.id, [page, other]));
      return { ...timing(res), ...(await json<{ counts: Record<string, number> }>(res)).counts };
    };
    const moderate = (id: string, action: string) =>
      call(
        "POST",
        `/api/v1/sites/${site.id}/moderation/comments/${id}/${action}`,
        undefined,
        moderator(site),
      );
    const held = await post(site.id, page);
    expect(await counts()).toMatchObject({ [page]: 0, [other]: 0 });
    expect(await counts()).toMatchObject({ cache: "hit" });

    expect((await moderate(held.comment.id, "approve")).status).toBe(200);
    expect(await counts()).toMatchObject({ cache: "miss", [page]: 1 });
    expect(await counts()).toMatchObject({ cache: "hit", [page]: 1 });

    const removed = await removeAsModerator(site, held.comment.id);
    expect(removed.status).toBe(204);
    expect(await counts()).toMatchObject({ cache: "miss", [page]: 0 });

    expect((await moderate(held.comment.id, "restore")).status).toBe(200);
    expect(await counts()).toMatchObject({ [page]: 1 });
  });

  it("keeps sorts and pages apart", async () => {
    const site = await createSite();
    const page = pageUrl();
    const a = await post(site.id, page, { body: "Older" });
    const b = await post(site.id, page, { body: "Newer" });
    await view(site.id, page, "&sort=oldest");
    const newest = await view(site.id, page, "&sort=newest");
    expect(newest.body.comments.map((c) => c.id)).toEqual([b.comment.id, a.comment.id]);
  });

  it("tells browsers not to keep a thread view", async () => {
    const site = await createSite();
    const res = await call("GET", `/api/v1/sites/${site.id}/thread?page=${pageUrl()}`);
    expect(res.headers.get("cache-control")).toBe("no-store");
  });
});

describe("read replication (D1 Sessions)", () => {
  it("hands back a bookmark with a post, which the next view may send", async () => {
    const site = await createSite();
    const page = pageUrl();
    const res = await call("POST", `/api/v1/sites/${site.id}/comments`, {
      page,
      author: { name: "Ana" },
      body: "Read your writes",
    });
    const posted = await json<Posted & { bookmark: string | null }>(res);
    expect(posted.bookmark).toEqual(expect.any(String));
    expect(res.headers.get("x-parley-bookmark")).toBe(posted.bookmark);
    const seen = await view(
      site.id,
      page,
      `&bookmark=${encodeURIComponent(posted.bookmark ?? "")}`,
    );
    expect(seen.body.comments.map((c) => c.id)).toEqual([posted.comment.id]);
  });

  it("ignores a malformed bookmark rather than failing the view", async () => {
    const site = await createSite();
    const page = pageUrl();
    await post(site.id, page);
    for (const bookmark of ["not a bookmark!", "x".repeat(500), "<script>", "0000-bogus-00"]) {
      const res = await call(
        "GET",
        `/api/v1/sites/${site.id}/thread?page=${encodeURIComponent(page)}&bookmark=${encodeURIComponent(bookmark)}`,
      );
      expect([200, 422], bookmark).toContain(res.status);
    }
  });
});
