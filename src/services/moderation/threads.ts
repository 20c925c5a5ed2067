import type { Db } from "../../db/client";
import { setThreadLock } from "../../db/moderation";
import type { SiteRow } from "../../db/sites";
import { notFound } from "../../errors";
import { newId } from "../../platform/ids";
import { pageKey } from "../comments/page-key";
import { threadInfo } from "../comments/reading";
import type { Actor } from "./audit";
import { recordAction } from "./audit";

/* Closing a page to new comments and edits, and opening it again. */

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
