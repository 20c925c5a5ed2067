import { describe, expect, it } from "vitest";
import { call, expectError, fetchWorker } from "./helpers";

describe("demo pages", () => {
  it("serves an article page that embeds the widget for the demo site", async () => {
    const res = await call("GET", "/demo");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const page = await res.text();
    expect(page).toContain(
      '<script src="/widget.js" data-site="demo" data-page="demo/river-bends" async>',
    );
    expect(page).toContain('<div id="comments"></div>');
    expect(page).toContain("Where the River Bends");
  });

  it("serves an index whose links carry comment counts for count.js", async () => {
    const page = await (await call("GET", "/demo/index")).text();
    expect(page).toContain('<script src="/count.js" data-site="demo" async>');
    expect(page.match(/data-comments-count/g)).toHaveLength(3);
    expect(page).toContain('href="/demo/night-trains"');
  });

  it("answers 404 for an unknown demo article", async () => {
    expect((await call("GET", "/demo/no-such-article")).status).toBe(404);
  });

  // Issue 13: the demo shipped in every deployment.
  it("is not served where PARLEY_DEMO is not on: a deployment answers 404", async () => {
    for (const path of ["/demo", "/demo/index", "/demo/night-trains"]) {
      const res = await fetchWorker(new Request(`http://parley.test${path}`), {
        PARLEY_DEMO: undefined,
      });
      await expectError(res, 404, "not_found");
    }
  });
});
