import type { Db } from "../../db/client";
import { type CommentRow, getComment } from "../../db/comments";
import type { SiteRow } from "../../db/sites";
import { notFound } from "../../errors";

/*
 * Which comments readers may reach, and the lookups that refuse the rest: a comment is visible
 * when it is published, or removed but still holding published replies (then a placeholder);
 * the same predicate as the partial indexes' (db/schema.ts VISIBLE).
 */

export const isVisible = (c: Pick<CommentRow, "status" | "replyCount">) =>
  c.status === "published" || (c.status === "deleted" && c.replyCount > 0);

/** A published comment, or 404. */
export async function publishedComment(db: Db, site: SiteRow, id: string): Promise<CommentRow> {
  const comment = await getComment(db, site.id, id);
  if (comment?.status !== "published") throw notFound("comment");
  return comment;
}

/** A published comment or placeholder whose replies can be listed. */
export async function visibleComment(db: Db, site: SiteRow, id: string): Promise<CommentRow> {
  const comment = await getComment(db, site.id, id);
  if (!comment || !isVisible(comment)) throw notFound("comment");
  return comment;
}
