import type { Db } from "../../db/client";
import { type AuditRow, insertAudit, listAudit } from "../../db/moderation";
import type { SiteRow } from "../../db/sites";
import { newId } from "../../platform/ids";
import { nextIdCursor, splitPage } from "../../platform/paging";

/*
 * The audit trail: who (a moderator key's label, or "operator") did what to which comment,
 * page, block or key, and when.
 */

/** Who acts: a moderator key's label, or "operator". Recorded in the audit log. */
export interface Actor {
  label: string;
  now: Date;
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
  const split = splitPage(await listAudit(db, site.id, limit + 1, cursor), limit);
  return { entries: split.page.map(toAuditEntry), nextCursor: nextIdCursor(split) };
}
