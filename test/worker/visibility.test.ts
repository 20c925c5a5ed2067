import { describe, expect, it } from "vitest";
import { call, createSite, json, pageUrl, post, type SiteFixture, thread } from "./helpers";

/*
 * Nothing the thread view does not show leaves through a public endpoint (issue 12): a comment
 * held, kept as spam or removed is at most a placeholder (no author, no body) wherever it turns
 * up, whichever read brings it.
 */

type PublicComment = {
  id: string;
  status: string;
  author: { name: string } | null;
  body: unknown;
};

const asModerator = (site: SiteFixture, method: string, path: string) =>
  call(method, `/api/v1/sites/${site.id}/moderation${path}`, undefined, {
    authorization: `Bearer ${site.secret}`,
  });

/** A root with a reply with a reply; the words of the first two are what must not leak. */
async function chain(site: SiteFixture) {
  const page = pageUrl();
  const root = await post(site.id, page, {
    author: { name: "Rootwriter" },
    body: "Root words, secret",
  });
  const middle = await post(site.id, page, {
    author: { name: "Middlewriter" },
    body: "Middle words, secret",
    parentId: root.comment.id,
  });
  const leaf = await post(site.id, page, { body: "Leaf words", parentId: middle.comment.id });
  return { page, root, middle, leaf };
}

async function permalink(site: SiteFixture, id: string) {
  const res = await call("GET", `/api/v1/sites/${site.id}/comments/${id}`);
  expect(res.status).toBe(200);
  return json<{ comments: PublicComment[] }>(res);
}

/** Everything a reader's browser could fetch about the chain, as text. */
async function everyPublicRead(site: SiteFixture, c: Awaited<ReturnType<typeof chain>>) {
  const reads = await Promise.all([
    call("GET", `/api/v1/sites/${site.id}/thread?page=${encodeURIComponent(c.page)}`),
    call("GET", `/api/v1/sites/${site.id}/comments/${c.leaf.comment.id}`),
    call("GET", `/api/v1/sites/${site.id}/comments/${c.middle.comment.id}`),
    call("GET", `/api/v1/sites/${site.id}/comments/${c.root.comment.id}/replies`),
    call("GET", `/api/v1/sites/${site.id}/comments/${c.middle.comment.id}/replies`),
    call("GET", `/api/v1/sites/${site.id}/counts?page=${encodeURIComponent(c.page)}`),
    call("GET", `/api/v1/sites/${site.id}/feed.atom?page=${encodeURIComponent(c.page)}`),
    call("GET", `/api/v1/sites/${site.id}/feed.atom`),
    call("GET", `/api/v1/sites/${site.id}/recent`),
  ]);
  return (await Promise.all(reads.map((r) => r.text()))).join("\n");
}

describe("hidden ancestors", () => {
  // Issue 12: the permalink returned ancestors without a status check, so a comment marked spam
  // came back as "published" with its author and words.
  it("are placeholders in a permalink when a moderator marked them spam", async () => {
    const site = await createSite();
    const c = await chain(site);
    expect((await asModerator(site, "POST", `/comments/${c.middle.comment.id}/spam`)).status).toBe(
      200,
    );
    const { comments } = await permalink(site, c.leaf.comment.id);
    expect(comments.map((x) => x.id)).toEqual([
      c.root.comment.id,
      c.middle.comment.id,
      c.leaf.comment.id,
    ]);
    expect(comments[1]).toMatchObject({ status: "deleted", author: null, body: null });
    expect(comments[0]?.status).toBe("published");
    const text = await everyPublicRead(site, c);
    expect(text).not.toContain("Middle words");
    expect(text).not.toContain("Middlewriter");
  });

  it("are placeholders in a permalink when readers' flags hold them", async () => {
    const site = await createSite({ flagThreshold: 1 });
    const c = await chain(site);
    const res = await call(
      "POST",
      `/api/v1/sites/${site.id}/comments/${c.root.comment.id}/flag`,
      { reason: "abuse" },
      { "cf-connecting-ip": "198.51.100.7" },
    );
    expect(res.status).toBe(202);
    const { comments } = await permalink(site, c.leaf.comment.id);
    expect(comments[0]).toMatchObject({ status: "deleted", author: null, body: null });
    const text = await everyPublicRead(site, c);
    expect(text).not.toContain("Root words");
    expect(text).not.toContain("Rootwriter");
    expect(text).not.toContain('"pending"');
  });

  it("are placeholders in a permalink when a moderator removed them", async () => {
    const site = await createSite();
    const c = await chain(site);
    expect((await asModerator(site, "DELETE", `/comments/${c.root.comment.id}`)).status).toBe(204);
    const { comments } = await permalink(site, c.leaf.comment.id);
    expect(comments[0]).toMatchObject({ status: "deleted", author: null, body: null });
    expect(await everyPublicRead(site, c)).not.toContain("Root words");
  });

  it("leave the permalinked comment itself unreachable once it is hidden", async () => {
    const site = await createSite();
    const c = await chain(site);
    expect((await asModerator(site, "POST", `/comments/${c.leaf.comment.id}/spam`)).status).toBe(
      200,
    );
    const res = await call("GET", `/api/v1/sites/${site.id}/comments/${c.leaf.comment.id}`);
    expect(res.status).toBe(404);
    expect((await thread(site.id, c.page)).comments.map((x) => x.id)).not.toContain(
      c.leaf.comment.id,
    );
  });
});
