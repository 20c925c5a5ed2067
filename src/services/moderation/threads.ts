import type { Db } from "../../db/client";
import { setThreadLock } from "../../db/moderation";
import type { SiteRow } from "../../db/sites";
import { threadsByActivity } from "../../db/threads";
import { notFound } from "../../errors";
import { newId } from "../../platform/ids";
import { splitPage } from "../../platform/paging";
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

/** A page of the list by activity: "<last comment's time>~<thread id>" of the last one shown. */
const CURSOR = /^(\d{4}-\d\d-\d\dT[\d:.]+Z)~(t_[0-9a-z]{26})$/;

/**
 * The site's commented pages, the most recently commented first, with their counts and whether
 * they are locked: `limit` of them, and the cursor of the next ones.
 */
export async function pagesByActivity(db: Db, site: SiteRow, limit: number, cursor?: string) {
  const [, lastCommentAt, id] = cursor?.match(CURSOR) ?? [];
  const after = lastCommentAt && id ? { lastCommentAt, id } : undefined;
  const split = splitPage(await threadsByActivity(db, site.id, limit + 1, after), limit);
  const last = split.page.at(-1);
  return {
    pages: split.page.map((thread) => ({
      page: thread.pageKey,
      title: thread.title,
      count: thread.count,
      locked: thread.locked,
      lastCommentAt: thread.lastCommentAt ?? "",
    })),
    nextCursor: split.more && last ? `${last.lastCommentAt}~${last.id}` : null,
  };
}
