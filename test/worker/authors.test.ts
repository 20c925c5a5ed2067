import { describe, expect, it } from "vitest";
import { call, createSite, json, pageUrl, post, rows, type SiteFixture, thread } from "./helpers";

/*
 * Access and erasure by email (API.md "Data portability"; GDPR articles 15 and 17): a moderator
 * finds every comment an address wrote on the site, and erases them.
 */

const EMAIL = "Writer@Example.com";

const asModerator = (site: SiteFixture, method: string, email: string) =>
  call(
    method,
    `/api/v1/sites/${site.id}/moderation/authors?email=${encodeURIComponent(email)}`,
    undefined,
    { authorization: `Bearer ${site.secret}` },
  );

async function writings(site: SiteFixture) {
  const [a, b] = [pageUrl(), pageUrl()];
  const author = { name: "Writer", email: EMAIL, website: "https://writer.example" };
  const first = await post(site.id, a, { author, body: "My first words" });
  const reply = await post(site.id, a, { parentId: first.comment.id, body: "Someone answers" });
  const second = await post(site.id, b, { author, body: "More of my words" });
  const other = await post(site.id, b, { author: { name: "Other", email: "other@example.com" } });
  return { a, b, first, reply, second, other };
}

describe("an author's comments by email", () => {
  it("lists every comment the address wrote on the site, whatever the case, newest first", async () => {
    const site = await createSite();
    const w = await writings(site);
    const caught = await post(site.id, w.b, {
      author: { name: "Writer", email: EMAIL },
      body: "Filled in by an autofill",
      hp: "autofill",
    });
    const res = await asModerator(site, "GET", "writer@EXAMPLE.com");
    expect(res.status).toBe(200);
    const { comments } = await json<{
      comments: Array<{
        id: string;
        status: string;
        author: { email: string };
        bodySource: string;
      }>;
    }>(res);
    expect(comments.map((c) => c.id)).toEqual([
      caught.comment.id,
      w.second.comment.id,
      w.first.comment.id,
    ]);
    // Spam too: an access request covers everything stored.
    expect(comments.map((c) => c.status)).toEqual(["spam", "published", "published"]);
    expect(comments[0]?.author.email).toBe("writer@example.com");
    expect(comments[2]?.bodySource).toBe("My first words");
  });

  it("finds nothing for an address that wrote nothing, or wrote on another site", async () => {
    const [site, other] = await Promise.all([createSite(), createSite()]);
    await writings(other);
    const { comments } = await json<{ comments: unknown[] }>(await asModerator(site, "GET", EMAIL));
    expect(comments).toEqual([]);
  });

  it("erases them: words and personal data go, a placeholder stays above replies", async () => {
    const site = await createSite();
    const w = await writings(site);
    const res = await asModerator(site, "DELETE", EMAIL);
    expect(await json(res)).toEqual({ affected: 2 });

    const stored = await rows(
      "SELECT id, status, author_name, author_email, author_website, ip_hash, body_source FROM comments WHERE id IN (?, ?)",
      w.first.comment.id,
      w.second.comment.id,
    );
    for (const row of stored)
      expect(row).toMatchObject({
        status: "deleted",
        author_name: "",
        author_email: null,
        author_website: null,
        ip_hash: null,
        body_source: "",
      });
    // Page a keeps the reply under a placeholder; page b keeps only the other author.
    const [a, b] = [await thread(site.id, w.a), await thread(site.id, w.b)];
    expect(a.comments.map((c) => [c.id, c.status])).toEqual([
      [w.first.comment.id, "deleted"],
      [w.reply.comment.id, "published"],
    ]);
    expect(b.comments.map((c) => c.id)).toEqual([w.other.comment.id]);
    expect([a.thread.count, b.thread.count]).toEqual([1, 1]);
  });

  // Issue 12: erasure left readers' flags, whose notes may quote the words, and the avatar seed.
  it("erases readers' flags on those comments, their notes with them, and the avatar seed", async () => {
    const site = await createSite({ flagThreshold: 10 });
    const w = await writings(site);
    const flagged = await call(
      "POST",
      `/api/v1/sites/${site.id}/comments/${w.first.comment.id}/flag`,
      { reason: "abuse", note: "They wrote: My first words" },
      { "cf-connecting-ip": "198.51.100.90" },
    );
    expect(flagged.status).toBe(202);
    const otherFlag = await call(
      "POST",
      `/api/v1/sites/${site.id}/comments/${w.other.comment.id}/flag`,
      { reason: "spam" },
      { "cf-connecting-ip": "198.51.100.90" },
    );
    expect(otherFlag.status).toBe(202);
    expect(await json(await asModerator(site, "DELETE", EMAIL))).toEqual({ affected: 2 });
    expect(
      await rows("SELECT comment_id, note FROM flags WHERE comment_id = ?", w.first.comment.id),
    ).toEqual([]);
    expect(
      await rows("SELECT comment_id FROM flags WHERE comment_id = ?", w.other.comment.id),
    ).toEqual([{ comment_id: w.other.comment.id }]);
    const erased = await rows(
      "SELECT avatar, author_hash FROM comments WHERE id IN (?, ?)",
      w.first.comment.id,
      w.second.comment.id,
    );
    expect(erased).toEqual([
      { avatar: "", author_hash: "" },
      { avatar: "", author_hash: "" },
    ]);
  });

  it("leaves no trace of the address in the audit log, and a second request erases nothing", async () => {
    const site = await createSite();
    await writings(site);
    // An earlier bulk action by this address put it in the log's details.
    await call(
      "POST",
      `/api/v1/sites/${site.id}/moderation/bulk`,
      { action: "spam", authorEmail: EMAIL },
      { authorization: `Bearer ${site.secret}` },
    );
    expect(await json(await asModerator(site, "DELETE", EMAIL))).toEqual({ affected: 2 });
    expect(await json(await asModerator(site, "DELETE", EMAIL))).toEqual({ affected: 0 });
    const log = await rows("SELECT * FROM audit_log WHERE site_id = ?", site.id);
    expect(log.map((e) => e.action)).toContain("erase-author");
    expect(JSON.stringify(log).toLowerCase()).not.toContain("writer@example.com");
    const { comments } = await json<{ comments: unknown[] }>(await asModerator(site, "GET", EMAIL));
    expect(comments).toEqual([]);
  });
});
