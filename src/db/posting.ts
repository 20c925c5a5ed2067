import { and, eq, getTableColumns, gt, ne, or, type Placeholder, sql } from "drizzle-orm";
import type { BlockKind } from "../shared/vocabulary";
import type { Db } from "./client";
import type { CommentRow } from "./comments";
import { compiledBatch, rowsOf } from "./compiled";
import { countRecentActions } from "./reader-actions";
import { blocks, comments, sites, threads } from "./schema";
import type { SiteRow } from "./sites";
import type { ThreadRow } from "./threads";

/**
 * What a new comment is checked against, as far as the database knows it. A post names its page;
 * an edit the thread its comment is on, and the comment itself. The two are the two shapes of
 * SQL readPostingFacts keeps built.
 */
export type PostingQuery = PostingCommon &
  (
    | { pageKey: string }
    | {
        threadId: string;
        /** The comment being edited: not its own duplicate, nor what makes its author known. */
        editing: string;
      }
  );

interface PostingCommon {
  siteId: string;
  parentId?: string;
  authorHash: string;
  email?: string;
  ipHash: string;
  bodyHash: string;
  /** Posts and edits by this ip hash since then count towards the per-minute limit (capped at `minuteCap`). */
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
  /** The author (services/authors.ts authorHash) already has a published comment on the site. */
  knownAuthor: boolean;
  /** Block entries that may match: the author's email, the ip hash, and every phrase. */
  blocks: { kind: BlockKind; value: string }[];
  /**
   * The same body was posted on the site in the last 24 hours, where the poster can see it:
   * published, or their own (by ip hash or author). Held or spam comments of others are not
   * compared, or the answer would tell an outsider what hidden comments say.
   */
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
  const statements = ("editing" in q ? FACTS.edit : FACTS.post)(db, {
    ...q,
    parentId: q.parentId ?? "",
    email: q.email ?? "",
  });
  const [site, thread, parent, known, blocked, duplicate, minute, day] = (
    await db.$client.batch(statements)
  ).map((result) => result.results);
  return {
    site: rowsOf(getTableColumns(sites), site ?? [])[0],
    thread: rowsOf(getTableColumns(threads), thread ?? [])[0],
    parent: rowsOf(getTableColumns(comments), parent ?? [])[0],
    knownAuthor: (known?.length ?? 0) > 0,
    blocks: rowsOf(BLOCK_FIELDS, blocked ?? []),
    duplicate: (duplicate?.length ?? 0) > 0,
    postsLastMinute: countIn(minute),
    postsLastDay: countIn(day),
  };
}

const BLOCK_FIELDS = { kind: blocks.kind, value: blocks.value };

/** A `count(*)` row's count: the one column, whatever SQLite named it. */
const countIn = (results: unknown[] | undefined) =>
  Number(Object.values((results?.[0] ?? {}) as Record<string, unknown>)[0] ?? 0);

/**
 * The batch with a placeholder for every value, built once per isolate (db/compiled.ts): a post
 * names its page, an edit its thread and comment, and each is one shape of SQL. The builders
 * take placeholders wherever they take a value, which PostingQuery's types do not say.
 */
const placeheld = (shape: Record<string, Placeholder>) => {
  const p = sql.placeholder;
  const query = {
    siteId: p("siteId"),
    parentId: p("parentId"),
    authorHash: p("authorHash"),
    email: p("email"),
    ipHash: p("ipHash"),
    bodyHash: p("bodyHash"),
    minuteAgo: p("minuteAgo"),
    minuteCap: p("minuteCap"),
    dayAgo: p("dayAgo"),
    dayCap: p("dayCap"),
    ...shape,
  };
  return query as unknown as PostingQuery;
};
const FACTS = {
  post: compiledBatch((db) =>
    postingFactsQueries(db, placeheld({ pageKey: sql.placeholder("pageKey") })),
  ),
  edit: compiledBatch((db) =>
    postingFactsQueries(
      db,
      placeheld({ threadId: sql.placeholder("threadId"), editing: sql.placeholder("editing") }),
    ),
  ),
};

/** readPostingFacts's batch, unsent: also what the benchmark's floor Worker sends bare. */
export function postingFactsQueries(db: Db, q: PostingQuery) {
  const notEditing = "editing" in q ? ne(comments.id, q.editing) : undefined;
  const recent = (since: string, cap: number) =>
    countRecentActions(db, { siteId: q.siteId, reader: q.ipHash, kind: "comment", since, cap });
  return [
    db.select().from(sites).where(eq(sites.id, q.siteId)),
    db
      .select()
      .from(threads)
      .where(
        and(
          eq(threads.siteId, q.siteId),
          "threadId" in q ? eq(threads.id, q.threadId) : eq(threads.pageKey, q.pageKey),
        ),
      ),
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
          notEditing,
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
          or(
            eq(comments.status, "published"),
            eq(comments.ipHash, q.ipHash),
            eq(comments.authorHash, q.authorHash),
          ),
          notEditing,
        ),
      )
      .limit(1),
    recent(q.minuteAgo, q.minuteCap),
    recent(q.dayAgo, q.dayCap),
  ] as const;
}
