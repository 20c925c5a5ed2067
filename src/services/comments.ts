import type { Db } from "../db/client";
import {
  addFlag,
  type CommentRow,
  getComment,
  getPublicComments,
  hasApprovedComment,
  insertComment,
  type PublicCommentRow,
  setVote,
  updateComment,
} from "../db/comments";
import type { CommentStatus, FLAG_REASONS } from "../db/schema";
import type { SiteRow } from "../db/sites";
import { getThread, getThreadById } from "../db/threads";
import { ApiError, notFound } from "../errors";
import { type PublicComment, toPublicComment } from "./comment-view";
import { hmacHex, matchesHash, randomToken, sha256Hex } from "./crypto";
import { newId } from "./ids";
import { parseBody } from "./markdown";
import { pageKey } from "./page-key";
import { threadInfo } from "./thread";

export interface NewComment {
  page: string;
  title?: string;
  parentId?: string;
  author: { name: string; email?: string; website?: string };
  body: string;
  hp?: string;
}

/** Who is asking, as far as the server may know it. */
export interface Requester {
  ipHash: string;
  userAgent: string | null;
  now: Date;
}

const isVisible = (c: Pick<CommentRow, "status" | "replyCount">) =>
  c.status === "published" || (c.status === "deleted" && c.replyCount > 0);

/** The stable, keyed avatar seed: same author, same picture; unguessable from an email. */
function authorHash(site: SiteRow, author: NewComment["author"]): Promise<string> {
  const identity = author.email ? `e:${author.email.toLowerCase()}` : `n:${author.name}`;
  return hmacHex(site.authorSalt, identity).then((h) => h.slice(0, 16));
}

async function initialStatus(
  db: Db,
  site: SiteRow,
  input: NewComment,
  hash: string,
): Promise<CommentStatus> {
  // A filled honeypot is a bot: keep the comment as spam (nothing is discarded) but say nothing.
  if (input.hp) return "spam";
  if (site.moderation === "all") return "pending";
  if (site.moderation === "first-time") {
    // WordPress's rule: publish once the author has an approved comment. Without an email
    // there is nothing trustworthy to match on, so the comment waits.
    const known = input.author.email && (await hasApprovedComment(db, site.id, hash));
    return known ? "published" : "pending";
  }
  return "published";
}

/**
 * Where a reply goes: under its parent, or, when that would nest deeper than the site allows,
 * under the parent's ancestor at the deepest allowed level.
 */
function placement(site: SiteRow, parent: CommentRow | undefined, id: string) {
  if (!parent) return { parentId: null, rootId: id, depth: 0, path: id };
  const ancestors = parent.path.split("/");
  const depth = Math.min(parent.depth + 1, site.maxDepth);
  const attachTo = ancestors.slice(0, depth);
  return {
    parentId: attachTo.at(-1) ?? parent.id,
    rootId: parent.rootId,
    depth,
    path: [...attachTo, id].join("/"),
  };
}

async function findParent(db: Db, site: SiteRow, parentId: string, threadId: string | undefined) {
  const parent = await getComment(db, site.id, parentId);
  // A parent on another page is as unknown here as one that does not exist.
  if (!parent || parent.threadId !== threadId || !isVisible(parent)) throw notFound("parent");
  return parent;
}

export async function postComment(db: Db, site: SiteRow, input: NewComment, who: Requester) {
  const key = pageKey(input.page);
  const thread = await getThread(db, site.id, key);
  if (thread?.locked) throw new ApiError(423, "thread_locked", "This discussion is closed.");
  const parent = input.parentId
    ? await findParent(db, site, input.parentId, thread?.id)
    : undefined;

  const id = newId("c", who.now.getTime());
  const hash = await authorHash(site, input.author);
  const status = await initialStatus(db, site, input, hash);
  const editToken = randomToken();
  const createdAt = who.now.toISOString();
  const editableUntil = new Date(who.now.getTime() + site.editWindowSeconds * 1000).toISOString();
  const row = {
    id,
    siteId: site.id,
    ...placement(site, parent, id),
    authorName: input.author.name,
    authorEmail: input.author.email ?? null,
    authorWebsite: input.author.website ?? null,
    authorHash: hash,
    ipHash: who.ipHash,
    userAgent: who.userAgent,
    bodySource: input.body,
    bodyJson: JSON.stringify(parseBody(input.body)),
    status,
    spamReasons: status === "spam" ? ["honeypot"] : null,
    replyCount: 0,
    score: 0,
    editTokenHash: await sha256Hex(editToken),
    editableUntil,
    createdAt,
    editedAt: null,
  };
  await insertComment(
    db,
    {
      id: newId("t", who.now.getTime()),
      siteId: site.id,
      pageKey: key,
      title: input.title ?? key,
      createdAt,
    },
    row,
  );
  return { comment: toPublicComment(row), editToken, editableUntil, status };
}

/**
 * The comment an edit token opens: 401 without a token, 404 for an unknown or removed comment,
 * 403 for a wrong token or a closed edit window.
 */
async function authorise(db: Db, site: SiteRow, id: string, token: string | undefined, now: Date) {
  if (!token) throw new ApiError(401, "unauthorized", "An edit token is required.");
  const comment = await getComment(db, site.id, id);
  if (!comment || (comment.status !== "published" && comment.status !== "pending")) {
    throw notFound("comment");
  }
  if (!comment.editTokenHash || !(await matchesHash(token, comment.editTokenHash))) {
    throw new ApiError(403, "forbidden", "This edit token does not open this comment.");
  }
  if (!comment.editableUntil || Date.parse(comment.editableUntil) <= now.getTime()) {
    throw new ApiError(403, "edit_window_closed", "The time to edit this comment has passed.");
  }
  return comment;
}

export async function editComment(
  db: Db,
  site: SiteRow,
  id: string,
  token: string | undefined,
  body: string,
  now: Date,
): Promise<PublicComment> {
  await authorise(db, site, id, token, now);
  const updated = await updateComment(db, id, {
    bodySource: body,
    bodyJson: JSON.stringify(parseBody(body)),
    editedAt: now.toISOString(),
  });
  if (!updated) throw notFound("comment");
  return toPublicComment(updated);
}

/**
 * The author withdraws their comment: its words and personal data go; if replies remain below
 * it, it stays as a placeholder so the conversation still reads.
 */
export async function deleteOwnComment(
  db: Db,
  site: SiteRow,
  id: string,
  token: string | undefined,
  now: Date,
): Promise<void> {
  await authorise(db, site, id, token, now);
  await updateComment(db, id, {
    status: "deleted",
    bodySource: "",
    bodyJson: "[]",
    authorName: "",
    authorEmail: null,
    authorWebsite: null,
    ipHash: null,
    userAgent: null,
    editTokenHash: null,
    editableUntil: null,
  });
}

async function publishedComment(db: Db, site: SiteRow, id: string): Promise<CommentRow> {
  const comment = await getComment(db, site.id, id);
  if (comment?.status !== "published") throw notFound("comment");
  return comment;
}

export async function vote(db: Db, site: SiteRow, id: string, value: number, who: Requester) {
  await publishedComment(db, site, id);
  const score = await setVote(db, id, who.ipHash, value, who.now.toISOString());
  return { score, value };
}

/** A reader reports a comment; enough distinct reports hold it for a moderator. */
export async function flagComment(
  db: Db,
  site: SiteRow,
  id: string,
  report: { reason: (typeof FLAG_REASONS)[number]; note?: string },
  who: Requester,
): Promise<void> {
  await publishedComment(db, site, id);
  await addFlag(
    db,
    {
      commentId: id,
      reporterHash: who.ipHash,
      reason: report.reason,
      note: report.note ?? null,
      createdAt: who.now.toISOString(),
    },
    site.flagThreshold,
  );
}

/** A published comment with its ancestors, for a permalink the first page does not show. */
export async function permalink(db: Db, site: SiteRow, id: string) {
  const comment = await publishedComment(db, site, id);
  const [thread, chain] = await Promise.all([
    getThreadById(db, comment.threadId),
    getPublicComments(db, comment.path.split("/")),
  ]);
  if (!thread) throw notFound("comment");
  return {
    thread: threadInfo(thread, thread.pageKey),
    comments: chain.map((c: PublicCommentRow) => toPublicComment(c)),
  };
}

/** A published comment or placeholder whose replies can be listed. */
export async function visibleComment(db: Db, site: SiteRow, id: string): Promise<CommentRow> {
  const comment = await getComment(db, site.id, id);
  if (!comment || !isVisible(comment)) throw notFound("comment");
  return comment;
}
