import type { Db } from "../../db/client";
import {
  flagsOf,
  getForModeration,
  listForModeration,
  listSubtreeForModeration,
} from "../../db/moderation";
import type { SiteRow } from "../../db/sites";
import { notFound } from "../../errors";
import { toModeratorComment } from "./queue";

/* One comment as a moderator weighs it: the conversation around it, and who wrote it. */

/** Replies shown below the comment, and other comments by its author: each read bounded. */
export const CONTEXT_REPLIES = 50;
export const CONTEXT_BY_AUTHOR = 20;

/**
 * The comment with its readers' flags, its parent, its replies at any depth and in any status
 * (the first CONTEXT_REPLIES in display order), and its author's newest other comments on the
 * site: by email when the author gave one, else by their author hash (an erased comment has
 * neither, so none).
 */
export async function commentInContext(db: Db, site: SiteRow, id: string) {
  const row = await getForModeration(db, site.id, id);
  if (!row) throw notFound("comment");
  const author = row.authorEmail
    ? { authorEmail: row.authorEmail }
    : row.authorHash
      ? { authorHash: row.authorHash }
      : undefined;
  const [flags, parent, replies, byAuthor] = await Promise.all([
    flagsOf(db, [row.id]),
    row.parentId ? getForModeration(db, site.id, row.parentId) : undefined,
    listSubtreeForModeration(db, site.id, row, CONTEXT_REPLIES),
    author ? listForModeration(db, site.id, author, CONTEXT_BY_AUTHOR + 1) : [],
  ]);
  return {
    comment: {
      ...toModeratorComment(row),
      flags: flags.map(({ commentId: _, ...flag }) => flag),
    },
    parent: parent && toModeratorComment(parent),
    replies: replies.map(toModeratorComment),
    byAuthor: byAuthor
      .filter((other) => other.id !== row.id)
      .slice(0, CONTEXT_BY_AUTHOR)
      .map(toModeratorComment),
  };
}
