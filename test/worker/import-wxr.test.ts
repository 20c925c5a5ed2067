import { describe, expect, it } from "vitest";
import wordpress from "../fixtures/import/wordpress.xml?raw";
import { createSite, rows, thread } from "./helpers";
import { countsOf, importOk, recountedThreads, storedTree } from "./import-helpers";

/*
 * WordPress WXR into a site: comment_parent chains, every comment_approved value, pingbacks and
 * trackbacks, HTML entities, a GMT date WordPress left unset, a duplicate id, a missing parent.
 */

const CAFE = "https://blog.example/2020/01/cafe";
const SECOND = "https://blog.example/2020/02/second";

describe("importing a WordPress (WXR) export", () => {
  it("maps comment_approved 1, 0, spam and trash to published, pending, spam and deleted", async () => {
    const site = await createSite();
    const report = await importOk(site.id, "format=wxr", wordpress);
    expect(report).toMatchObject({ threads: 2, comments: 9, skippedTotal: 3, warningsTotal: 1 });
    expect(await storedTree(site.id)).toEqual([
      "published: Line one\\\nline two \\& more.\n\nA second paragraph with [the report](<https://source.example/report>) and **strong** words.",
      '  published: A reply to Ana. "Quoted" \\<b\\>not bold\\</b\\>',
      "    pending: Held for moderation.",
      "      published: Third level reply.",
      "spam: Buy now at [spam](<https://spam.example/>)",
      "deleted: Binned by the owner.",
      "published: My parent was never exported.",
      "published: Hi click me data *ok*",
      "published: Its GMT date is unset, so its local date is used.",
    ]);
    expect(await countsOf(site.id, [CAFE, `${SECOND}/`])).toEqual({ [CAFE]: 5, [`${SECOND}/`]: 1 });
    for (const t of await recountedThreads(site.id)) expect(t.count).toBe(t.published);
    // Published replies count under every ancestor, whatever the ancestors' own status.
    const counts = await rows(
      "SELECT body_source, reply_count FROM comments WHERE site_id = ? AND depth < 3 AND parent_id IS NOT NULL OR (site_id = ? AND depth = 0 AND body_source LIKE 'Line one%') ORDER BY depth",
      site.id,
      site.id,
    );
    expect(counts.map((r) => r.reply_count)).toEqual([2, 1, 1]);
  });

  it("keeps decoded titles, dates and nesting, and shows them through the thread view", async () => {
    const site = await createSite();
    await importOk(site.id, "format=wxr", wordpress);
    const view = await thread(site.id, `${CAFE}/`);
    expect(view.thread).toMatchObject({ title: "Café & crème — ☕ a unicode title", count: 5 });
    expect(view.comments.map((c) => [c.depth, c.author?.name])).toEqual([
      [0, "Ana"],
      [1, "Bruno"],
      // Chloé's reply is held, so only its published reply shows beneath Bruno's.
      [3, "Dmitri"],
      [0, "Fatima"],
      [0, "Anonymous"],
    ]);
    expect(view.comments[0]?.author?.website).toBe("https://ana.example");
    const dates = await rows(
      "SELECT created_at FROM comments WHERE site_id = ? AND body_source LIKE 'Its GMT%' OR (site_id = ? AND body_source LIKE 'Line one%') ORDER BY created_at",
      site.id,
      site.id,
    );
    expect(dates.map((d) => d.created_at)).toEqual([
      "2020-01-10T10:00:00.000Z",
      "2020-02-01T12:00:00.000Z",
    ]);
  });

  it("skips pingbacks, trackbacks and a duplicate id, and reports where they are", async () => {
    const site = await createSite();
    const report = await importOk(site.id, "format=wxr", wordpress);
    expect(report.skipped).toEqual([
      {
        position: "item 1, comment 7 (wp:comment_id 107)",
        reason: "a pingback, not a reader's comment",
      },
      {
        position: "item 1, comment 8 (wp:comment_id 108)",
        reason: "a trackback, not a reader's comment",
      },
      {
        position: "item 2, comment 2 (wp:comment_id 101)",
        reason: "its id 101 is taken by an earlier record",
      },
    ]);
    expect(report.warnings.map((w) => w.position)).toEqual([
      "item 1, comment 9 (wp:comment_id 109)",
    ]);
  });

  it("strips hostile HTML: no script text, no javascript: or data: links", async () => {
    const site = await createSite();
    await importOk(site.id, "format=wxr", wordpress);
    const [hostile] = await rows(
      "SELECT body_json FROM comments WHERE site_id = ? AND body_source LIKE 'Hi %'",
      site.id,
    );
    expect(JSON.parse(String(hostile?.body_json))).toEqual([
      {
        type: "paragraph",
        children: [
          { type: "text", value: "Hi click me data " },
          { type: "emphasis", children: [{ type: "text", value: "ok" }] },
        ],
      },
    ]);
  });

  it("nests replies within the site's maxDepth, as posting does", async () => {
    const site = await createSite({ maxDepth: 1 });
    await importOk(site.id, "format=wxr", wordpress);
    const depths = await rows(
      "SELECT max(depth) AS deepest FROM comments WHERE site_id = ?",
      site.id,
    );
    expect(depths).toEqual([{ deepest: 1 }]);
    expect((await thread(site.id, CAFE)).thread.count).toBe(5);
  });

  it("adds nothing the second time", async () => {
    const site = await createSite();
    await importOk(site.id, "format=wxr", wordpress);
    const again = await importOk(site.id, "format=wxr", wordpress);
    expect(again).toMatchObject({ threads: 0, comments: 0 });
    expect(await rows("SELECT count(*) AS n FROM comments WHERE site_id = ?", site.id)).toEqual([
      { n: 9 },
    ]);
  });
});
