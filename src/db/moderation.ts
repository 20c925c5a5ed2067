import { and, asc, desc, eq, gt, gte, inArray, lt, ne, type SQL, sql } from "drizzle-orm";
import type { BlockKind, CommentStatus } from "../shared/vocabulary";
import type { Db } from "./client";
import { subtreeEnd } from "./comments";
import { auditLog, blocks, commentDays, comments, flags, threads } from "./schema";

export type AuditRow = typeof auditLog.$inferSelect;
export type NewAuditRow = typeof auditLog.$inferInsert;
export type BlockRow = typeof blocks.$inferSelect;

/** A comment as moderators see it: every column but the edit token, plus its page. */
export const moderatorColumns = {
  id: comments.id,
  parentId: comments.parentId,
  depth: comments.depth,
  path: comments.path,
  rootId: comments.rootId,
  threadId: comments.threadId,
  authorName: comments.authorName,
  authorEmail: comments.authorEmail,
  authorHash: comments.authorHash,
  authorWebsite: comments.authorWebsite,
  avatar: comments.avatar,
  ipHash: comments.ipHash,
  userAgent: comments.userAgent,
  bodySource: comments.bodySource,
  bodyJson: comments.bodyJson,
  status: comments.status,
  spamReasons: comments.spamReasons,
  replyCount: comments.replyCount,
  score: comments.score,
  createdAt: comments.createdAt,
  editedAt: comments.editedAt,
  staffBy: comments.staffBy,
  page: threads.pageKey,
  /** The comment its thread's first page shows first (the one pinned). */
  pinned: sql<boolean>`${threads.pinnedId} IS ${comments.id}`.mapWith(Boolean),
  flagCount: sql<number>`(SELECT count(*) FROM ${flags} WHERE ${flags.commentId} = ${comments.id})`,
};
export type ModeratorCommentRow = {
  [K in keyof typeof moderatorColumns]: K extends "flagCount"
    ? number
    : K extends "page"
      ? string
      : K extends "pinned"
        ? boolean
        : (typeof comments.$inferSelect)[K & keyof typeof comments.$inferSelect];
};

/** Which comments a moderator query or bulk action covers; absent fields do not narrow. */
export interface CommentFilter {
  ids?: string[];
  status?: CommentStatus;
  threadId?: string;
  authorEmail?: string;
  authorHash?: string;
  ipHash?: string;
  since?: string;
  text?: string;
  flagged?: boolean;
}

function filterSql(siteId: string, f: CommentFilter): SQL | undefined {
  return and(
    eq(comments.siteId, siteId),
    f.ids ? inArray(comments.id, f.ids) : undefined,
    f.status ? eq(comments.status, f.status) : undefined,
    f.threadId ? eq(comments.threadId, f.threadId) : undefined,
    f.authorEmail ? eq(comments.authorEmail, f.authorEmail) : undefined,
    f.authorHash ? eq(comments.authorHash, f.authorHash) : undefined,
    f.ipHash ? eq(comments.ipHash, f.ipHash) : undefined,
    f.since ? gte(comments.createdAt, f.since) : undefined,
    // The text is matched literally: % and _ in it are escaped, and ESCAPE says with what.
    f.text
      ? sql`${comments.bodySource} LIKE ${`%${f.text.replace(/[%_\\]/g, "\\$&")}%`} ESCAPE '\\'`
      : undefined,
    f.flagged
      ? sql`EXISTS (SELECT 1 FROM ${flags} WHERE ${flags.commentId} = ${comments.id})`
      : undefined,
  );
}

/** Newest first, after the `before` id when paging. */
export async function listForModeration(
  db: Db,
  siteId: string,
  filter: CommentFilter,
  limit: number,
  before?: string,
): Promise<ModeratorCommentRow[]> {
  return db
    .select(moderatorColumns)
    .from(comments)
    .innerJoin(threads, eq(threads.id, comments.threadId))
    .where(and(filterSql(siteId, filter), before ? lt(comments.id, before) : undefined))
    .orderBy(desc(comments.id))
    .limit(limit)
    .all();
}

/** The replies below a comment at any depth and in any status, in display order. */
export async function listSubtreeForModeration(
  db: Db,
  siteId: string,
  comment: { rootId: string; path: string },
  limit: number,
): Promise<ModeratorCommentRow[]> {
  return db
    .select(moderatorColumns)
    .from(comments)
    .innerJoin(threads, eq(threads.id, comments.threadId))
    .where(
      and(
        eq(comments.siteId, siteId),
        eq(comments.rootId, comment.rootId),
        gt(comments.path, comment.path),
        lt(comments.path, subtreeEnd(comment.path)),
      ),
    )
    .orderBy(asc(comments.path))
    .limit(limit)
    .all();
}

export async function getForModeration(
  db: Db,
  siteId: string,
  id: string,
): Promise<ModeratorCommentRow | undefined> {
  const [row] = await listForModeration(db, siteId, { ids: [id] }, 1);
  return row;
}

/** Readers' flags on the listed comments, in one query. */
export async function flagsOf(db: Db, commentIds: string[]) {
  if (commentIds.length === 0) return [];
  return db
    .select({
      commentId: flags.commentId,
      reason: flags.reason,
      note: flags.note,
      createdAt: flags.createdAt,
    })
    .from(flags)
    .where(inArray(flags.commentId, commentIds))
    .orderBy(flags.createdAt)
    .all();
}

/**
 * The columns that identify a person or carry their words: a purge, an erasure by email and an
 * author deleting their own comment all empty exactly these.
 */
export const ERASED_PERSONAL_DATA = {
  authorName: "",
  authorHash: "",
  avatar: "",
  authorEmail: null,
  authorWebsite: null,
  ipHash: null,
  userAgent: null,
  bodySource: "",
  bodyJson: "[]",
  bodyHash: null,
  editTokenHash: null,
  editableUntil: null,
} as const;

export interface StatusChange {
  to: CommentStatus;
  /** Only comments in one of these statuses change; the rest are left as they are. */
  from: CommentStatus[];
  /**
   * Also erase personal data, the audit details about these comments and readers' flags on them
   * (their notes may quote what was erased).
   */
  purge?: boolean;
  /** Reasons recorded on the comments, replacing earlier ones. */
  reasons?: string[] | null;
  /**
   * A moderator's approval: readers' flags are cleared, and the time is kept so that flags need
   * a higher bar to hold the comment again (db/comments.ts addFlag).
   */
  approves?: boolean;
}

/**
 * Moves every comment the filter covers to a new status, with one audit entry per comment, in
 * one batch: all or nothing. Counts follow by trigger. Returns how many comments changed.
 */
export async function changeStatus(
  db: Db,
  siteId: string,
  filter: CommentFilter,
  change: StatusChange,
  audit: { actor: string; action: string; idPrefix: string; at: string; detail?: object },
): Promise<number> {
  // A purge also acts on comments already in the target status, to erase their data.
  const covered = and(
    filterSql(siteId, filter),
    inArray(comments.status, change.from),
    change.purge ? undefined : ne(comments.status, change.to),
  );
  const detail = audit.detail ? JSON.stringify(audit.detail) : null;
  const matching = db.select({ id: comments.id }).from(comments).where(covered);
  const set: Partial<typeof comments.$inferInsert> = { status: change.to };
  if (change.reasons !== undefined) set.spamReasons = change.reasons;
  if (change.purge) Object.assign(set, ERASED_PERSONAL_DATA);
  if (change.approves) set.approvedAt = audit.at;

  // Everything that selects the covered comments runs before the update moves them.
  const before = [
    ...(change.approves || change.purge
      ? [db.delete(flags).where(inArray(flags.commentId, matching))]
      : []),
    ...(change.purge
      ? [db.update(auditLog).set({ detail: null }).where(inArray(auditLog.target, matching))]
      : []),
  ];
  const results = await db.batch([
    db.insert(auditLog).select(
      db
        .select({
          id: sql<string>`${audit.idPrefix} || lower(hex(randomblob(8)))`.as("id"),
          siteId: sql<string>`${siteId}`.as("site_id"),
          actor: sql<string>`${audit.actor}`.as("actor"),
          action: sql<string>`${audit.action}`.as("action"),
          target: comments.id,
          beforeStatus: comments.status,
          afterStatus: sql<string>`${change.to}`.as("after_status"),
          detail: sql<string | null>`${detail}`.as("detail"),
          createdAt: sql<string>`${audit.at}`.as("created_at"),
        })
        .from(comments)
        .where(covered),
    ),
    ...before,
    db.update(comments).set(set).where(covered).returning({ id: comments.id }),
  ]);
  const updated = results.at(-1) as { id: string }[];
  return updated.length;
}

export async function listBlocks(db: Db, siteId: string, kind?: BlockKind): Promise<BlockRow[]> {
  return db
    .select()
    .from(blocks)
    .where(and(eq(blocks.siteId, siteId), kind ? eq(blocks.kind, kind) : undefined))
    .orderBy(desc(blocks.id))
    .all();
}

/**
 * `limit` of a site's blocks by kind and value, from just after `after`. The order of the unique
 * index on (site, kind, value), so D1 reads the rows it returns, however long the list; newest
 * first would need an index on (site, id), which the blocklist has not.
 */
export async function blocksAfter(
  db: Db,
  siteId: string,
  limit: number,
  after?: { kind: BlockKind; value: string },
): Promise<BlockRow[]> {
  return db
    .select()
    .from(blocks)
    .where(
      and(
        eq(blocks.siteId, siteId),
        after
          ? sql`(${blocks.kind}, ${blocks.value}) > (${after.kind}, ${after.value})`
          : undefined,
      ),
    )
    .orderBy(asc(blocks.kind), asc(blocks.value))
    .limit(limit)
    .all();
}

/** Adds a block, or returns the existing identical one. */
export async function addBlock(db: Db, block: BlockRow): Promise<BlockRow> {
  const [, existing] = await db.batch([
    db.insert(blocks).values(block).onConflictDoNothing(),
    db
      .select()
      .from(blocks)
      .where(
        and(
          eq(blocks.siteId, block.siteId),
          eq(blocks.kind, block.kind),
          eq(blocks.value, block.value),
        ),
      ),
  ]);
  return existing[0] ?? block;
}

export async function removeBlock(
  db: Db,
  siteId: string,
  id: string,
): Promise<BlockRow | undefined> {
  return db
    .delete(blocks)
    .where(and(eq(blocks.siteId, siteId), eq(blocks.id, id)))
    .returning()
    .get();
}

export async function insertAudit(db: Db, entry: NewAuditRow): Promise<void> {
  await db.insert(auditLog).values(entry);
}

export async function listAudit(
  db: Db,
  siteId: string,
  limit: number,
  before?: string,
): Promise<AuditRow[]> {
  return db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.siteId, siteId), before ? lt(auditLog.id, before) : undefined))
    .orderBy(desc(auditLog.id))
    .limit(limit)
    .all();
}

/** Locks or unlocks a page, creating its thread when nobody has commented yet. */
export async function setThreadLock(db: Db, thread: typeof threads.$inferInsert, locked: boolean) {
  return db
    .insert(threads)
    .values({ ...thread, locked })
    .onConflictDoUpdate({ target: [threads.siteId, threads.pageKey], set: { locked } })
    .returning()
    .get();
}

/**
 * How many comments each filter covers, counting at most `cap` of each: a screen's tab counts
 * read at most `cap` rows apiece however large the site ("100+" past it).
 */
export async function countUpTo(
  db: Db,
  siteId: string,
  filters: CommentFilter[],
  cap: number,
): Promise<number[]> {
  const counted = filters.map((filter) =>
    db
      .select({ n: sql<number>`count(*)` })
      .from(
        db
          .select({ one: sql`1` })
          .from(comments)
          .where(filterSql(siteId, filter))
          .limit(cap)
          .as("covered"),
      ),
  );
  const [first, ...rest] = counted;
  if (!first) return [];
  const results = await db.batch([first, ...rest]);
  return results.map(([row]) => Number(row?.n ?? 0));
}

/** Comments received per day from `firstDay` on (YYYY-MM-DD): one row a day that had any. */
export async function commentsPerDay(db: Db, siteId: string, firstDay: string) {
  return db
    .select({ day: commentDays.day, count: commentDays.count })
    .from(commentDays)
    .where(and(eq(commentDays.siteId, siteId), gte(commentDays.day, firstDay)))
    .orderBy(commentDays.day)
    .all();
}
