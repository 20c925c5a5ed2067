import type { Db } from "../../db/client";
import {
  type AuditRow,
  addBlock,
  type BlockRow,
  type CommentFilter,
  changeStatus,
  flagsOf,
  getForModeration,
  insertAudit,
  listAudit,
  listForModeration,
  type ModeratorCommentRow,
  removeBlock,
  type StatusChange,
  setThreadLock,
} from "../../db/moderation";
import type { SiteRow } from "../../db/sites";
import { getThread } from "../../db/threads";
import { ApiError, notFound } from "../../errors";
import { newId } from "../../platform/ids";
import type { Body } from "../../shared/body";
import type { BlockKind, CommentStatus } from "../../shared/vocabulary";
import { pageKey } from "../comments/page-key";
import { threadInfo } from "../comments/reading";
import { akismetComment, akismetLearn } from "../outside/checks";
import { sendWebhook } from "../outside/webhooks";
import { phraseKey } from "../text/blocklist";

/** Who acts: a moderator key's label, or "operator". Recorded in the audit log. */
export interface Actor {
  label: string;
  now: Date;
}

/** Who else hears of a moderator's decision: the site's webhook, and Akismet when configured. */
export interface Aftermath {
  akismetKey?: string;
  waitUntil: (work: Promise<unknown>) => void;
}

function announce(site: SiteRow, actor: Actor, after: Aftermath, action: string, detail: object) {
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
  after: Aftermath,
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

export function toModeratorComment(row: ModeratorCommentRow) {
  return {
    id: row.id,
    parentId: row.parentId,
    depth: row.depth,
    page: row.page,
    status: row.status,
    author: {
      name: row.authorName,
      email: row.authorEmail,
      website: row.authorWebsite,
      avatar: row.avatar,
    },
    ipHash: row.ipHash,
    userAgent: row.userAgent,
    spamReasons: row.spamReasons ?? [],
    flagCount: row.flagCount,
    body: JSON.parse(row.bodyJson) as Body,
    bodySource: row.bodySource,
    createdAt: row.createdAt,
    editedAt: row.editedAt,
    replyCount: row.replyCount,
    score: row.score,
  };
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
  aftermath: Aftermath,
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
  if (action === "spam") teachAkismet(site, aftermath, "spam", before);
  else if (before.status === "spam" && after.status === "published") {
    teachAkismet(site, aftermath, "ham", before);
  }
  return { before, after };
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
  aftermath: Aftermath,
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
  return affected;
}

/**
 * Erasure on request (GDPR): every comment the email address wrote on the site loses its words
 * and personal data, as a purge does (a placeholder stays where replies hang below it), in one
 * batch. The audit entry names no address: that would keep what was just erased.
 */
export async function eraseAuthor(
  db: Db,
  site: SiteRow,
  email: string,
  actor: Actor,
  aftermath: Aftermath,
): Promise<number> {
  const affected = await changeStatus(
    db,
    site.id,
    { authorEmail: email.toLowerCase() },
    ACTIONS.purge,
    auditFor(actor, "erase-author"),
  );
  announce(site, actor, aftermath, "erase-author", { affected });
  return affected;
}

export interface QueueQuery {
  status?: CommentStatus;
  page?: string;
  q?: string;
  email?: string;
  ipHash?: string;
  flagged?: boolean;
  cursor?: string;
  limit: number;
}

/** The moderation queue: newest first, with moderator-only fields and readers' flags. */
export async function moderationQueue(db: Db, site: SiteRow, query: QueueQuery) {
  const thread = query.page ? await getThread(db, site.id, pageKey(query.page)) : undefined;
  if (query.page && !thread) return { comments: [], nextCursor: null };
  const rows = await listForModeration(
    db,
    site.id,
    {
      status: query.status,
      threadId: thread?.id,
      text: query.q,
      authorEmail: query.email?.toLowerCase(),
      ipHash: query.ipHash,
      flagged: query.flagged,
    },
    query.limit + 1,
    query.cursor,
  );
  const page = rows.slice(0, query.limit);
  const flags = await flagsOf(
    db,
    page.filter((row) => row.flagCount > 0).map((row) => row.id),
  );
  const comments = page.map((row) => ({
    ...toModeratorComment(row),
    flags: flags.filter((f) => f.commentId === row.id).map(({ commentId: _, ...flag }) => flag),
  }));
  return { comments, nextCursor: rows.length > query.limit ? (page.at(-1)?.id ?? null) : null };
}

export async function lockThread(
  db: Db,
  site: SiteRow,
  page: string,
  locked: boolean,
  actor: Actor,
) {
  const key = pageKey(page);
  const at = actor.now.toISOString();
  const thread = await setThreadLock(
    db,
    {
      id: newId("t", actor.now.getTime()),
      siteId: site.id,
      pageKey: key,
      title: key,
      createdAt: at,
    },
    locked,
  );
  await recordAction(db, site, actor, locked ? "lock" : "unlock", key);
  if (!thread) throw notFound("site");
  return threadInfo(thread, key);
}

/**
 * How a block's value is stored: emails lower-cased, phrases folded like the text they match. A
 * phrase of nothing but invisible characters folds to nothing, and would match at every word
 * boundary: refused.
 */
export function normaliseBlockValue(kind: BlockKind, value: string): string {
  if (kind === "email") return value.trim().toLowerCase();
  if (kind !== "phrase") return value.trim();
  const key = phraseKey(value);
  if (key === "") {
    throw new ApiError(422, "validation_failed", "The request did not pass validation.", [
      { path: "value", message: "Must contain visible characters." },
    ]);
  }
  return key;
}

export async function blockValue(
  db: Db,
  site: SiteRow,
  kind: BlockKind,
  value: string,
  actor: Actor,
): Promise<BlockRow> {
  const block = await addBlock(db, {
    id: newId("b", actor.now.getTime()),
    siteId: site.id,
    kind,
    value: normaliseBlockValue(kind, value),
    createdAt: actor.now.toISOString(),
  });
  await recordAction(db, site, actor, "block", block.id, { kind });
  return block;
}

export async function unblock(db: Db, site: SiteRow, id: string, actor: Actor): Promise<void> {
  const removed = await removeBlock(db, site.id, id);
  if (!removed) throw new ApiError(404, "not_found", "No such block on this site.");
  await recordAction(db, site, actor, "unblock", id, { kind: removed.kind });
}

/** Audit entry for an action that does not change a comment's status. */
export async function recordAction(
  db: Db,
  site: Pick<SiteRow, "id">,
  actor: Actor,
  action: string,
  target: string,
  detail?: Record<string, unknown>,
): Promise<void> {
  await insertAudit(db, {
    id: newId("a", actor.now.getTime()),
    siteId: site.id,
    actor: actor.label,
    action,
    target,
    detail: detail ?? null,
    createdAt: actor.now.toISOString(),
  });
}

export function toAuditEntry(row: AuditRow) {
  return {
    id: row.id,
    actor: row.actor,
    action: row.action,
    target: row.target,
    before: row.beforeStatus,
    after: row.afterStatus,
    detail: row.detail,
    createdAt: row.createdAt,
  };
}

export async function auditTrail(db: Db, site: SiteRow, limit: number, cursor?: string) {
  const rows = await listAudit(db, site.id, limit + 1, cursor);
  const page = rows.slice(0, limit);
  return {
    entries: page.map(toAuditEntry),
    nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
  };
}
