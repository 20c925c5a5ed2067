import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { newId } from "../../src/platform/ids";
import { MemoryCache } from "../../src/platform/memory-cache";
import { MAX_KEPT, RECENT_MS, recentReads } from "../../src/services/recent-reads";
import { moveClock } from "./clock";
import { call, createSite, json, pageUrl, post, type ThreadView } from "./helpers";

/*
 * What an isolate keeps between requests for the cached public views (issue 17), and the bound
 * README states for it: version rows for RECENT_MS (services/recent-reads.ts), and copies of
 * cache entries, exact by their versioned keys (platform/edge-cache.ts, platform/memory-cache.ts).
 */

const rowsOf = (res: Response) =>
  Number(/\brows;desc="(\d+)"/.exec(res.headers.get("server-timing") ?? "")?.[1]);

async function view(site: string, page: string, headers: Record<string, string> = {}) {
  const res = await call(
    "GET",
    `/api/v1/sites/${site}/thread?page=${encodeURIComponent(page)}`,
    undefined,
    headers,
  );
  expect(res.status).toBe(200);
  const body = await json<ThreadView>(res);
  return {
    count: body.thread.count,
    rows: rowsOf(res),
    bookmark: res.headers.get("x-parley-bookmark"),
  };
}

async function countOf(site: string, page: string) {
  const res = await call("GET", `/api/v1/sites/${site}/counts?page=${encodeURIComponent(page)}`);
  const { counts } = await json<{ counts: Record<string, number> }>(res);
  return { count: counts[page], rows: rowsOf(res) };
}

/** A published reply written straight to D1, as another isolate (or a script) would. */
async function replyElsewhere(site: string, commentId: string) {
  const parent = await env.DB.prepare("SELECT thread_id, path FROM comments WHERE id = ?")
    .bind(commentId)
    .first<{ thread_id: string; path: string }>();
  const id = newId("c");
  await env.DB.prepare(
    `INSERT INTO comments (id, site_id, thread_id, parent_id, root_id, depth, path, author_name,
       author_hash, body_source, body_json, status, reply_count, score, created_at)
     VALUES (?, ?, ?, ?, ?, 1, ?, 'Elsewhere', 'abc123', 'From elsewhere',
       '[{"type":"paragraph","children":[{"type":"text","value":"From elsewhere"}]}]',
       'published', 0, 0, ?)`,
  )
    .bind(
      id,
      site,
      parent?.thread_id,
      commentId,
      commentId,
      `${parent?.path}/${id}`,
      new Date().toISOString(),
    )
    .run();
}

describe("version rows kept for a moment", () => {
  it("show another isolate's change within RECENT_MS, the writer's at once with its bookmark, and this isolate's writes at once", async () => {
    const site = await createSite();
    const page = pageUrl();
    const first = await post(site.id, page);
    await view(site.id, page);
    const warm = await view(site.id, page);
    expect(warm).toMatchObject({ count: 1, rows: 0 });

    await replyElsewhere(site.id, first.comment.id);
    // Within the moment: the row this isolate read, and the view cached under it.
    expect(await view(site.id, page)).toMatchObject({ count: 1, rows: 0 });
    // A reader who brings a bookmark (the writer, with its post's) reads the row afresh.
    const bookmark = (first as { bookmark?: string }).bookmark;
    expect(bookmark).toEqual(expect.any(String));
    const fresh = await view(site.id, page, { "x-parley-bookmark": bookmark ?? "" });
    expect(fresh.count).toBe(2);
    expect(fresh.rows).toBeGreaterThan(0);
    // Everyone else, once the moment is over.
    moveClock(RECENT_MS);
    expect((await view(site.id, page)).count).toBe(2);

    // A write through this isolate forgets what it kept: the next view, without a bookmark,
    // shows it.
    await view(site.id, page);
    await post(site.id, page);
    expect((await view(site.id, page)).count).toBe(3);
  });

  it("keeps index-page counts within the same bound", async () => {
    const site = await createSite();
    const page = pageUrl();
    const first = await post(site.id, page);
    await countOf(site.id, page);
    expect(await countOf(site.id, page)).toEqual({ count: 1, rows: 0 });
    await replyElsewhere(site.id, first.comment.id);
    expect((await countOf(site.id, page)).count).toBe(1);
    moveClock(RECENT_MS);
    expect(await countOf(site.id, page)).toMatchObject({ count: 2 });
    await post(site.id, page);
    expect((await countOf(site.id, page)).count).toBe(3);
  });

  it("never serves a kept row that claims to be from the future (a clock set back)", async () => {
    const site = await createSite();
    const page = pageUrl();
    const first = await post(site.id, page);
    moveClock(60_000);
    await view(site.id, page);
    await replyElsewhere(site.id, first.comment.id);
    moveClock(-60_000);
    expect((await view(site.id, page)).count).toBe(2);
  });
});

describe("recentReads", () => {
  it("keeps at most MAX_KEPT rows, so a flood of pages cannot grow the isolate's memory", async () => {
    let reads = 0;
    const read = async () => ++reads;
    const recent = recentReads(false);
    for (let i = 0; i <= MAX_KEPT; i++) await recent(`flood\n${i}`, read);
    expect(reads).toBe(MAX_KEPT + 1);
    // The newest is still kept; the oldest went to make room for it.
    await recent(`flood\n${MAX_KEPT}`, read);
    expect(reads).toBe(MAX_KEPT + 1);
    await recent("flood\n0", read);
    expect(reads).toBe(MAX_KEPT + 2);
  });
});

describe("MemoryCache", () => {
  it("keeps what fits its bytes, dropping the least recently used first", () => {
    const kept = new MemoryCache<string>(100);
    kept.set("a", "A", 25);
    kept.set("b", "B", 25);
    kept.set("c", "C", 25);
    expect(kept.get("a")).toBe("A"); // now the most recent
    kept.set("d", "D", 25);
    kept.set("e", "E", 25); // 125 bytes: the least recent (b) goes
    expect(kept.get("b")).toBeUndefined();
    expect(["a", "c", "d", "e"].map((k) => kept.get(k))).toEqual(["A", "C", "D", "E"]);
  });

  it("does not keep a value larger than a quarter of its bytes, nor an older one under its key", () => {
    const kept = new MemoryCache<string>(100);
    kept.set("small", "S", 10);
    kept.set("huge", "H", 26);
    expect(kept.get("huge")).toBeUndefined();
    expect(kept.get("small")).toBe("S");
    kept.set("small", "T", 10);
    expect(kept.get("small")).toBe("T");
    for (let i = 0; i < 9; i++) kept.set(`k${i}`, "x", 10);
    // 100 bytes: "small" once (its replaced value counted once), and nine more.
    expect(kept.get("small")).toBe("T");
  });
});
