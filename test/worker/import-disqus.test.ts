import { describe, expect, it } from "vitest";
import disqus from "../fixtures/import/disqus.xml?raw";
import { call, createSite, json, rows, thread } from "./helpers";
import { countsOf, gzip, importOk, recountedThreads, storedTree } from "./import-helpers";

/*
 * Disqus XML into a site (API.md "Data portability"): the fixture mirrors Disqus's export
 * (namespaces, CDATA and escaped messages, isDeleted/isSpam, a deleted thread, anonymous
 * authors) with the bad records an old export holds.
 */

const BRIDGE = "https://news.example/2019/04/bridge-reopens";
const FLOOD = "https://news.example/2019/05/flood";

describe("importing a Disqus export", () => {
  it("imports threads by normalised link, with titles, nesting, statuses and counts", async () => {
    const site = await createSite();
    const report = await importOk(site.id, "format=disqus", disqus);
    expect(report).toMatchObject({ threads: 2, comments: 10, dryRun: false });

    const threads = await rows(
      "SELECT page_key, title FROM threads WHERE site_id = ? ORDER BY page_key",
      site.id,
    );
    expect(threads).toEqual([
      { page_key: BRIDGE, title: "Bridge reopens after two years" },
      { page_key: FLOOD, title: "Überschwemmung in Köln — 洪水 🌊" },
    ]);
    expect(await storedTree(site.id)).toEqual([
      "published: Finally! The detour added 20 minutes \\& more.\n\nDetails: [the city's page](<https://city.example/bridge>) and **bold** *words*.",
      "  published: Agreed, but the cycle lane is still closed.",
      "    published: It reopens next week.\\\nSource: the council.",
      "spam: Cheap watches at [spam.example](<https://spam.example/>)",
      "deleted: A comment its author deleted.",
      "  published: Replying to a deleted comment.",
      "published: Look  here there **safe** \\<script\\>alert(5)\\</script\\>",
      "published: No name, no email.",
      "published: My parent is not in this export.",
      "published: Hochwasser \\& Regen.",
    ]);
    // Any spelling of the page finds the imported thread; spam and deleted are not counted.
    expect(await countsOf(site.id, [`${BRIDGE}/?utm_source=x`, FLOOD])).toEqual({
      [`${BRIDGE}/?utm_source=x`]: 7,
      [FLOOD]: 1,
    });
    for (const t of await recountedThreads(site.id)) expect(t.count).toBe(t.published);
  });

  it("shows the imported discussion through the public thread view", async () => {
    const site = await createSite();
    await importOk(site.id, "format=disqus", disqus);
    const view = await thread(site.id, BRIDGE);
    expect(view.thread).toMatchObject({ title: "Bridge reopens after two years", count: 7 });
    expect(view.comments.map((c) => [c.depth, c.status, c.replyCount, c.author?.name])).toEqual([
      [0, "published", 2, "Ana"],
      [1, "published", 1, "Bruno"],
      [2, "published", 0, "Chloé"],
      [0, "deleted", 1, undefined],
      [1, "published", 0, "Emeka"],
      [0, "published", 0, "Fatima"],
      [0, "published", 0, "Anonymous"],
      [0, "published", 0, "Grace"],
    ]);
    const [ana, bruno, chloe] = view.comments;
    expect([bruno?.parentId, chloe?.parentId]).toEqual([ana?.id, bruno?.id]);
    expect(ana?.body).toEqual([
      {
        type: "paragraph",
        children: [{ type: "text", value: "Finally! The detour added 20 minutes & more." }],
      },
      {
        type: "paragraph",
        children: [
          { type: "text", value: "Details: " },
          {
            type: "link",
            url: "https://city.example/bridge",
            children: [{ type: "text", value: "the city's page" }],
          },
          { type: "text", value: " and " },
          { type: "strong", children: [{ type: "text", value: "bold" }] },
          { type: "text", value: " " },
          { type: "emphasis", children: [{ type: "text", value: "words" }] },
          { type: "text", value: "." },
        ],
      },
    ]);
  });

  it("keeps no hostile markup: scripts, handlers and javascript: links become nothing or text", async () => {
    const site = await createSite();
    await importOk(site.id, "format=disqus", disqus);
    const [hostile] = await rows(
      "SELECT body_json FROM comments WHERE site_id = ? AND author_name = 'Fatima'",
      site.id,
    );
    expect(JSON.parse(String(hostile?.body_json))).toEqual([
      {
        type: "paragraph",
        children: [
          { type: "text", value: "Look  here there " },
          { type: "strong", children: [{ type: "text", value: "safe" }] },
          // Escaped in the export, so text in the comment: shown as written, never run.
          { type: "text", value: " <script>alert(5)</script>" },
        ],
      },
    ]);
  });

  it("stores emails lower-cased, tolerates missing names and emails", async () => {
    const site = await createSite();
    await importOk(site.id, "format=disqus", disqus);
    const authors = await rows(
      "SELECT author_name, author_email, ip_hash, user_agent, edit_token_hash FROM comments WHERE site_id = ? AND author_name IN ('Ana', 'Bruno', 'Anonymous') ORDER BY id",
      site.id,
    );
    expect(authors).toEqual([
      {
        author_name: "Ana",
        author_email: "ana@example.com",
        ip_hash: null,
        user_agent: null,
        edit_token_hash: null,
      },
      {
        author_name: "Bruno",
        author_email: null,
        ip_hash: null,
        user_agent: null,
        edit_token_hash: null,
      },
      {
        author_name: "Anonymous",
        author_email: null,
        ip_hash: null,
        user_agent: null,
        edit_token_hash: null,
      },
    ]);
  });

  it("keeps dates, reading Disqus's zone-less ones as UTC", async () => {
    const site = await createSite();
    await importOk(site.id, "format=disqus", disqus);
    const dates = await rows(
      "SELECT author_name, created_at FROM comments WHERE site_id = ? AND author_name IN ('Ana', 'Chloé') ORDER BY id",
      site.id,
    );
    expect(dates).toEqual([
      { author_name: "Ana", created_at: "2019-04-01T09:00:00.000Z" },
      { author_name: "Chloé", created_at: "2019-04-01T10:00:00.000Z" },
    ]);
  });

  it("reports each bad record with its position and skips it, without stopping", async () => {
    const site = await createSite();
    const report = await importOk(site.id, "format=disqus", disqus);
    expect(report.skipped.map((s) => s.position).sort()).toEqual([
      "post 10 (dsq:id 6000001)",
      "post 11 (dsq:id 6000010)",
      "post 12 (dsq:id 6000011)",
      "post 13 (dsq:id 6000012)",
      "post 14 (dsq:id 6000013)",
    ]);
    expect(report.skippedTotal).toBe(5);
    expect(report.skipped.find((s) => s.position.startsWith("post 13"))?.reason).toContain(
      "not a date",
    );
    // The reply whose parent is missing is kept, at the top level, and reported.
    expect(report.warnings).toEqual([
      {
        position: "post 9 (dsq:id 6000009)",
        reason: expect.stringContaining("imported as a top-level comment"),
      },
    ]);
  });

  it("adds nothing the second time: same ids, same counts, same thread versions", async () => {
    const site = await createSite();
    await importOk(site.id, "format=disqus", disqus);
    const before = await rows("SELECT id FROM comments WHERE site_id = ? ORDER BY id", site.id);
    const threadsBefore = await recountedThreads(site.id);
    const again = await importOk(site.id, "format=disqus", disqus);
    // Nothing is placed anew, so the missing parent has nothing to warn about this time.
    expect(again).toMatchObject({ threads: 0, comments: 0, skippedTotal: 5, warningsTotal: 0 });
    expect(await rows("SELECT id FROM comments WHERE site_id = ? ORDER BY id", site.id)).toEqual(
      before,
    );
    expect(await recountedThreads(site.id)).toEqual(threadsBefore);
  });

  it("reads a gzipped export (.xml.gz) the same, whatever its content type says", async () => {
    const [plain, zipped] = await Promise.all([createSite(), createSite()]);
    const expected = await importOk(plain.id, "format=disqus", disqus);
    const report = await importOk(zipped.id, "format=disqus", await gzip(disqus));
    expect(report).toEqual(expected);
    expect(await storedTree(zipped.id)).toEqual(await storedTree(plain.id));
  });

  it("in a dry run reports the same numbers and writes nothing, not even the audit", async () => {
    const [dry, real] = await Promise.all([createSite(), createSite()]);
    const report = await importOk(dry.id, "format=disqus&dryRun=true", disqus);
    const expected = await importOk(real.id, "format=disqus", disqus);
    expect(report).toEqual({ ...expected, dryRun: true });
    expect(await rows("SELECT id FROM comments WHERE site_id = ?", dry.id)).toEqual([]);
    expect(await rows("SELECT id FROM threads WHERE site_id = ?", dry.id)).toEqual([]);
    expect(
      await rows("SELECT id FROM audit_log WHERE site_id = ? AND action = 'import'", dry.id),
    ).toEqual([]);
  });

  it("records the import in the site's audit log as the operator's", async () => {
    const site = await createSite();
    await importOk(site.id, "format=disqus", disqus);
    const res = await call("GET", `/api/v1/sites/${site.id}/moderation/audit`, undefined, {
      authorization: `Bearer ${site.secret}`,
    });
    const { entries } = await json<{ entries: Array<Record<string, unknown>> }>(res);
    expect(entries[0]).toMatchObject({
      actor: "operator",
      action: "import",
      detail: { format: "disqus", threads: 2, comments: 10, skipped: 5 },
    });
  });
});
