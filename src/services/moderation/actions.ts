import type { Db } from "../../db/client";
import {
  type CommentFilter,
  changeStatus,
  getForModeration,
  type ModeratorCommentRow,
  type StatusChange,
} from "../../db/moderation";
import type { SiteRow } from "../../db/sites";
import { forgetAddress } from "../../db/subscriptions";
import { getThread } from "../../db/threads";
import { ApiError, notFound } from "../../errors";
import { newId } from "../../platform/ids";
import { pageKey } from "../comments/page-key";
import { akismetComment, akismetLearn } from "../outside/checks";
import { sendWebhook } from "../outside/webhooks";
import type { Outside } from "../request";
import type { Actor } from "./audit";
import { toModeratorComment } from "./queue";

/*
 * What moderators do to comments: one at a time, in bulk by filter, or every comment of an
 * email address (erasure). Each change is audited in the same batch, announced to the site's
 * webhook, and taught to Akismet where it says spam or not spam.
 */

function announce(site: SiteRow, actor: Actor, after: Outside, action: string, detail: object) {
  const summary = Object.entries(detail)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
  sendWebhook(
    site,
    { event: `moderation.${action}`, ...detail, text: `${actor.label}: ${action} (${summary})` },
    after.waitUntil,
  );
}

/** A moderator calling a comment spam, or not, is what Akismet learns from. */
function teachAkismet(
  site: SiteRow,
  after: Outside,
  verdict: "spam" | "ham",
  c: ModeratorCommentRow,
) {
  if (!after.akismetKey) return;
  // The IP is never stored (only its daily hash), so Akismet learns from the words and author.
  const comment = akismetComment(
    site,
    {
      page: c.page,
      name: c.authorName,
      email: c.authorEmail,
      website: c.authorWebsite,
      body: c.bodySource,
    },
    c.userAgent,
    "",
  );
  after.waitUntil(akismetLearn(after.akismetKey, verdict, comment));
}

export type ModerationAction = "delete" | "purge" | "spam" | "approve" | "restore";

/** What each action does to a comment's status, and from which statuses it may start. */
const ACTIONS: Record<ModerationAction, StatusChange> = {
  delete: { to: "deleted", from: ["published", "pending", "spam"] },
  purge: { to: "deleted", purge: true, from: ["published", "pending", "spam", "deleted"] },
  spam: { to: "spam", reasons: ["moderator"], from: ["published", "pending", "deleted"] },
  approve: { to: "published", reasons: null, approves: true, from: ["pending", "spam"] },
  restore: { to: "published", reasons: null, approves: true, from: ["deleted", "spam"] },
};

const auditFor = (actor: Actor, action: string, detail?: object) => ({
  actor: actor.label,
  action,
  idPrefix: newId("a", actor.now.getTime()).slice(0, 12),
  at: actor.now.toISOString(),
  detail,
});

/** One comment through one action; 404 for unknown ids, 409 when the action does not apply. */
export async function moderateComment(
  db: Db,
  site: SiteRow,
  id: string,
  action: ModerationAction,
  actor: Actor,
  aftermath: Outside,
) {
  const before = await getForModeration(db, site.id, id);
  if (!before) throw notFound("comment");
  const rule = ACTIONS[action];
  const purged =
    before.status === "deleted" && before.bodySource === "" && before.authorName === "";
  if (!rule.from.includes(before.status) || (action === "restore" && purged)) {
    throw new ApiError(409, "conflict", `A ${before.status} comment cannot be given "${action}".`);
  }
  await changeStatus(db, site.id, { ids: [id] }, rule, auditFor(actor, action));
  const after = await getForModeration(db, site.id, id);
  if (!after) throw notFound("comment");
  announce(site, actor, aftermath, action, { commentId: id, status: after.status });
  // Published now: the notifications it queued go out.
  if (after.status === "published") aftermath.deliverMail?.(site.id);
  if (action === "spam") teachAkismet(site, aftermath, "spam", before);
  else if (before.status === "spam" && after.status === "published") {
    teachAkismet(site, aftermath, "ham", before);
  }
  return toModeratorComment(after);
}

export type BulkAction = "delete" | "spam" | "approve";

export interface BulkFilter {
  ids?: string[];
  authorEmail?: string;
  ipHash?: string;
  page?: string;
  since?: string;
  q?: string;
}

/** Applies one action to every comment matching all the given filters, all or nothing. */
export async function bulkModerate(
  db: Db,
  site: SiteRow,
  action: BulkAction,
  filter: BulkFilter,
  actor: Actor,
  aftermath: Outside,
): Promise<number> {
  const thread = filter.page ? await getThread(db, site.id, pageKey(filter.page)) : undefined;
  if (filter.page && !thread) return 0;
  const covered: CommentFilter = {
    ids: filter.ids,
    authorEmail: filter.authorEmail?.toLowerCase(),
    ipHash: filter.ipHash,
    threadId: thread?.id,
    // Stored times are UTC with milliseconds; an instant given any other way is compared as one.
    since: filter.since ? new Date(filter.since).toISOString() : undefined,
    text: filter.q,
  };
  const affected = await changeStatus(
    db,
    site.id,
    covered,
    ACTIONS[action],
    auditFor(actor, `bulk-${action}`, filter),
  );
  announce(site, actor, aftermath, `bulk-${action}`, { affected });
  if (action === "approve" && affected > 0) aftermath.deliverMail?.(site.id);
  return affected;
}

/**
 * Erasure on request (GDPR): every comment the email address wrote on the site loses its words
 * and personal data, as a purge does (a placeholder stays where replies hang below it), in one
 * batch; then the address's subscriptions and the mail to it go too. The audit entry names no
 * address: that would keep what was just erased.
 */
export async function eraseAuthor(
  db: Db,
  site: SiteRow,
  email: string,
  actor: Actor,
  aftermath: Outside,
): Promise<number> {
  const affected = await changeStatus(
    db,
    site.id,
    { authorEmail: email.toLowerCase() },
    ACTIONS.purge,
    auditFor(actor, "erase-author"),
  );
  await forgetAddress(db, site.id, email.toLowerCase());
  announce(site, actor, aftermath, "erase-author", { affected });
  return affected;
}
