import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import worker from "../../src/index";
import { editedCommentEvent } from "../../src/services/outside/webhooks";
import { ADMIN, call, createSite, json, type Posted, pageUrl, type SiteFixture } from "./helpers";
import { callWorker, type Sent, stubNetwork } from "./network-edge";

/*
 * Webhooks (issue 4, "Webhooks"): a signed JSON POST on every new comment and moderator action,
 * readable by Slack and Discord, sent after the response and retried once; a failing or hanging
 * receiver never changes the reader's answer. The receiver is a stub at the network edge that
 * checks the signature the way a site owner's receiver would.
 */

const HOOK_HOST = "hooks.news.example";

afterEach(() => {
  vi.restoreAllMocks();
});

async function siteWithWebhook(settings: Record<string, unknown> = {}) {
  const site = await createSite({ webhookUrl: `https://${HOOK_HOST}/parley`, ...settings });
  const res = await call("GET", `/api/v1/sites/${site.id}`, undefined, ADMIN);
  const { webhookSecret } = (await json<{ site: { webhookSecret: string } }>(res)).site;
  return { ...site, webhookSecret };
}

/** HMAC-SHA256 of the body, hex: what a receiver computes to trust a delivery. */
async function signatureOf(secret: string, body: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(body));
  return [...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

async function verified(delivery: Sent | undefined, secret: string) {
  expect(delivery?.headers.get("x-parley-signature")).toBe(
    `sha256=${await signatureOf(secret, delivery?.body ?? "")}`,
  );
  return JSON.parse(delivery?.body ?? "{}") as Record<string, unknown>;
}

const postComment = (site: SiteFixture, fields: Record<string, unknown> = {}) =>
  callWorker("POST", `/api/v1/sites/${site.id}/comments`, {
    page: pageUrl(),
    author: { name: "Ana" },
    body: `A thought ${Math.random()}`,
    ...fields,
  });

describe("webhooks", () => {
  it("posts every new comment, signed, with a line Slack and Discord show", async () => {
    const edge = stubNetwork({ [HOOK_HOST]: () => new Response("ok") });
    const site = await siteWithWebhook();
    const res = await postComment(site, { body: "First!" });
    expect(res.status).toBe(201);
    const { comment } = await json<Posted>(res);
    const [delivery] = edge.to(HOOK_HOST);
    expect(delivery?.headers.get("content-type")).toBe("application/json");
    expect(delivery?.headers.get("x-parley-event")).toBe("comment.published");
    const payload = await verified(delivery, site.webhookSecret);
    expect(payload).toMatchObject({
      event: "comment.published",
      site: site.id,
      commentId: comment.id,
      status: "published",
      allowed_mentions: { parse: [] },
    });
    expect(payload.text).toContain("First!");
    expect(payload.content).toContain("First!");
  });

  it("posts held and spam comments too, so moderators hear of them", async () => {
    const edge = stubNetwork({ [HOOK_HOST]: () => new Response("ok") });
    const site = await siteWithWebhook({ moderation: "all" });
    await postComment(site);
    await postComment(site, { hp: "bot" });
    const events = await Promise.all(
      edge.to(HOOK_HOST).map(async (d) => (await verified(d, site.webhookSecret)).event),
    );
    expect(events).toEqual(["comment.pending", "comment.spam"]);
  });

  it("keeps commenters from pinging a channel: Slack's controls escaped, Discord told no mentions", async () => {
    const edge = stubNetwork({ [HOOK_HOST]: () => new Response("ok") });
    const site = await siteWithWebhook();
    await postComment(site, {
      body: "<!channel> look & see <https://evil.example|bank> @everyone",
    });
    const payload = await verified(edge.to(HOOK_HOST)[0], site.webhookSecret);
    expect(payload.text).toContain(
      "&lt;!channel&gt; look &amp; see &lt;https://evil.example|bank&gt;",
    );
    expect(payload.text).not.toContain("<!channel>");
    expect(payload.allowed_mentions).toEqual({ parse: [] });
  });

  // Bug (issue 12): Discord's copy was the line as written, so a commenter's masked link
  // showed as a link named "verify", and mentions and markdown formatted the channel's message.
  it("escapes Discord's markdown, so a commenter's masked links, mentions and formatting show as written", async () => {
    const edge = stubNetwork({ [HOOK_HOST]: () => new Response("ok") });
    const site = await siteWithWebhook();
    const body =
      "[verify](https://evil.example) <https://evil.example> **bold** @everyone `code` ||hidden|| <@123>\n# Heading\n> quote";
    await postComment(site, { author: { name: "[Ana](https://evil.example)" }, body });
    const payload = await verified(edge.to(HOOK_HOST)[0], site.webhookSecret);
    const content = String(payload.content);
    for (const escaped of [
      "by \\[Ana\\]\\(https://evil.example\\)",
      "\\[verify\\]\\(https://evil.example\\)",
      "\\<https://evil.example\\>",
      "\\*\\*bold\\*\\*",
      "\\@everyone",
      "\\`code\\`",
      "\\|\\|hidden\\|\\|",
      "\\<\\@123\\>",
      // One line: a commenter's line breaks cannot start a heading or a quote.
      " \\# Heading \\> quote",
    ]) {
      expect(content).toContain(escaped);
    }
    // The page's own URL is left whole, so it still links to the page.
    expect(content).toContain(` on ${payload.page} `);
    // Slack's copy is escaped as before: only its own controls.
    expect(payload.text).toContain(
      "[verify](https://evil.example) &lt;https://evil.example&gt; **bold** @everyone `code` ||hidden|| &lt;@123&gt;\n# Heading\n&gt; quote",
    );
    expect(payload.allowed_mentions).toEqual({ parse: [] });
  });

  it("posts moderator actions with the acting key's label", async () => {
    const edge = stubNetwork({ [HOOK_HOST]: () => new Response("ok") });
    const site = await siteWithWebhook();
    const { comment } = await json<Posted>(await postComment(site));
    const moderation = `/api/v1/sites/${site.id}/moderation`;
    const auth = { authorization: `Bearer ${site.secret}` };
    expect(
      (await callWorker("POST", `${moderation}/comments/${comment.id}/spam`, undefined, auth))
        .status,
    ).toBe(200);
    expect(
      (
        await callWorker(
          "POST",
          `${moderation}/bulk`,
          { action: "delete", ids: [comment.id] },
          auth,
        )
      ).status,
    ).toBe(200);
    const [, spam, bulk] = await Promise.all(
      edge.to(HOOK_HOST).map((d) => verified(d, site.webhookSecret)),
    );
    expect(spam).toMatchObject({ event: "moderation.spam", commentId: comment.id, status: "spam" });
    expect(String(spam?.text)).toContain("default");
    expect(bulk).toMatchObject({ event: "moderation.bulk-delete", affected: 1 });
  });

  it("retries a failed delivery once, and the reader's post succeeds regardless", async () => {
    const edge = stubNetwork({ [HOOK_HOST]: () => new Response("down", { status: 503 }) });
    const site = await siteWithWebhook();
    const res = await postComment(site);
    expect(res.status).toBe(201);
    const deliveries = edge.to(HOOK_HOST);
    expect(deliveries).toHaveLength(2);
    expect(deliveries[1]?.body).toBe(deliveries[0]?.body);
  });

  it("answers the reader without waiting for a receiver that has not answered", async () => {
    // The receiver answers only once the reader has had theirs: were the delivery awaited
    // before answering, the response below would never come.
    const receiver = Promise.withResolvers<Response>();
    const edge = stubNetwork({ [HOOK_HOST]: () => receiver.promise });
    const site = await siteWithWebhook();
    const ctx = createExecutionContext();
    const res = await worker.fetch(
      new Request(`http://parley.test/api/v1/sites/${site.id}/comments`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ page: pageUrl(), author: { name: "Ana" }, body: "Slow hook" }),
      }),
      env,
      ctx,
    );
    expect(res.status).toBe(201);
    receiver.resolve(new Response("ok"));
    await waitOnExecutionContext(ctx);
    expect(edge.to(HOOK_HOST)).toHaveLength(1);
  });

  // Bug (issue 12): deliveries followed redirects, so a public receiver could send Parley's
  // signed POST on to a host the settings API would refuse, such as the metadata service.
  it("does not follow a receiver's redirect, and counts it as a failure", async () => {
    const metadata = "169.254.169.254";
    const edge = stubNetwork({
      [HOOK_HOST]: () =>
        new Response(null, {
          status: 302,
          headers: { location: `http://${metadata}/latest/meta-data/` },
        }),
      [metadata]: () => new Response("secrets"),
    });
    const site = await siteWithWebhook();
    expect((await postComment(site)).status).toBe(201);
    expect(edge.to(metadata)).toEqual([]);
    // A failed delivery is retried once (README "Webhooks"), and a redirect is a failure.
    expect(edge.to(HOOK_HOST)).toHaveLength(2);
  });

  // Bug (issue 12): a webhook URL stored before hosts were checked (or written to the database
  // by hand) was still delivered to, whatever host it named.
  it.each([
    "http://127.0.0.1:8787/hook",
    "http://0x7f.1/hook",
    "http://[::ffff:7f00:1]/hook",
    "http://localhost/hook",
    "http://169.254.169.254/latest/meta-data/",
  ])(
    "skips, and logs, a delivery to a stored webhook URL on a non-public host (%s)",
    async (url) => {
      const refused = [
        "127.0.0.1:8787",
        "127.0.0.1",
        "[::ffff:7f00:1]",
        "localhost",
        "169.254.169.254",
      ];
      const edge = stubNetwork(
        Object.fromEntries(refused.map((host) => [host, () => new Response("ok")])),
      );
      const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
      const site = await siteWithWebhook();
      await env.DB.prepare("UPDATE sites SET webhook_url = ? WHERE id = ?")
        .bind(url, site.id)
        .run();
      expect((await postComment(site)).status).toBe(201);
      expect(edge.sent).toEqual([]);
      const logged = warn.mock.calls.map(([line]) => JSON.parse(String(line)));
      expect(logged).toContainEqual(
        expect.objectContaining({
          level: "warn",
          msg: "webhook skipped: not a public host",
          site: site.id,
        }),
      );
    },
  );

  it("builds a comment.edited event for an edited comment", () => {
    const event = editedCommentEvent(
      { name: "Example News" },
      { id: "c_1", status: "published", authorName: "Ana", bodySource: "Second thoughts" },
      "https://news.example/a",
    );
    expect(event).toEqual({
      event: "comment.edited",
      page: "https://news.example/a",
      commentId: "c_1",
      status: "published",
      text: "Comment by Ana edited on https://news.example/a (Example News): Second thoughts",
    });
  });

  it("sends nothing for a site without a webhook", async () => {
    const edge = stubNetwork({});
    const site = await createSite();
    expect((await postComment(site)).status).toBe(201);
    expect(edge.sent).toEqual([]);
  });

  it("keeps the signing secret when the webhook URL changes", async () => {
    const site = await siteWithWebhook();
    const res = await call(
      "PATCH",
      `/api/v1/sites/${site.id}`,
      { webhookUrl: "https://elsewhere.example/hook" },
      ADMIN,
    );
    const { webhookSecret } = (await json<{ site: { webhookSecret: string } }>(res)).site;
    expect(webhookSecret).toBe(site.webhookSecret);
  });
});
