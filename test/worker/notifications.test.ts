import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { moveClock } from "./clock";
import {
  ADMIN,
  call,
  createSite,
  json,
  type Posted,
  pageUrl,
  post,
  postRaw,
  rows,
  workerApi,
} from "./helpers";
import { address, linkIn, type Mail, mailbox, runCron } from "./mailbox";

/*
 * Reply notifications (issue 14, "Readers"): double opt-in per address and site, mail only for
 * published comments and never to their own author, one mail per thread per five minutes with
 * the rest in a digest, unsubscribing by one POST (RFC 8058), and answers that say nothing about
 * an address. The mail API is stubbed at the network edge (mailbox.ts); the rest is real.
 */

afterEach(() => {
  vi.restoreAllMocks();
});

const MINUTE = 60_000;

/** The API of a deployment that sends no mail: no transport named. */
const withoutMail = workerApi({ MAIL_TRANSPORT: "" });

/** A reader who posts with notify and confirms from the confirmation mail. */
async function subscribed(
  site: string,
  page: string,
  box: ReturnType<typeof mailbox>,
  notify: "replies" | "thread" = "replies",
) {
  const email = address("ana");
  const posted = await post(site, page, { author: { name: "Ana", email }, notify });
  const [confirmation] = box.to(email);
  const res = await call("POST", linkIn(confirmation, "/mail/confirm"));
  expect(res.status).toBe(200);
  return { email, posted };
}

const reply = (site: string, page: string, to: Posted, fields: Record<string, unknown> = {}) =>
  post(site, page, { parentId: to.comment.id, author: { name: "Bo" }, ...fields });

describe("subscribing", () => {
  it("mails one confirmation and nothing else until the address confirms", async () => {
    const box = mailbox();
    const site = (await createSite()).id;
    const page = pageUrl();
    const email = address();
    const mine = await post(site, page, { author: { name: "Ana", email }, notify: "replies" });

    const [confirmation, ...more] = box.to(email);
    expect(more).toEqual([]);
    expect(confirmation?.subject).toContain("Confirm");
    // Replies before the confirmation are not mailed.
    await reply(site, page, mine);
    await reply(site, page, mine);
    expect(box.to(email)).toHaveLength(1);
  });

  it("answers a post the same whether the address is new, waiting, confirmed or subscribed", async () => {
    const box = mailbox();
    const site = (await createSite()).id;
    const page = pageUrl();
    const { email } = await subscribed(site, page, box);
    const shape = async (fields: Record<string, unknown>) => {
      const res = await postRaw(site, page, fields);
      const body = await json<Record<string, unknown>>(res);
      return { status: res.status, keys: Object.keys(body).sort() };
    };
    const known = await shape({ author: { name: "A", email }, notify: "thread" });
    const fresh = await shape({ author: { name: "B", email: address() }, notify: "thread" });
    const none = await shape({ author: { name: "C", email: address() } });
    expect(known).toEqual(fresh);
    expect(fresh).toEqual(none);
  });

  it("sends a few confirmation mails a day per address, and per reader", async () => {
    const box = mailbox();
    const site = (await createSite()).id;
    const victim = address("victim");
    for (let i = 0; i < 5; i++) {
      await post(site, pageUrl(), { author: { name: "X", email: victim }, notify: "thread" });
    }
    expect(box.to(victim)).toHaveLength(3);

    const strangers = Array.from({ length: 7 }, () => address("stranger"));
    for (const email of strangers) {
      await post(site, pageUrl(), { author: { name: "X", email }, notify: "thread" });
    }
    // The same reader (one ip hash): the victim's three and two strangers' make five.
    expect(strangers.filter((s) => box.to(s).length > 0)).toHaveLength(2);
  });

  it("subscribes no one from a comment kept as spam", async () => {
    const box = mailbox();
    const site = (await createSite()).id;
    const email = address();
    await post(site, pageUrl(), { author: { name: "Bot", email }, notify: "thread", hp: "x" });
    expect(box.to(email)).toEqual([]);
    expect(await rows("SELECT id FROM mail_addresses WHERE email = ?", email)).toEqual([]);
  });

  it("changes nothing when a link scanner opens the confirmation link", async () => {
    const box = mailbox();
    const site = (await createSite()).id;
    const page = pageUrl();
    const email = address();
    const mine = await post(site, page, { author: { name: "Ana", email }, notify: "replies" });
    const link = linkIn(box.to(email)[0], "/mail/confirm");

    const opened = await call("GET", link);
    expect(opened.status).toBe(200);
    expect(await opened.text()).toContain('<form method="post">');
    await call("HEAD", link);
    await reply(site, page, mine);
    expect(box.to(email)).toHaveLength(1);
    const [stored] = await rows("SELECT confirmed_at FROM mail_addresses WHERE email = ?", email);
    expect(stored?.confirmed_at).toBeNull();
  });
});

describe("notifications", () => {
  it("mails a reply to the comment's author once confirmed, with RFC 8058 headers", async () => {
    const box = mailbox();
    const site = (await createSite()).id;
    const page = pageUrl();
    const { email, posted } = await subscribed(site, page, box);
    const answer = await reply(site, page, posted, { body: "A fine **reply**." });

    const mail = box.to(email).at(-1) as Mail;
    expect(box.to(email)).toHaveLength(2);
    expect(mail.subject).toContain("New comment on");
    expect(mail.text).toContain("A fine reply.");
    expect(mail.text).toContain(`${page}#comment-${answer.comment.id}`);
    expect(mail.html).toContain("<strong>reply</strong>");
    expect(mail.headers["List-Unsubscribe"]).toMatch(
      /^<http:\/\/parley\.test\/mail\/unsubscribe\?token=[^>]+>$/,
    );
    expect(mail.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    expect(mail.headers["Message-ID"]).toMatch(/^<m_[0-9a-f]+@parley\.test>$/);
    expect(mail.headers["In-Reply-To"]).toMatch(/^<thread\.t_\w+@parley\.test>$/);
    expect(mail.headers.References).toBe(mail.headers["In-Reply-To"]);
    expect(linkIn(mail, "/mail/subscriptions")).toContain("/mail/subscriptions?token=");
  });

  it("never mails the author of the new comment", async () => {
    const box = mailbox();
    const site = (await createSite()).id;
    const page = pageUrl();
    const { email, posted } = await subscribed(site, page, box, "thread");
    await reply(site, page, posted, { author: { name: "Ana again", email: email.toUpperCase() } });
    expect(box.to(email)).toHaveLength(1);
  });

  it("mails nothing for a held comment until a moderator approves it", async () => {
    const box = mailbox();
    const { id: site, secret } = await createSite({ moderation: "all" });
    const page = pageUrl();
    const email = address();
    // Held too: the author's own first comment, which must be approved before a reply can hang on it.
    const mine = await post(site, page, { author: { name: "Ana", email }, notify: "replies" });
    const moderator = { authorization: `Bearer ${secret}` };
    await call(
      "POST",
      `/api/v1/sites/${site}/moderation/comments/${mine.comment.id}/approve`,
      undefined,
      moderator,
    );
    await call("POST", linkIn(box.to(email)[0], "/mail/confirm"));

    const held = await reply(site, page, mine);
    expect(box.to(email)).toHaveLength(1);
    const approved = await call(
      "POST",
      `/api/v1/sites/${site}/moderation/comments/${held.comment.id}/approve`,
      undefined,
      moderator,
    );
    expect(approved.status).toBe(200);
    expect(box.to(email)).toHaveLength(2);
    expect(box.to(email)[1]?.text).toContain(held.comment.id);
  });

  it("sends the first at once and gathers the next ones of five minutes into one digest", async () => {
    const box = mailbox();
    const site = (await createSite()).id;
    const page = pageUrl();
    const { email, posted } = await subscribed(site, page, box, "thread");
    await reply(site, page, posted, { body: "first" });
    await reply(site, page, posted, { body: "second" });
    moveClock(2 * MINUTE);
    await reply(site, page, posted, { body: "third" });
    await runCron();
    expect(box.to(email).map((m) => m.subject)).toHaveLength(2);

    moveClock(3 * MINUTE + 1000);
    await runCron();
    const mails = box.to(email);
    expect(mails).toHaveLength(3);
    expect(mails[2]?.subject).toContain("2 new comments");
    expect(mails[2]?.text).toContain("second");
    expect(mails[2]?.text).toContain("third");
    expect(mails[2]?.text).not.toContain("first");
  });

  it("leaves out of a digest a comment removed before it was sent", async () => {
    const box = mailbox();
    const { id: site, secret } = await createSite();
    const page = pageUrl();
    const { email, posted } = await subscribed(site, page, box, "thread");
    await reply(site, page, posted, { body: "first" });
    const removed = await reply(site, page, posted, { body: "spammy" });
    await call(
      "POST",
      `/api/v1/sites/${site}/moderation/comments/${removed.comment.id}/spam`,
      undefined,
      {
        authorization: `Bearer ${secret}`,
      },
    );
    moveClock(6 * MINUTE);
    await runCron();
    expect(box.to(email)).toHaveLength(2);
    expect(box.all.some((m) => m.text.includes("spammy"))).toBe(false);
  });

  it("escapes a hostile author and body in the HTML mail", async () => {
    const box = mailbox();
    const site = (await createSite()).id;
    const page = pageUrl();
    const { email, posted } = await subscribed(site, page, box);
    await reply(site, page, posted, {
      author: { name: '<img src=x onerror="alert(1)">' },
      body: "<script>alert(2)</script> [x](javascript:alert(3))",
    });
    const mail = box.to(email).at(-1) as Mail;
    expect(mail.html).not.toContain("<script");
    expect(mail.html).not.toContain("<img");
    expect(mail.html).not.toContain("javascript:");
    expect(mail.html).toContain("&lt;script&gt;");
  });

  it("retries a mail the API refuses, and delivers it once", async () => {
    const box = mailbox();
    const site = (await createSite()).id;
    const page = pageUrl();
    const { email, posted } = await subscribed(site, page, box);
    box.refuseNext(2);
    await reply(site, page, posted);
    expect(box.to(email)).toHaveLength(1);
    const [waiting] = await rows(
      "SELECT status, attempts, last_error FROM outbox WHERE recipient = ? AND kind = 'notify'",
      email,
    );
    expect(waiting).toMatchObject({ status: "queued", attempts: 1 });
    expect(String(waiting?.last_error)).toContain("503");

    moveClock(1 * MINUTE + 1000);
    await runCron();
    expect(box.to(email)).toHaveLength(1);
    moveClock(5 * MINUTE + 1000);
    await runCron();
    expect(box.to(email)).toHaveLength(2);
    moveClock(60 * MINUTE);
    await runCron();
    expect(box.to(email)).toHaveLength(2);
  });

  it("gives a mail up after its last try, and keeps it for the operator", async () => {
    const box = mailbox();
    const site = (await createSite()).id;
    const page = pageUrl();
    const { email, posted } = await subscribed(site, page, box);
    box.refuseNext(100);
    await reply(site, page, posted);
    for (let i = 0; i < 8; i++) {
      moveClock(13 * 60 * MINUTE);
      await runCron();
    }
    const [given] = await rows(
      "SELECT status, attempts FROM outbox WHERE recipient = ? AND kind = 'notify'",
      email,
    );
    expect(given).toEqual({ status: "failed", attempts: 7 });

    // The operator sees it, and sends it again.
    const listed = await json<{ mail: { id: string; recipient: string; lastError: string }[] }>(
      await call("GET", `/api/v1/sites/${site}/outbox`, undefined, ADMIN),
    );
    const failed = listed.mail.find((m) => m.recipient === email);
    expect(failed?.lastError).toContain("503");
    box.refuseNext(0);
    const retried = await call(
      "POST",
      `/api/v1/sites/${site}/outbox/${failed?.id}/retry`,
      undefined,
      ADMIN,
    );
    expect(retried.status).toBe(200);
    expect(box.to(email)).toHaveLength(2);
    const again = await call(
      "POST",
      `/api/v1/sites/${site}/outbox/${failed?.id}/retry`,
      undefined,
      ADMIN,
    );
    expect(again.status).toBe(409);
    const unknown = await call(
      "POST",
      `/api/v1/sites/${site}/outbox/m_nothing/retry`,
      undefined,
      ADMIN,
    );
    expect(unknown.status).toBe(404);
  });

  /**
   * A notification claimed `ago` ms ago and never settled, as if the Worker that claimed it had
   * died before it could say how the send went; the address has had its confirmation only.
   */
  async function stuckNotification(site: string, box: ReturnType<typeof mailbox>, ago: number) {
    const page = pageUrl();
    const { email, posted } = await subscribed(site, page, box);
    box.refuseNext(1);
    await reply(site, page, posted);
    await rows(
      "UPDATE outbox SET status = 'sending', sent_at = ?, not_before = '' WHERE recipient = ? AND kind = 'notify'",
      new Date(Date.now() - ago).toISOString(),
      email,
    );
    return email;
  }

  it("sends what a Worker that ended mid-send left claimed, once it has waited 10 minutes", async () => {
    const box = mailbox();
    const site = (await createSite()).id;
    const email = await stuckNotification(site, box, 0);
    await runCron();
    expect(box.to(email)).toHaveLength(1);
    moveClock(10 * MINUTE + 1000);
    await runCron();
    expect(box.to(email)).toHaveLength(2);
  });

  it("runs a delivery after a post only when the post left mail due", async () => {
    const box = mailbox();
    const site = (await createSite()).id;
    // Claimed long ago: any delivery run for the site would take it and send it.
    const email = await stuckNotification(site, box, 11 * MINUTE);
    await post(site, pageUrl(), { author: { name: "Cy" } });
    expect(box.to(email)).toHaveLength(1);
    // A post that queues mail (a confirmation) runs one, which takes the stuck mail too.
    await post(site, pageUrl(), { author: { name: "Cy", email: address() }, notify: "thread" });
    expect(box.to(email)).toHaveLength(2);
  });

  it("leaves mail queued for the Cron Trigger where the deployment sends none", async () => {
    const box = mailbox();
    const site = (await createSite()).id;
    const email = address();
    await withoutMail.post(site, pageUrl(), { author: { name: "Ana", email }, notify: "thread" });
    expect(box.to(email)).toEqual([]);
    expect(await rows("SELECT status FROM outbox WHERE recipient = ?", email)).toEqual([
      { status: "queued" },
    ]);
    // Once the deployment can send it, the minute's run does.
    await runCron();
    expect(box.to(email)).toHaveLength(1);
  });

  it("writes in the site's language", async () => {
    const box = mailbox();
    const site = (await createSite({ locale: "fr" })).id;
    const page = pageUrl();
    const email = address();
    await post(site, page, {
      author: { name: "Ana", email },
      notify: "replies",
      title: "Le budget",
    });
    expect(box.to(email)[0]?.subject).toBe(
      `Confirmez les e-mails sur les commentaires de Site ${site}`,
    );
    expect(box.to(email)[0]?.text).toContain("« Le budget »");
  });
});

describe("unsubscribing", () => {
  it("ends a thread's mail by one POST to the List-Unsubscribe link, and not by a GET", async () => {
    const box = mailbox();
    const site = (await createSite()).id;
    const page = pageUrl();
    const { email, posted } = await subscribed(site, page, box, "thread");
    await reply(site, page, posted);
    const link = box.to(email).at(-1)?.headers["List-Unsubscribe"]?.slice(1, -1) ?? "";
    const path = new URL(link).pathname + new URL(link).search;

    expect((await call("GET", path)).status).toBe(200);
    moveClock(6 * MINUTE);
    await reply(site, page, posted);
    expect(box.to(email)).toHaveLength(3);

    const oneClick = await call("POST", path, "List-Unsubscribe=One-Click", {
      "content-type": "application/x-www-form-urlencoded",
    });
    expect(oneClick.status).toBe(200);
    moveClock(6 * MINUTE);
    await reply(site, page, posted);
    await runCron();
    expect(box.to(email)).toHaveLength(3);
  });

  it("lists and ends every subscription of the address on the site", async () => {
    const box = mailbox();
    const site = (await createSite()).id;
    const first = pageUrl();
    const { email, posted } = await subscribed(site, first, box, "thread");
    const second = pageUrl();
    await post(site, second, {
      author: { name: "Ana", email },
      notify: "thread",
      title: "Second <b>page</b>",
    });
    await reply(site, first, posted);
    const manage = linkIn(box.to(email).at(-1), "/mail/subscriptions");

    const listed = await (await call("GET", manage)).text();
    expect(listed).toContain("Second &lt;b&gt;page&lt;/b&gt;");
    expect((await call("POST", manage)).status).toBe(200);
    expect(
      await rows(
        "SELECT s.id FROM subscriptions s JOIN mail_addresses a ON a.id = s.address_id WHERE a.email = ?",
        email,
      ),
    ).toEqual([]);
  });

  it("answers every bad link with the same page", async () => {
    mailbox();
    const site = (await createSite()).id;
    const page = pageUrl();
    const box = mailbox();
    const { email } = await subscribed(site, page, box);
    const confirm = linkIn(box.to(email)[0], "/mail/confirm");
    const token = new URL(`http://x${confirm}`).searchParams.get("token") ?? "";
    const [siteId, addressId, , sig] = token.split(".");
    const bad = [
      "/mail/confirm?token=nonsense",
      `/mail/confirm?token=${siteId}.${addressId}..${"0".repeat(32)}`,
      `/mail/unsubscribe?token=${token}`,
      `/mail/subscriptions?token=${token}`,
      `/mail/confirm?token=other-site.${addressId}..${sig}`,
      "/mail/moderate?token=x.y",
    ];
    const answers = await Promise.all(
      bad.map(async (path) => {
        const res = await call("GET", path);
        return { status: res.status, text: await res.text() };
      }),
    );
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect(answers[0]?.status).toBe(404);
  });
});

describe("erasure and export", () => {
  it("erasing an address ends its subscriptions and drops its queued mail", async () => {
    const box = mailbox();
    const { id: site, secret } = await createSite();
    const page = pageUrl();
    const { email, posted } = await subscribed(site, page, box, "thread");
    box.refuseNext(1);
    await reply(site, page, posted);
    expect(await rows("SELECT id FROM outbox WHERE recipient = ?", email)).not.toEqual([]);

    const erased = await call(
      "DELETE",
      `/api/v1/sites/${site}/moderation/authors?email=${encodeURIComponent(email)}`,
      undefined,
      { authorization: `Bearer ${secret}` },
    );
    expect(erased.status).toBe(200);
    expect(await rows("SELECT id FROM outbox WHERE recipient = ?", email)).toEqual([]);
    expect(await rows("SELECT id FROM mail_addresses WHERE email = ?", email)).toEqual([]);
    moveClock(10 * MINUTE);
    await runCron();
    expect(box.to(email)).toHaveLength(1);
  });

  it("answers an access request with the address's subscriptions and their consent", async () => {
    const box = mailbox();
    const { id: site, secret } = await createSite();
    const page = pageUrl();
    const { email, posted } = await subscribed(site, page, box);
    const res = await call(
      "GET",
      `/api/v1/sites/${site}/moderation/authors?email=${encodeURIComponent(email.toUpperCase())}`,
      undefined,
      { authorization: `Bearer ${secret}` },
    );
    const answer = await json<{ comments: { id: string }[]; subscriptions: unknown[] }>(res);
    expect(answer.comments.map((c) => c.id)).toEqual([posted.comment.id]);
    expect(answer.subscriptions).toEqual([
      {
        email,
        page,
        kind: "replies",
        commentId: posted.comment.id,
        consentWording: "notify-v1",
        subscribedAt: expect.any(String),
        confirmedAt: expect.any(String),
      },
    ]);
  });

  it("exports subscriptions with when and how consent was given", async () => {
    const box = mailbox();
    const site = (await createSite()).id;
    const page = pageUrl();
    const { email, posted } = await subscribed(site, page, box);
    const res = await call("GET", `/api/v1/sites/${site}/export`, undefined, ADMIN);
    const exported = await json<{ subscriptions: Record<string, unknown>[] }>(res);
    expect(exported.subscriptions).toEqual([
      {
        email,
        page,
        kind: "replies",
        commentId: posted.comment.id,
        consentWording: "notify-v1",
        consentVia: "comment form",
        subscribedAt: expect.any(String),
        confirmedAt: expect.any(String),
      },
    ]);
  });
});

describe("fan-out", () => {
  it("mails each of a thread's 1,000 subscribers once, in bounded batches", async () => {
    const box = mailbox();
    const site = (await createSite()).id;
    const page = pageUrl();
    const first = await post(site, page);
    const [thread] = await rows("SELECT thread_id FROM comments WHERE id = ?", first.comment.id);
    const at = new Date().toISOString();
    const subscribers = Array.from({ length: 1000 }, (_, i) => `fan-${i}-${site}@readers.example`);
    // Confirmed subscribers written straight to D1: 1,000 posts through the API would test the
    // rate limits, not the fan-out.
    await env.DB.batch(
      subscribers.flatMap((email, i) => [
        env.DB.prepare(
          "INSERT INTO mail_addresses (id, site_id, email, confirmed_at, created_at) VALUES (?, ?, ?, ?, ?)",
        ).bind(`e_fan${i}${site}`, site, email, at, at),
        env.DB.prepare(
          "INSERT INTO subscriptions (id, site_id, address_id, thread_id, kind, comment_id, consent_wording, created_at) VALUES (?, ?, ?, ?, 'thread', ?, 'notify-v1', ?)",
        ).bind(
          `s_fan${i}${site}`,
          site,
          `e_fan${i}${site}`,
          thread?.thread_id,
          first.comment.id,
          at,
        ),
      ]),
    );

    const res = await postRaw(site, page, { parentId: first.comment.id });
    expect(res.status).toBe(201);
    // The post itself queued all 1,000 in its own statement...
    const [queued] = await rows(
      "SELECT count(*) AS n FROM outbox WHERE site_id = ? AND kind = 'notify'",
      site,
    );
    expect(queued?.n).toBe(1000);
    // ...sent one batch after its response, and the Cron Trigger sends the rest.
    expect(box.all.filter((m) => m.to.startsWith("fan-"))).toHaveLength(50);
    await runCron();
    const delivered = box.all
      .filter((m) => m.to.endsWith(`-${site}@readers.example`))
      .map((m) => m.to);
    expect(delivered).toHaveLength(1000);
    expect(new Set(delivered).size).toBe(1000);
  });
});
