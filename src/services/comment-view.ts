import type { PublicCommentRow } from "../db/comments";
import type { Body } from "../shared/body";

export type PublicComment = {
  id: string;
  parentId: string | null;
  depth: number;
  author: { name: string; website: string | null; avatar: string } | null;
  body: Body | null;
  createdAt: string;
  editedAt: string | null;
  status: "published" | "deleted" | "pending";
  replyCount: number;
  score: number;
  moreReplies: string | null;
};

/**
 * The one function that turns a stored comment into its public shape. Only the columns in
 * `publicColumns` ever reach it, and a deleted comment keeps neither author nor body.
 */
export function toPublicComment(
  row: PublicCommentRow,
  moreReplies: string | null = null,
): PublicComment {
  const placeholder = row.status === "deleted";
  return {
    id: row.id,
    parentId: row.parentId,
    depth: row.depth,
    author: placeholder
      ? null
      : { name: row.authorName, website: row.authorWebsite, avatar: row.authorHash },
    body: placeholder ? null : (JSON.parse(row.bodyJson) as Body),
    createdAt: row.createdAt,
    editedAt: row.editedAt,
    // Only visible rows and an author's own comment get here; a honeypot catch is shown to its
    // bot as published on purpose, so the bot cannot tell it was caught.
    status: placeholder ? "deleted" : row.status === "pending" ? "pending" : "published",
    replyCount: row.replyCount,
    score: row.score,
    moreReplies,
  };
}
