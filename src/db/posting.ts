import { and, count, eq, gt, or } from "drizzle-orm";
import type { Db } from "./client";
import type { CommentRow } from "./comments";
import { type BlockKind, blocks, comments, sites, threads } from "./schema";
import type { SiteRow } from "./sites";
import type { ThreadRow } from "./threads";

/** What a new comment is checked against, as far as the database knows it. */
export interface PostingQuery {
  siteId: string;
  pageKey: string;
  parentId?: string;
  authorHash: string;
  email?: string;
  ipHash: string;
  bodyHash: string;
  /** Comments by this ip hash since then count towards the per-minute limit (capped at `minuteCap`). */
  minuteAgo: string;
  minuteCap: number;
  dayAgo: string;
  dayCap: number;
}

export interface PostingFacts {
  /** The site as it is now: its rules decide the comment (the caller may have an older copy). */
  site: SiteRow | undefined;
  thread: ThreadRow | undefined;
  parent: CommentRow | undefined;
  /** The author (by keyed email hash) already has a published comment on the site. */
  knownAuthor: boolean;
  /** Block entries that may match: the author's email, the ip hash, and every phrase. */
  blocks: { kind: BlockKind; value: string }[];
  /** The same body was posted on the site in the last 24 hours. */
  duplicate: boolean;
  postsLastMinute: number;
  postsLastDay: number;
}

/**
 * Everything posting needs to decide, the site's current rules included, read in ONE round trip
 * (a batch of indexed lookups), so a comment costs two D1 calls: this one and the write. Counts
 * are capped at the limit they feed, so a busy commenter costs no more rows than the limit itself.
 */
export async function readPostingFacts(db: Db, q: PostingQuery): Promise<PostingFacts> {
  const recent = (since: string, cap: number) =>
    db.select({ n: count() }).from(
      db
        .select({ id: comments.id })
        .from(comments)
        .where(
          and(
            eq(comments.siteId, q.siteId),
            eq(comments.ipHash, q.ipHash),
            gt(comments.createdAt, since),
          ),
        )
        .limit(cap)
        .as("recent"),
    );
  const [site, thread, parent, known, blocked, duplicate, minute, day] = await db.batch([
    db.select().from(sites).where(eq(sites.id, q.siteId)),
    db
      .select()
      .from(threads)
      .where(and(eq(threads.siteId, q.siteId), eq(threads.pageKey, q.pageKey))),
    db
      .select()
      .from(comments)
      .where(and(eq(comments.siteId, q.siteId), eq(comments.id, q.parentId ?? ""))),
    db
      .select({ id: comments.id })
      .from(comments)
      .where(
        and(
          eq(comments.siteId, q.siteId),
          eq(comments.authorHash, q.authorHash),
          eq(comments.status, "published"),
        ),
      )
      .limit(1),
    db
      .select({ kind: blocks.kind, value: blocks.value })
      .from(blocks)
      .where(
        and(
          eq(blocks.siteId, q.siteId),
          or(
            eq(blocks.kind, "phrase"),
            and(eq(blocks.kind, "email"), eq(blocks.value, q.email ?? "")),
            and(eq(blocks.kind, "ip"), eq(blocks.value, q.ipHash)),
          ),
        ),
      ),
    db
      .select({ id: comments.id })
      .from(comments)
      .where(
        and(
          eq(comments.siteId, q.siteId),
          eq(comments.bodyHash, q.bodyHash),
          gt(comments.createdAt, q.dayAgo),
        ),
      )
      .limit(1),
    recent(q.minuteAgo, q.minuteCap),
    recent(q.dayAgo, q.dayCap),
  ]);
  return {
    site: site[0],
    thread: thread[0],
    parent: parent[0],
    knownAuthor: known.length > 0,
    blocks: blocked,
    duplicate: duplicate.length > 0,
    postsLastMinute: minute[0]?.n ?? 0,
    postsLastDay: day[0]?.n ?? 0,
  };
}
