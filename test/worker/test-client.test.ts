// The tests' own API client (test/shared/api-client.ts), which the worker and browser tests share:
// what it builds must be what the tests think they asked for.
import { describe, expect, it } from "vitest";
import { apiClient } from "../shared/api-client";
import { ADMIN, ADMIN_TOKEN, call, fetchWorker, json, newThread, thread } from "./helpers";

/** A site's stored limits, as the operator API shows them. */
async function limitsOf(site: string): Promise<Record<string, number>> {
  const res = await call("GET", `/api/v1/sites/${site}`, undefined, ADMIN);
  return (await json<{ site: { limits: Record<string, number> } }>(res)).site.limits;
}

describe("the tests' API client", () => {
  // Issue 13: the browser tests' copy spread a test's settings after its quiet limits, so a test
  // that set one limit got the default time trap back and posted into a 429 it did not ask for.
  it.each<[string, { maxLinks?: number }]>([
    ["worker tests", {}],
    ["browser tests", { maxLinks: 100 }],
  ])("keeps the quiet limits under the limits a test sets (%s)", async (_, clientLimits) => {
    const client = apiClient({
      base: () => "http://parley.test",
      send: (request) => fetchWorker(request),
      adminToken: ADMIN_TOKEN,
      articles: () => "https://news.example",
      origins: [],
      limits: clientLimits,
    });
    const site = await client.createSite({ moderation: "none", limits: { postsPerDay: 5 } });
    expect(await limitsOf(site.id)).toEqual({
      postsPerMinute: 0,
      postsPerDay: 5,
      minSecondsToPost: 0,
      maxLinks: clientLimits.maxLinks ?? expect.any(Number),
    });
  });

  it("builds a site, a page and its comments, replies under the posts they name", async () => {
    const fixture = await newThread({
      section: "client",
      posts: [{ body: "First" }, { body: "An answer", parentIndex: 0 }, { body: "Second" }],
    });
    expect(new URL(fixture.page).pathname).toBe(fixture.path);
    expect(fixture.path).toMatch(/^\/client\//);
    const [first, answer, second] = fixture.posted;
    expect(answer?.comment.parentId).toBe(first?.comment.id);
    expect(second?.comment.parentId).toBeNull();
    const view = await thread(fixture.site, fixture.page);
    expect(view.thread.count).toBe(3);
    expect(view.comments.map((c) => c.id)).toEqual(
      [first, answer, second].map((p) => p?.comment.id),
    );
  });
});
