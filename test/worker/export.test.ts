import { afterEach, describe, expect, it, vi } from "vitest";
import { ADMIN, call, createSite, json, pageUrl, post, postRaw, rows } from "./helpers";
import { stubNetwork } from "./network-edge";

/*
 * The export (API.md "Data portability"): the site as Parley JSON, streamed, with every thread
 * and comment, parent links, statuses and dates, and no secrets or ip hashes.
 */

interface Export {
  format: string;
  version: number;
  site: { id: string; name: string; origins: string[] };
  threads: Array<{ page: string; title: string; locked: boolean; createdAt: string }>;
  comments: Array<{
    id: string;
    page: string;
    parentId: string | null;
    author: { name: string; email: string | null; website: string | null };
    body: string;
    status: string;
    createdAt: string;
    editedAt: string | null;
  }>;
}

const exportOf = (site: string, headers = ADMIN) =>
  call("GET", `/api/v1/sites/${site}/export`, undefined, headers);

afterEach(() => {
  vi.restoreAllMocks();
});

describe("GET /sites/{site}/export", () => {
  it("holds every thread and comment with parent links, statuses and dates", async () => {
    const [site, other] = await Promise.all([createSite(), createSite()]);
    const [a, b] = [pageUrl(), pageUrl()];
    const root = await post(site.id, a, {
      title: "Article A",
      author: { name: "Ana", email: "ana@example.com", website: "https://ana.example" },
      body: "Root *words*",
    });
    const reply = await post(site.id, a, { parentId: root.comment.id, body: "A reply" });
    const spam = await post(site.id, b, { body: "Caught", hp: "bot" });
    await post(other.id, a, { body: "Not this site's" });

    const res = await exportOf(site.id);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.headers.get("content-disposition")).toContain(`parley-${site.id}.json`);
    const data = await json<Export>(res);
    expect(data).toMatchObject({ format: "parley", version: 1, site: { id: site.id } });
    expect(data.threads.map((t) => [t.page, t.title])).toEqual([
      [a, "Article A"],
      [b, b],
    ]);
    expect(data.comments.map((c) => [c.id, c.page, c.parentId, c.status])).toEqual([
      [root.comment.id, a, null, "published"],
      [reply.comment.id, a, root.comment.id, "published"],
      [spam.comment.id, b, null, "spam"],
    ]);
    expect(data.comments[0]).toMatchObject({
      author: { name: "Ana", email: "ana@example.com", website: "https://ana.example" },
      body: "Root *words*",
      editedAt: null,
    });
  });

  it("carries no secret, ip hash, user agent or edit token", async () => {
    // The site has a webhook (for its signing secret); its receiver is a stub.
    stubNetwork({ "hooks.example": () => new Response("ok") });
    const site = await createSite({ webhookUrl: "https://hooks.example/x" });
    const posted = await post(site.id, pageUrl(), {}, { "user-agent": "SecretBrowser/9" });
    const text = await (await exportOf(site.id)).text();
    const [row] = await rows("SELECT ip_hash FROM comments WHERE id = ?", posted.comment.id);
    const [stored] = await rows(
      "SELECT author_salt, webhook_secret FROM sites WHERE id = ?",
      site.id,
    );
    for (const secret of [
      posted.editToken,
      String(row?.ip_hash),
      "SecretBrowser/9",
      site.secret,
      String(stored?.author_salt),
      String(stored?.webhook_secret),
    ])
      expect(text).not.toContain(secret);
    expect(text).not.toMatch(/ipHash|userAgent|editToken|secret|salt/i);
  });

  it("pages through a site larger than one query, in creation order", async () => {
    const site = await createSite();
    const page = pageUrl();
    const ids: string[] = [];
    for (let i = 0; i < 520; i++) {
      const res = await postRaw(site.id, page, { body: `Comment ${i}` });
      ids.push((await json<{ comment: { id: string } }>(res)).comment.id);
    }
    const data = await json<Export>(await exportOf(site.id));
    expect(data.comments.map((c) => c.id)).toEqual(ids);
  }, 120_000);

  it("exports an empty site as empty lists", async () => {
    const site = await createSite();
    const data = await json<Export>(await exportOf(site.id));
    expect([data.threads, data.comments]).toEqual([[], []]);
  });

  it("is for the operator only, and 404 for an unknown site", async () => {
    const site = await createSite();
    const moderator = { authorization: `Bearer ${site.secret}` };
    expect((await exportOf(site.id, moderator)).status).toBe(401);
    expect((await exportOf("no-such-site")).status).toBe(404);
  });
});
