import { describe, expect, it } from "vitest";
import demo from "../../scripts/demo-discussion.json";
import { call, createSite, json, type Posted, type SiteFixture, thread } from "./helpers";

/*
 * The README's "Moderation" section promises two one-call clean-ups on the demo's discussion.
 * These are those calls, body for body, against the discussion `npm start` seeds.
 */

const DEMO_PAGE = demo.page;
const DISCUSSION: Array<{
  name: string;
  email?: string;
  website?: string;
  replyTo?: number;
  body: string;
}> = demo.comments;

const README_DELETE_SPAM = { action: "spam", page: DEMO_PAGE, q: "GANA DINERO" };
const README_REMOVE_AUTHOR = { action: "delete", authorEmail: "ofertas@dinero-facil.example" };

async function demoDiscussion(): Promise<SiteFixture> {
  const site = await createSite();
  const ids: string[] = [];
  for (const entry of DISCUSSION) {
    const res = await call("POST", `/api/v1/sites/${site.id}/comments`, {
      page: DEMO_PAGE,
      parentId: entry.replyTo === undefined ? undefined : ids[entry.replyTo],
      author: { name: entry.name, email: entry.email, website: entry.website },
      body: entry.body,
    });
    expect(res.status).toBe(201);
    ids.push((await json<Posted>(res)).comment.id);
  }
  return site;
}

const bulk = (site: SiteFixture, body: unknown) =>
  call("POST", `/api/v1/sites/${site.id}/moderation/bulk`, body, {
    authorization: `Bearer ${site.secret}`,
  });

const names = async (site: SiteFixture) =>
  (await thread(site.id, DEMO_PAGE)).comments.map((c) => c.author?.name);

describe("the README's moderation calls", () => {
  for (const [what, body] of [
    ["marks the demo's spam comment as spam", README_DELETE_SPAM],
    ["removes everything from the spammer's email", README_REMOVE_AUTHOR],
  ] as const) {
    it(`${what}, and nothing else`, async () => {
      const site = await demoDiscussion();
      expect(await names(site)).toContain("Ofertas Increíbles");
      const res = await bulk(site, body);
      expect(await json(res)).toEqual({ affected: 1 });
      const left = await names(site);
      expect(left).not.toContain("Ofertas Increíbles");
      expect(left).toHaveLength(DISCUSSION.length - 1);
      expect((await thread(site.id, DEMO_PAGE)).thread.count).toBe(DISCUSSION.length - 1);
    });
  }
});
