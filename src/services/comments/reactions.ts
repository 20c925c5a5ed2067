import type { Db } from "../../db/client";
import { addFlag, setVote } from "../../db/comments";
import type { SiteRow } from "../../db/sites";
import type { FlagReason } from "../../shared/vocabulary";
import { readerAction, withinLimits } from "../readers/rate-limits";
import type { Outside, Requester } from "../request";
import { publishedComment } from "./visibility";

/** One vote per reader (ip network) per comment, within the reader's vote limits. */
export async function vote(db: Db, site: SiteRow, id: string, value: number, who: Requester) {
  await publishedComment(db, site, id);
  const action = readerAction(site, "vote", who.ipHash, who.now);
  const score = await withinLimits("vote", setVote(db, action, id, value));
  return { score, value };
}

/** A reader reports a comment; enough distinct reports hold it for a moderator. */
export async function flagComment(
  db: Db,
  site: SiteRow,
  id: string,
  report: { reason: FlagReason; note?: string },
  who: Requester,
  after: Pick<Outside, "deliverMail">,
): Promise<void> {
  await publishedComment(db, site, id);
  const action = readerAction(site, "flag", who.ipHash, who.now);
  await withinLimits(
    "flag",
    addFlag(
      db,
      action,
      { commentId: id, reason: report.reason, note: report.note ?? null },
      site.flagThreshold,
    ),
  );
  // Past the threshold the comment is held, and its moderators' alert is queued.
  after.deliverMail?.(site.id);
}
