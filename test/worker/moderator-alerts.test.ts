import { afterEach, describe, expect, it, vi } from "vitest";
import { moveClock } from "./clock";
import { call, createSite, json, pageUrl, post, rows } from "./helpers";
import { address, linkIn, mailbox } from "./mailbox";

/*
 * Moderator alerts (issue 14, "Moderators"): a held comment mails the site's moderator
 * addresses with its text, author and reasons, and one-time approve / spam / delete links whose
 * page acts only by its button, for 7 days; the action is audited like any other.
 */

afterEach(() => {
  vi.restoreAllMocks();
});

const DAY = 24 * 3600 * 1000;

async function alertedSite(settings: Record<string, unknown> = {}) {
  const moderator = address("moderator");
  const site = await createSite({ moderation: "all", moderatorEmails: [moderator], ...settings });
  return { ...site, moderator, auth: { authorization: `Bearer ${site.secret}` } };
}

const statusOf = async (id: string) =>
  (await rows("SELECT status FROM comments WHERE id = ?", id))[0]?.status;

describe("moderator alerts", () => {
  it("mails a held comment with its author, text and one-time links; only the POST acts", async () => {
    const box = mailbox();
    const { id: site, moderator, auth } = await alertedSite();
    const email = address("author");
    const held = await post(site, pageUrl(), {
      author: { name: "Cleo", email },
      body: "Is this **held**?",
    });

    const [alert, ...more] = box.to(moderator);
    expect(more).toEqual([]);
    expect(alert?.subject).toContain("Held for moderation");
    expect(alert?.text).toContain("Cleo");
    expect(alert?.text).toContain(email);
    expect(alert?.text).toContain("Is this held?");
    const approve = linkIn(alert, "/mail/moderate");

    const page = await call("GET", approve);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Is this held?");
    expect(await statusOf(held.comment.id)).toBe("pending");

    expect((await call("POST", approve)).status).toBe(200);
    expect(await statusOf(held.comment.id)).toBe("published");
    const audit = await json<{ entries: { actor: string; action: string; target: string }[] }>(
      await call("GET", `/api/v1/sites/${site}/moderation/audit`, undefined, auth),
    );
    expect(audit.entries[0]).toMatchObject({
      actor: `mail: ${moderator}`,
      action: "approve",
      target: held.comment.id,
    });
    // Once only.
    expect((await call("POST", approve)).status).toBe(404);
    expect((await call("GET", approve)).status).toBe(404);
  });

  it("marks spam and deletes by the other links", async () => {
    const box = mailbox();
    const { id: site, moderator } = await alertedSite();
    const first = await post(site, pageUrl());
    const second = await post(site, pageUrl());
    const [toSpam, toDelete] = box.to(moderator);
    const links = (text: string) =>
      [...text.matchAll(/https?:\/\/\S+\/mail\/moderate\?token=\S+/g)].map((m) => {
        const url = new URL(m[0]);
        return `${url.pathname}${url.search}`;
      });
    const [, spam] = links(toSpam?.text ?? "");
    const [, , remove] = links(toDelete?.text ?? "");
    await call("POST", spam ?? "");
    await call("POST", remove ?? "");
    const statuses = await rows(
      "SELECT id, status FROM comments WHERE id IN (?, ?) ORDER BY id",
      first.comment.id,
      second.comment.id,
    );
    expect(statuses.map((r) => r.status)).toEqual(["spam", "deleted"]);
  });

  it("refuses a link after 7 days", async () => {
    const box = mailbox();
    const { id: site, moderator } = await alertedSite();
    await post(site, pageUrl());
    const approve = linkIn(box.to(moderator)[0], "/mail/moderate");
    moveClock(7 * DAY + 1000);
    expect((await call("GET", approve)).status).toBe(404);
    expect((await call("POST", approve)).status).toBe(404);
  });

  it("follows the site's alerts setting: none, pending, or all", async () => {
    const box = mailbox();
    const quiet = await alertedSite({ alerts: "none" });
    await post(quiet.id, pageUrl());
    expect(box.to(quiet.moderator)).toEqual([]);

    const everything = await alertedSite({ alerts: "all", moderation: "none" });
    await post(everything.id, pageUrl(), { body: "Published at once." });
    const [alert] = box.to(everything.moderator);
    expect(alert?.subject).toContain("New comment");
    // A published comment can be marked spam or deleted, not approved.
    expect(alert?.text).not.toContain("Approve:");
    expect(alert?.text).toContain("Mark as spam:");

    const pendingOnly = await alertedSite({ moderation: "none" });
    await post(pendingOnly.id, pageUrl());
    expect(box.to(pendingOnly.moderator)).toEqual([]);
  });

  it("mails a comment held by readers' flags past the threshold", async () => {
    const box = mailbox();
    const { id: site, moderator } = await alertedSite({ moderation: "none", flagThreshold: 1 });
    const posted = await post(site, pageUrl(), { body: "Flag me." });
    expect(box.to(moderator)).toEqual([]);
    const flagged = await call("POST", `/api/v1/sites/${site}/comments/${posted.comment.id}/flag`, {
      reason: "abuse",
    });
    expect(flagged.status).toBe(202);
    const [alert] = box.to(moderator);
    expect(alert?.text).toContain("Flag me.");
    expect(alert?.text).toContain("flagged");
  });

  it("mails nothing about a comment kept as spam", async () => {
    const box = mailbox();
    const { id: site, moderator } = await alertedSite();
    await post(site, pageUrl(), { hp: "bot" });
    expect(box.to(moderator)).toEqual([]);
  });
});
