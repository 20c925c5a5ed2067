// Cloudflare Turnstile: a site with a Turnstile key gets the challenge in its post form and its
// token with each comment; every other site's readers never contact Cloudflare. Only the network
// edge is stubbed: Cloudflare's script, served by the test as a tiny `window.turnstile`.
import type { Request } from "playwright-core";
import { describe, expect, it } from "vitest";
import { createSite, uniqueId } from "./api";
import { announcements, expectNoErrors, fill, mainForm, openWidget, useBrowser } from "./browser";

const s = useBrowser();

const API = "https://challenges.cloudflare.com/turnstile/v0/api.js?render=explicit";
const CLOUDFLARE = (url: URL) => url.hostname === "challenges.cloudflare.com";

/** Records what the widget asks of it; each reset issues a new token. */
const STUB = `window.turnstile = {
  calls: [],
  tokens: 0,
  render(container, options) {
    this.calls.push(["render", options.sitekey, container.isConnected && !!container.closest("form")]);
    container.textContent = "(challenge)";
    return "w1";
  },
  reset(id) { this.calls.push(["reset", id]); this.tokens += 1; },
  getResponse(id) { this.calls.push(["getResponse", id]); return "token-" + this.tokens; },
};`;

type Calls = Array<[string, ...unknown[]]>;
const calls = () =>
  s.page.evaluate(
    () => (window as unknown as { turnstile?: { calls: Calls } }).turnstile?.calls ?? null,
  );

/** Posts through the main form; returns the JSON body the widget sent. */
async function post(body: string): Promise<Record<string, unknown>> {
  const form = mainForm(s.page);
  await fill(form, { name: "Tess", body });
  const sent = s.page.waitForRequest(
    (r: Request) => r.method() === "POST" && r.url().endsWith("/comments"),
  );
  await form.getByRole("button", { name: "Post Comment" }).click();
  const request = await sent;
  await request.response();
  return request.postDataJSON() as Record<string, unknown>;
}

describe("turnstile", () => {
  it("renders the challenge in the post form and sends a fresh token with each comment", async () => {
    const site = (
      await createSite({
        turnstileSiteKey: "1x00000000000000000000AA",
        turnstileSecretKey: "1x0000000000000000000000000000000AA",
      })
    ).id;
    const scripts: string[] = [];
    await s.page.route(CLOUDFLARE, (route) => {
      scripts.push(route.request().url());
      return route.fulfill({ contentType: "text/javascript", body: STUB });
    });
    await openWidget(s, { site, path: `/challenge/${uniqueId("p")}` });

    await expect.poll(calls).toEqual([["render", "1x00000000000000000000AA", true]]);
    expect(scripts).toEqual([API]);
    expect(await mainForm(s.page).getByText("(challenge)").count()).toBe(1);

    const first = await post("First, with a token");
    expect(first.turnstileToken).toBe("token-0");
    // A token is good for one post: the challenge is reset for the next.
    await expect
      .poll(async () => (await calls())?.filter(([c]) => c === "reset").length)
      .toBeGreaterThan(0);
    await expect.poll(() => announcements(s.page)).toMatch(/Your comment (was published|is held)/);

    const second = await post("Second, with a new token");
    expect(second.turnstileToken).toMatch(/^token-[1-9]/);
    expect(scripts).toHaveLength(1);
    expectNoErrors(s);
  });

  it("loads nothing from Cloudflare and sends no token for a site without Turnstile", async () => {
    const site = (await createSite()).id;
    const contacted: string[] = [];
    await s.context.route(CLOUDFLARE, (route) => {
      contacted.push(route.request().url());
      return route.abort();
    });
    await openWidget(s, { site, path: `/challenge/${uniqueId("p")}` });
    const sent = await post("No challenge here");
    await expect.poll(() => announcements(s.page)).toContain("Your comment was published.");

    expect(sent).not.toHaveProperty("turnstileToken");
    expect(await calls()).toBeNull();
    expect(contacted).toEqual([]);
    expect(s.requests.filter((r) => CLOUDFLARE(new URL(r.url())))).toEqual([]);
    expectNoErrors(s);
  });
});
