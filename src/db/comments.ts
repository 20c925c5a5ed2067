import { and, asc, desc, eq, gt, lt, ne, or, type Placeholder, type SQL, sql } from "drizzle-orm";
import type { Sort } from "../shared/vocabulary";
import type { Db } from "./client";
import { compiled, compiledInsert, rowsOf, statementOf } from "./compiled";
import { mailDueStatement } from "./outbox";
import { type NewReaderAction, readerActionStatement, recordReaderAction } from "./reader-actions";
import { comments, flags, PUBLISHED, threads, VISIBLE, votes } from "./schema";
import { type NewSubscription, subscriptionStatements } from "./subscriptions";

export type CommentRow = typeof comments.$inferSelect;
export type NewCommentRow = typeof comments.$inferInsert;
export type NewThreadRow = typeof threads.$inferInsert;

/** The columns the public views need; private ones (email, ip hash, tokens) are never read. */
export const publicColumns = {
  id: comments.id,
  parentId: comments.parentId,
  depth: comments.depth,
  path: comments.path,
  authorName: comments.authorName,
  authorWebsite: comments.authorWebsite,
  avatar: comments.avatar,
  bodyJson: comments.bodyJson,
  createdAt: comments.createdAt,
  editedAt: comments.editedAt,
  status: comments.status,
  replyCount: comments.replyCount,
  score: comments.score,
  staffBy: comments.staffBy,
};
export type PublicCommentRow = {
  [K in keyof typeof publicColumns]: CommentRow[K];
};

/** Where the previous page ended: the last root's id, and its score for `top`. */
export type RootPosition = { id: string; score?: number };

const TOP_LEVEL = sql`depth = 0`;

function afterPosition(sort: Sort, after: RootPosition): SQL | undefined {
  if (sort === "oldest") return gt(comments.id, after.id);
  if (sort === "newest") return lt(comments.id, after.id);
  const score = after.score ?? 0;
  return or(lt(comments.score, score), and(eq(comments.score, score), gt(comments.id, after.id)));
}

const ROOT_ORDER = {
  oldest: [asc(comments.id)],
  newest: [desc(comments.id)],
  top: [desc(comments.score), asc(comments.id)],
} satisfies Record<Sort, SQL[]>;

/**
 * One page of visible top-level comments, but `pinned` (the thread's pinned comment, which the
 * first page shows apart: at most one row more is read). The predicates repeat the partial
 * indexes' (`depth = 0` and VISIBLE) literally so SQLite reads only the rows it returns.
 * The query itself, for listRoots and for the benchmark's floor Worker, which runs its SQL bare
 * (with placeholders for the thread and the limit).
 */
export function rootsQuery(
  db: Db,
  threadId: string | Placeholder,
  sort: Sort,
  limit: number | Placeholder,
  after?: RootPosition,
  pinned?: string | null,
) {
  return db
    .select(publicColumns)
    .from(comments)
    .where(
      and(
        eq(comments.threadId, threadId),
        TOP_LEVEL,
        VISIBLE,
        after ? afterPosition(sort, after) : undefined,
        pinned ? ne(comments.id, pinned) : undefined,
      ),
    )
    .orderBy(...ROOT_ORDER[sort])
    .limit(limit);
}

export async function listRoots(
  db: Db,
  threadId: string,
  sort: Sort,
  limit: number,
  after?: RootPosition,
  pinned?: string | null,
): Promise<PublicCommentRow[]> {
  return rootsQuery(db, threadId, sort, limit, after, pinned).all();
}

/** A thread's top-level comment by id, if a reader may see it (the pinned one). */
export async function getVisibleRoot(
  db: Db,
  threadId: string,
  id: string,
): Promise<PublicCommentRow | undefined> {
  return db
    .select(publicColumns)
    .from(comments)
    .where(and(eq(comments.id, id), eq(comments.threadId, threadId), TOP_LEVEL, VISIBLE))
    .get();
}

/** The path bound just past every descendant of `path` ("/" sorts right before "0"). */
export const subtreeEnd = (path: string) => `${path}0`;

/** Visible replies below a root, in display order, between two paths (exclusive). */
export function subtreeQuery(
  db: Db,
  rootId: string | Placeholder,
  afterPath: string | Placeholder,
  endPath: string | Placeholder,
  limit: number | Placeholder,
) {
  return db
    .select(publicColumns)
    .from(comments)
    .where(
      and(
        eq(comments.rootId, rootId),
        VISIBLE,
        gt(comments.path, afterPath),
        lt(comments.path, endPath),
      ),
    )
    .orderBy(asc(comments.path))
    .limit(limit);
}

/** Visible replies below `subtree` in display order, starting after `afterPath`. */
export async function listReplies(
  db: Db,
  subtree: { rootId: string; path: string },
  afterPath: string,
  limit: number,
): Promise<PublicCommentRow[]> {
  return subtreeQuery(db, subtree.rootId, afterPath, subtreeEnd(subtree.path), limit).all();
}

/** subtreeQuery with placeholders, built once (db/compiled.ts): a view runs it once per root. */
const subtreeStatement = compiled((db) => {
  const p = sql.placeholder;
  return subtreeQuery(db, p("root"), p("after"), p("end"), p("limit"));
});

/**
 * The first replies of several top-level comments in one round trip: one bounded query each,
 * `limit` rows for each root, or fewer where `limit` says so. A root with limit 0 costs nothing.
 */
export async function listFirstReplies(
  db: Db,
  roots: { id: string; path: string; limit: number }[],
): Promise<PublicCommentRow[][]> {
  const asked = roots.filter((r) => r.limit > 0);
  if (asked.length === 0) return roots.map(() => []);
  const found = await db.$client.batch(
    asked.map((r) =>
      subtreeStatement(db, { root: r.id, after: r.path, end: subtreeEnd(r.path), limit: r.limit }),
    ),
  );
  const rows = found.map((result) => rowsOf(publicColumns, result.results));
  return roots.map((r) => (r.limit > 0 ? (rows[asked.indexOf(r)] ?? []) : []));
}

/**
 * A page's newest published comments, newest first: the top of the thread's published-comments
 * index, whose predicate is repeated literally so SQLite reads only the rows it returns.
 */
export async function listLatestOfThread(
  db: Db,
  threadId: string,
  limit: number,
): Promise<PublicCommentRow[]> {
  return db
    .select(publicColumns)
    .from(comments)
    .where(and(eq(comments.threadId, threadId), PUBLISHED))
    .orderBy(desc(comments.id))
    .limit(limit)
    .all();
}

export type PagedCommentRow = PublicCommentRow & { pageKey: string; title: string };

/**
 * A site's newest published comments across its pages, newest first, each with its page and
 * the page's title: the top of the (site, status, id) index, and one thread row per comment.
 * With fewer than `limit` of them, the scan reads one index entry past the last to learn so.
 */
export async function listLatestOfSite(
  db: Db,
  siteId: string,
  limit: number,
): Promise<PagedCommentRow[]> {
  return db
    .select({ ...publicColumns, pageKey: threads.pageKey, title: threads.title })
    .from(comments)
    .innerJoin(threads, eq(threads.id, comments.threadId))
    .where(and(eq(comments.siteId, siteId), eq(comments.status, "published")))
    .orderBy(desc(comments.id))
    .limit(limit)
    .all();
}

export async function getComment(
  db: Db,
  siteId: string,
  id: string,
): Promise<CommentRow | undefined> {
  return db
    .select()
    .from(comments)
    .where(and(eq(comments.id, id), eq(comments.siteId, siteId)))
    .get();
}

/** The public rows of the given ids (a permalink's ancestors), in path order. */
export async function getPublicComments(db: Db, ids: string[]): Promise<PublicCommentRow[]> {
  return db
    .select(publicColumns)
    .from(comments)
    .where(sql`${comments.id} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`)
    .orderBy(asc(comments.path))
    .all();
}

/**
 * Stores a comment, creating its thread first when this is the page's first comment. One batch,
 * so it is all or nothing: it starts with the reader's action, whose limit trigger refuses the
 * whole batch past the limits. The comment finds its thread by page, so a thread created
 * meanwhile by a concurrent first comment is simply reused. Asked to, it also says whether the
 * site has mail due once the comment is stored (its triggers may have queued some).
 */
export async function insertComment(
  db: Db,
  action: NewReaderAction,
  thread: NewThreadRow,
  comment: Omit<NewCommentRow, "threadId">,
  subscription: NewSubscription | undefined,
  { askMailDue }: { askMailDue: boolean },
): Promise<{ mailDue: boolean }> {
  const statements = insertCommentStatements(db, action, thread, comment, subscription);
  // Last, after the triggers that may queue mail have run.
  if (askMailDue) {
    statements.push(mailDueStatement(db, { site: comment.siteId, now: comment.createdAt }));
  }
  const results = await db.$client.batch(statements);
  return { mailDue: askMailDue && (results.at(-1)?.results.length ?? 0) > 0 };
}

const insertThread = compiledInsert(threads, { ignoreConflicts: true });
/** The comment finds its thread by page: the one just made, or one made meanwhile. */
const insertCommentOnPage = compiledInsert(comments, {
  computed: {
    threadId: sql`(SELECT ${threads.id} FROM ${threads} WHERE ${threads.siteId} = ${sql.placeholder("threadSite")} AND ${threads.pageKey} = ${sql.placeholder("threadPage")})`,
  },
});

/** insertComment's batch, unsent: also what the benchmark's floor Worker sends bare. */
export function insertCommentStatements(
  db: Db,
  action: NewReaderAction,
  thread: NewThreadRow,
  comment: Omit<NewCommentRow, "threadId">,
  subscription?: NewSubscription,
): D1PreparedStatement[] {
  return [
    readerActionStatement(db, action),
    insertThread(db, thread),
    insertCommentOnPage(db, comment, { threadSite: thread.siteId, threadPage: thread.pageKey }),
    ...(subscription
      ? subscriptionStatements(db, subscription).map((q) => statementOf(db, q))
      : []),
  ];
}

/** An author's edit: the reader's action (limits) and the new state of the comment, one batch. */
export async function editComment(
  db: Db,
  action: NewReaderAction,
  id: string,
  patch: Partial<NewCommentRow>,
): Promise<CommentRow | undefined> {
  const [, updated] = await db.batch([
    recordReaderAction(db, action),
    db.update(comments).set(patch).where(eq(comments.id, id)).returning(),
  ]);
  return updated[0];
}

export async function updateComment(
  db: Db,
  id: string,
  patch: Partial<NewCommentRow>,
): Promise<CommentRow | undefined> {
  return db.update(comments).set(patch).where(eq(comments.id, id)).returning().get();
}

/**
 * Records, replaces or (value 0) withdraws a reader's vote; the score follows by trigger. The
 * batch starts with the reader's action, whose limit trigger may refuse it all.
 */
export async function setVote(
  db: Db,
  action: NewReaderAction,
  commentId: string,
  value: number,
): Promise<number> {
  const voterHash = action.reader;
  const write =
    value === 0
      ? db.delete(votes).where(and(eq(votes.commentId, commentId), eq(votes.voterHash, voterHash)))
      : db
          .insert(votes)
          .values({ commentId, voterHash, value, createdAt: action.at })
          .onConflictDoUpdate({ target: [votes.commentId, votes.voterHash], set: { value } });
  const [, , rows] = await db.batch([
    recordReaderAction(db, action),
    write,
    db.select({ score: comments.score }).from(comments).where(eq(comments.id, commentId)),
  ]);
  return rows[0]?.score ?? 0;
}

export type NewFlagRow = typeof flags.$inferInsert;

/**
 * Records a reader's flag (a second flag by the same reader is ignored) and, in the same batch,
 * holds the comment as pending once `threshold` distinct readers have flagged it: twice that
 * many once a moderator has approved it, whose decision a few readers should not undo. The
 * batch starts with the reader's action, whose limit trigger may refuse it all.
 */
export async function addFlag(
  db: Db,
  action: NewReaderAction,
  flag: Omit<NewFlagRow, "reporterHash" | "createdAt">,
  threshold: number,
): Promise<void> {
  const flagCount = sql`(SELECT count(*) FROM ${flags} WHERE ${flags.commentId} = ${flag.commentId})`;
  const bar = sql`(CASE WHEN ${comments.approvedAt} IS NULL THEN ${threshold} ELSE ${2 * threshold} END)`;
  await db.batch([
    recordReaderAction(db, action),
    db
      .insert(flags)
      .values({ ...flag, reporterHash: action.reader, createdAt: action.at })
      .onConflictDoNothing(),
    db
      .update(comments)
      .set({ status: "pending", spamReasons: ["flagged"] })
      .where(
        and(
          eq(comments.id, flag.commentId),
          eq(comments.status, "published"),
          sql`${flagCount} >= ${bar}`,
        ),
      ),
  ]);
}
