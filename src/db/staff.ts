import { eq } from "drizzle-orm";
import type { Db } from "./client";
import type { NewCommentRow } from "./comments";
import type { NewAuditRow } from "./moderation";
import { auditLog, comments, moderatorKeys, threads } from "./schema";

/*
 * What moderators write into a thread themselves: a staff reply, and the pin. Each is one batch
 * with its audit entry, so nothing is done that the audit log does not show.
 */

/**
 * Stores a staff reply with its audit entry and, for a key, the name it replied under, which the
 * key's next reply offers again.
 */
export async function insertStaffReply(
  db: Db,
  reply: NewCommentRow,
  audit: NewAuditRow,
  keyName?: { keyId: string; displayName: string },
): Promise<void> {
  await db.batch([
    db.insert(comments).values(reply),
    db.insert(auditLog).values(audit),
    ...(keyName
      ? [
          db
            .update(moderatorKeys)
            .set({ displayName: keyName.displayName })
            .where(eq(moderatorKeys.id, keyName.keyId)),
        ]
      : []),
  ]);
}

/** Pins a comment to its thread (null: unpins), with the audit entry. */
export async function setPinned(
  db: Db,
  threadId: string,
  commentId: string | null,
  audit: NewAuditRow,
): Promise<void> {
  await db.batch([
    db.update(threads).set({ pinnedId: commentId }).where(eq(threads.id, threadId)),
    db.insert(auditLog).values(audit),
  ]);
}
