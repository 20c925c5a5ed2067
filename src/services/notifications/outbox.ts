import type { Db } from "../../db/client";
import { getMail, listMail, type OutboxRow, requeueFailed } from "../../db/outbox";
import { ApiError, notFound } from "../../errors";
import type { Outside } from "../request";

/** The operator's view of a site's mail: failed mail to look at and send again. */

/** How many mails the list shows, newest first. */
export const OUTBOX_PAGE = 100;

/** A mail as the operator sees it: never its body, which holds readers' words and links. */
export function toMailView(row: OutboxRow) {
  return {
    id: row.id,
    kind: row.kind,
    recipient: row.recipient,
    status: row.status,
    attempts: row.attempts,
    lastError: row.lastError,
    notBefore: row.notBefore || null,
    createdAt: row.createdAt,
    sentAt: row.sentAt,
  };
}

export async function mailOf(db: Db, siteId: string, status: OutboxRow["status"]) {
  return (await listMail(db, siteId, status, OUTBOX_PAGE)).map(toMailView);
}

/** Sends a failed mail again, now; 404 for an unknown one, 409 for one that has not failed. */
export async function retryMail(db: Db, siteId: string, id: string, after: Outside) {
  const requeued = await requeueFailed(db, siteId, id);
  if (!requeued) {
    if (await getMail(db, siteId, id)) {
      throw new ApiError(409, "conflict", "Only failed mail can be sent again.");
    }
    throw notFound("mail");
  }
  after.deliverMail?.(siteId);
  return toMailView(requeued);
}
