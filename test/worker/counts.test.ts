import { describe, expect, it } from "vitest";
import { call, createSite, json, pageUrl, post } from "./helpers";

const rowsRead = (res: Response) =>
  Number(res.headers.get("server-timing")?.match(/rows;desc="(\d+)"/)?.[1] ?? Number.NaN);

function countsPath(site: string, pages: string[]): string {
  return `/api/v1/sites/${site}/counts?${pages.map((p) => `page=${encodeURIComponent(p)}`).join("&")}`;
}

describe("GET counts", () => {
  it("counts published comments per page, keyed exactly as each page was spelled", async () => {
    const site = await createSite();
    const a = pageUrl();
    const b = pageUrl();
    await post(site.id, a);
    const root = await post(site.id, a);
    await post(site.id, a, { parentId: root.comment.id });
    await post(site.id, b);
    const res = await call(
      "GET",
      countsPath(site.id, [
        a,
        `${a}/?utm_medium=x`,
        `${b}/`,
        "https://news.example/never-commented",
      ]),
    );
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({
      counts: {
        [a]: 3,
        [`${a}/?utm_medium=x`]: 3,
        [`${b}/`]: 1,
        "https://news.example/never-commented": 0,
      },
    });
  });

  it("leaves out comments that are not published", async () => {
    const site = await createSite({ moderation: "all" });
    const page = pageUrl();
    await post(site.id, page);
    expect(await json(await call("GET", countsPath(site.id, [page])))).toEqual({
      counts: { [page]: 0 },
    });
  });

  it("answers 100 pages reading one row per commented page, never scanning comments", async () => {
    const site = await createSite();
    const pages = Array.from({ length: 100 }, () => pageUrl());
    for (const page of pages.slice(0, 10)) await post(site.id, page);
    const res = await call("GET", countsPath(site.id, pages));
    expect(res.status).toBe(200);
    const { counts } = await json<{ counts: Record<string, number> }>(res);
    expect(Object.keys(counts)).toHaveLength(100);
    expect(Object.values(counts).reduce((s, n) => s + n, 0)).toBe(10);
    // One indexed row per page that has a thread, never a scan of comments; the site comes from
    // the isolate's memo, where the posts put it.
    expect(rowsRead(res)).toBe(10);
  });

  it("serves a repeat of a set of pages, in any order or spelling, from the edge cache until a count changes", async () => {
    const site = await createSite();
    const [a, b] = [pageUrl(), pageUrl()];
    await post(site.id, a);
    const first = await call("GET", countsPath(site.id, [a, b]));
    expect(first.headers.get("server-timing")).toContain('cache;desc="miss"');
    const again = await call("GET", countsPath(site.id, [`${b}/`, a, a]));
    expect(again.headers.get("server-timing")).toContain('cache;desc="hit"');
    // Nothing: the site's counts version as the isolate read it a moment ago
    // (services/recent-reads.ts).
    expect(rowsRead(again)).toBe(0);
    // The entry's answer, keyed as this request spelled its pages.
    expect(await json(again)).toEqual({ counts: { [`${b}/`]: 0, [a]: 1 } });

    await post(site.id, b);
    const afterPost = await call("GET", countsPath(site.id, [a, b]));
    expect(afterPost.headers.get("server-timing")).toContain('cache;desc="miss"');
    expect(await json(afterPost)).toEqual({ counts: { [a]: 1, [b]: 1 } });
    expect((await call("GET", countsPath(site.id, [a, b]))).headers.get("server-timing")).toContain(
      'cache;desc="hit"',
    );
  });

  it("keeps another site's counts apart, and a held comment changes nothing", async () => {
    const held = await createSite({ moderation: "all" });
    const other = await createSite();
    const page = pageUrl();
    await post(other.id, page);
    const path = countsPath(held.id, [page]);
    expect(await json(await call("GET", path))).toEqual({ counts: { [page]: 0 } });
    await post(held.id, page);
    await post(other.id, page);
    const res = await call("GET", path);
    expect(res.headers.get("server-timing")).toContain('cache;desc="hit"');
    expect(await json(res)).toEqual({ counts: { [page]: 0 } });
    expect(await json(await call("GET", countsPath(other.id, [page])))).toEqual({
      counts: { [page]: 2 },
    });
  });

  it("is cacheable by browsers and CDNs", async () => {
    const site = await createSite();
    const res = await call("GET", countsPath(site.id, [pageUrl()]));
    expect(res.headers.get("cache-control")).toBe("public, max-age=30, stale-while-revalidate=300");
  });
});
