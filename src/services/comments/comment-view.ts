import type { PublicCommentRow } from "../../db/comments";
import type { Body } from "../../shared/body";
import type { PublicComment } from "../../shared/vocabulary";

function shape(
  row: PublicCommentRow,
  status: PublicComment["status"],
  moreReplies: string | null,
): PublicComment {
  const placeholder = status === "deleted";
  const comment: PublicComment = {
    id: row.id,
    parentId: row.parentId,
    depth: row.depth,
    author: placeholder
      ? null
      : { name: row.authorName, website: row.authorWebsite, avatar: row.avatar },
    body: placeholder ? null : (JSON.parse(row.bodyJson) as Body),
    createdAt: row.createdAt,
    editedAt: row.editedAt,
    status,
    replyCount: row.replyCount,
    score: row.score,
    moreReplies,
  };
  // Only when true, so a reader's comment costs no extra bytes in every view.
  if (row.staffBy !== null && !placeholder) comment.staff = true;
  return comment;
}

/**
 * The one function that turns a stored comment into what the public may see of it. Only the
 * columns in `publicColumns` ever reach it. A published comment shows; anything else (deleted,
 * held, spam) is at most a placeholder with neither author nor body, whichever query brought it:
 * the thread's own queries read only published comments and placeholders, and a permalink's
 * ancestors may be anything.
 */
export function toPublicComment(
  row: PublicCommentRow,
  moreReplies: string | null = null,
): PublicComment {
  return shape(row, row.status === "published" ? "published" : "deleted", moreReplies);
}

/**
 * A comment as its author sees it in the answer to their post or edit: published, or held
 * (`pending`). A comment the defences kept as spam reads as held to its author, and as
 * published to a bot that filled the honeypot, so neither learns which rule caught it.
 */
export function toOwnComment(row: PublicCommentRow, shown: "published" | "pending"): PublicComment {
  return shape(row, shown, null);
}
