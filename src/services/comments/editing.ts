import type { Db } from "../../db/client";
import { editComment as editStoredComment, getComment, updateComment } from "../../db/comments";
import { ERASED_PERSONAL_DATA } from "../../db/moderation";
import { readPostingFacts } from "../../db/posting";
import type { SiteRow } from "../../db/sites";
import { ApiError, notFound } from "../../errors";
import { matchesHash } from "../../platform/crypto";
import type { CommentStatus, PublicComment } from "../../shared/vocabulary";
import { editedCommentEvent, sendWebhook } from "../outside/webhooks";
import { enforceRateLimits, readerAction, withinLimits } from "../readers/rate-limits";
import type { PostingServices, Requester } from "../request";
import { parseBody } from "../text/markdown";
import { toOwnComment } from "./comment-view";
import { judgeWriting, threadLocked, windows } from "./judging";
import { bodyHash } from "./posting";

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

/** How far each status keeps a comment from readers: an edit never moves a comment closer. */
const HIDDEN: Record<CommentStatus, number> = { published: 0, pending: 1, spam: 2, deleted: 3 };

/**
 * The author edits their comment: the new words are judged as a new comment's would be (blocks,
 * links, duplicates, Akismet, the moderation mode: in `all`, and in `first-time` unless another
 * of the author's comments was approved, the edit is held), count against the reader's posting
 * limits, and are refused on a locked page. An edit can hold or hide a published comment, never
 * publish a held one: that stays a moderator's decision.
 */
export async function editComment(
  db: Db,
  site: SiteRow,
  id: string,
  token: string | undefined,
  text: string,
  who: Requester,
  services: PostingServices,
): Promise<PublicComment> {
  const comment = await authorise(db, site, id, token, who.now);
  const sameBody = await bodyHash(text);
  const facts = await readPostingFacts(db, {
    siteId: site.id,
    threadId: comment.threadId,
    authorHash: comment.authorHash,
    email: comment.authorEmail ?? undefined,
    ipHash: who.ipHash,
    bodyHash: sameBody,
    editing: comment.id,
    ...windows(site, who.now),
  });
  const current = facts.site ?? site;
  if (!facts.site || !facts.thread) throw notFound("comment");
  if (facts.thread.locked) throw threadLocked();
  await enforceRateLimits(current, who.ipHash, facts, services.limiter);

  const body = parseBody(text);
  const author = {
    name: comment.authorName,
    email: comment.authorEmail ?? undefined,
    website: comment.authorWebsite ?? undefined,
  };
  const writing = { page: facts.thread.pageKey, author, body: text };
  const verdict = await judgeWriting(current, facts, writing, body, undefined, services, who);
  // Held already: the reasons it was held for stay beside the new ones.
  const reasons = [
    ...new Set([
      ...(comment.status === "published" ? [] : (comment.spamReasons ?? [])),
      ...verdict.reasons,
    ]),
  ];
  const updated = await withinLimits(
    "comment",
    editStoredComment(db, readerAction(current, "comment", who.ipHash, who.now), id, {
      bodySource: text,
      bodyJson: JSON.stringify(body),
      bodyHash: sameBody,
      editedAt: who.now.toISOString(),
      ...(HIDDEN[verdict.status] >= HIDDEN[comment.status]
        ? { status: verdict.status, spamReasons: reasons.length > 0 ? reasons : null }
        : {}),
    }),
  );
  if (!updated) throw notFound("comment");
  sendWebhook(
    current,
    editedCommentEvent(current, updated, facts.thread.pageKey),
    services.waitUntil,
  );
  return toOwnComment(updated, updated.status === "published" ? "published" : "pending");
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
  await updateComment(db, id, { status: "deleted", ...ERASED_PERSONAL_DATA });
}
