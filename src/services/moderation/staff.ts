import type { Db } from "../../db/client";
import { getForModeration, type ModeratorCommentRow } from "../../db/moderation";
import type { KeyRow, SiteRow } from "../../db/sites";
import { insertStaffReply, setPinned } from "../../db/staff";
import { ApiError, notFound } from "../../errors";
import { sha256Hex } from "../../platform/crypto";
import { newId } from "../../platform/ids";
import { bodyHash, placement } from "../comments/posting";
import { newCommentEvent, sendWebhook } from "../outside/webhooks";
import { avatarSeed } from "../readers/authors";
import type { Outside } from "../request";
import { parseBody } from "../text/markdown";
import type { Actor } from "./audit";
import { toModeratorComment } from "./queue";

/*
 * Moderators in the conversation: a reply as staff, which readers see with a badge no reader's
 * name can fake, and a pinned comment, which the thread's first page shows first.
 */

/** Who writes as staff: the audit's actor, and the key (none for the operator). */
export interface Staff {
  actor: Actor;
  key?: KeyRow;
}

async function commentOf(db: Db, site: SiteRow, id: string): Promise<ModeratorCommentRow> {
  const comment = await getForModeration(db, site.id, id);
  if (!comment) throw notFound("comment");
  return comment;
}

const auditEntry = (site: SiteRow, actor: Actor, action: string, target: string) => ({
  id: newId("a", actor.now.getTime()),
  siteId: site.id,
  actor: actor.label,
  action,
  target,
  createdAt: actor.now.toISOString(),
});

/**
 * A staff reply: published at once (the spam defences and a reader's rate limits are for
 * readers), on a locked page too, under the name given, else the key's last one, else the site's.
 * Only a published comment takes one: a reply under a hidden comment would be hidden with it.
 */
export async function replyAsStaff(
  db: Db,
  site: SiteRow,
  parentId: string,
  input: { body: string; name?: string },
  staff: Staff,
  aftermath: Outside,
) {
  const parent = await commentOf(db, site, parentId);
  if (parent.status !== "published") {
    throw new ApiError(409, "conflict", "Only a published comment can be replied to.");
  }
  const name = input.name ?? staff.key?.displayName ?? site.name;
  const by = staff.key?.id ?? "operator";
  const id = newId("c", staff.actor.now.getTime());
  const reply = {
    id,
    siteId: site.id,
    threadId: parent.threadId,
    ...placement(site, parent, id),
    authorName: name,
    authorEmail: null,
    authorWebsite: null,
    // Not a reader's hash: nothing a reader types leads to it, and first-time moderation never asks.
    authorHash: await sha256Hex(`staff/${site.id}/${by}`),
    avatar: await avatarSeed(site, `staff/${by}`),
    ipHash: null,
    userAgent: null,
    bodySource: input.body,
    bodyJson: JSON.stringify(parseBody(input.body)),
    bodyHash: await bodyHash(input.body),
    status: "published" as const,
    spamReasons: null,
    createdAt: staff.actor.now.toISOString(),
    staffBy: by,
  };
  await insertStaffReply(
    db,
    reply,
    auditEntry(site, staff.actor, "staff-reply", id),
    staff.key && input.name ? { keyId: staff.key.id, displayName: input.name } : undefined,
  );
  sendWebhook(site, newCommentEvent(site, reply, parent.page), aftermath.waitUntil);
  // The reply notifies its parent's author and the page's subscribers, as a reader's does.
  aftermath.deliverMail?.(site.id);
  return toModeratorComment(await commentOf(db, site, id));
}

/**
 * Pins a published top-level comment to the top of its thread, in place of any other; or, with
 * `pinned` false, unpins it (a comment not pinned is left as it is).
 */
export async function pinComment(db: Db, site: SiteRow, id: string, pinned: boolean, actor: Actor) {
  const comment = await commentOf(db, site, id);
  if (pinned && (comment.depth !== 0 || comment.status !== "published")) {
    throw new ApiError(409, "conflict", "Only a published top-level comment can be pinned.");
  }
  if (pinned !== comment.pinned) {
    const audit = auditEntry(site, actor, pinned ? "pin" : "unpin", id);
    await setPinned(db, comment.threadId, pinned ? id : null, audit);
  }
  return toModeratorComment(await commentOf(db, site, id));
}
