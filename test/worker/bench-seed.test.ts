import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { rows as seeder } from "../../scripts/bench/rows";
import type { PlannedComment } from "../../scripts/bench/seed-plan";
import { createSite, pageUrl, post, type Row, rows, thread } from "./helpers";

/*
 * `npm run bench` measures a database whose comments were not posted one by one but stored by
 * scripts/bench/rows.ts. Its figures (rows read, bytes per comment) hold only if those rows are
 * what posting stores. Issue 13: the seed copied ids, hashes and the column list by hand, and
 * stored a 16-character author hash and no avatar where posting stores 32 and 16.
 */

/** Columns that hold a hash or token of fixed length. */
const FIXED_LENGTH = ["author_hash", "avatar", "ip_hash", "body_hash", "edit_token_hash"];

/** What a row holds in each column: absent, a hash of some length, or a value of some type. */
const shape = (row: Row) =>
  Object.fromEntries(
    Object.entries(row).map(([column, value]) => [
      column,
      value === null
        ? null
        : FIXED_LENGTH.includes(column)
          ? `${String(value).length} characters`
          : typeof value,
    ]),
  );

describe("the bench seed", () => {
  it("stores a comment as posting stores it, every column alike (issue 13: a short author hash, no avatar)", async () => {
    const site = await createSite();
    const page = pageUrl();
    const author = {
      name: "Chloé Müller",
      email: "chloe@example.com",
      website: "https://c.example",
    };
    const userAgent = "Mozilla/5.0 (bench)";
    const first = await post(
      site.id,
      page,
      { author, body: "Posted through the API." },
      {
        "user-agent": userAgent,
      },
    );
    const reader = { ...author, ip: "198.18.0.1", userAgent };
    const at = Date.now() - 3600_000;
    const planned: PlannedComment[] = [
      { parent: null, author: reader, body: "Seeded, with *emphasis*.", at },
      { parent: 0, author: reader, body: "A seeded reply.", at: at + 1000 },
      {
        parent: null,
        author: reader,
        body: "Held as a duplicate.",
        at: at + 2000,
        caught: "duplicate",
      },
      { parent: null, author: reader, body: "Akismet's spam.", at: at + 3000, caught: "akismet" },
    ];
    await seeder.seedComments(env.DB, site.id, page, planned);

    const [posted] = await rows("SELECT * FROM comments WHERE id = ?", first.comment.id);
    const seeded = await rows(
      "SELECT * FROM comments WHERE site_id = ? AND id != ? ORDER BY id",
      site.id,
      first.comment.id,
    );
    expect(posted).toBeDefined();
    expect(seeded).toHaveLength(4);
    const [top, reply, duplicate, spam] = seeded;
    expect(shape(top ?? {})).toEqual(shape(posted ?? {}));
    expect(top).toMatchObject({ author_email: "chloe@example.com", status: "published" });
    expect(reply).toMatchObject({
      parent_id: top?.id,
      root_id: top?.id,
      depth: 1,
      path: `${top?.id}/${reply?.id}`,
    });
    // The same reader, as one browser: one author token, so one author hash and one avatar.
    expect(reply).toMatchObject({ author_hash: top?.author_hash, avatar: top?.avatar });
    expect(duplicate).toMatchObject({ status: "pending", spam_reasons: '["duplicate"]' });
    expect(spam).toMatchObject({ status: "spam", spam_reasons: '["akismet"]' });
    // Stored through the triggers: the thread counts its published comments.
    expect((await thread(site.id, page)).thread.count).toBe(3);
  });
});
