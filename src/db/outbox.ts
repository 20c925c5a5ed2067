import { and, desc, eq, inArray, lt, lte, or, sql } from "drizzle-orm";
import type { Db } from "./client";
import { compiled } from "./compiled";
import { comments, mailActions, mailAddresses, outbox, sites, threads } from "./schema";

export type OutboxRow = typeof outbox.$inferSelect;
export type NewMailAction = typeof mailActions.$inferInsert;

/**
 * Takes up to `limit` mails that are due (queued and past their `notBefore`), and any left
 * `sending` since before `stuckBefore` by a Worker that ended mid-way, of one site or of all,
 * and marks them `sending`
 * from `now`: one statement, so two deliveries running at once (after a response and on the
 * Cron Trigger) never take the same mail.
 */
export async function claimDue(
  db: Db,
  {
    now,
    stuckBefore,
    limit,
    siteId,
  }: { now: string; stuckBefore: string; limit: number; siteId?: string },
): Promise<OutboxRow[]> {
  const due = db
    .select({ id: outbox.id })
    .from(outbox)
    .where(
      and(
        or(
          and(eq(outbox.status, "queued"), lte(outbox.notBefore, now)),
          and(eq(outbox.status, "sending"), lte(outbox.sentAt, stuckBefore)),
        ),
        siteId ? eq(outbox.siteId, siteId) : undefined,
      ),
    )
    .orderBy(outbox.notBefore)
    .limit(limit);
  return db
    .update(outbox)
    .set({ status: "sending", sentAt: now, attempts: sql`${outbox.attempts} + 1` })
    .where(inArray(outbox.id, due))
    .returning();
}

/**
 * Whether the site has mail due by `now` (queued, its time come), as one row or none: a post asks
 * it in its write batch, after the triggers that queue mail have run, so that the delivery run
 * after a post is made only when there is something to send. One row at most, from the site's
 * due index.
 */
export const mailDueStatement = compiled((db) =>
  db
    .select({ due: sql<number>`1` })
    .from(outbox)
    .where(
      and(
        eq(outbox.status, "queued"),
        lte(outbox.notBefore, sql.placeholder("now")),
        eq(outbox.siteId, sql.placeholder("site")),
      ),
    )
    .limit(1),
);

/** Everything the claimed mails speak of, in one round trip. */
export async function mailContext(db: Db, rows: OutboxRow[]) {
  const siteIds = [...new Set(rows.map((r) => r.siteId))];
  const threadIds = [...new Set(rows.flatMap((r) => (r.threadId ? [r.threadId] : [])))];
  const commentIds = [...new Set(rows.flatMap((r) => r.commentIds))];
  const recipients = [...new Set(rows.map((r) => r.recipient))];
  const [siteRows, threadRows, commentRows, addressRows] = await db.batch([
    db.select().from(sites).where(inArray(sites.id, siteIds)),
    db.select().from(threads).where(inArray(threads.id, threadIds)),
    db.select().from(comments).where(inArray(comments.id, commentIds)),
    db
      .select({ id: mailAddresses.id, siteId: mailAddresses.siteId, email: mailAddresses.email })
      .from(mailAddresses)
      .where(and(inArray(mailAddresses.siteId, siteIds), inArray(mailAddresses.email, recipients))),
  ]);
  return { siteRows, threadRows, commentRows, addressRows };
}

/** How one claimed mail ended: sent, given up, nothing left to say, or to be tried again. */
export type Outcome =
  | { id: string; status: "sent" | "dropped"; at: string }
  | { id: string; status: "failed"; error: string }
  | { id: string; status: "queued"; notBefore: string; error: string };

/** Records the outcomes and the one-time moderation links the sent alerts carry. */
export async function settle(db: Db, outcomes: Outcome[], actions: NewMailAction[]) {
  const updates = outcomes.map((o) =>
    db
      .update(outbox)
      .set(
        o.status === "queued"
          ? { status: "queued", notBefore: o.notBefore, lastError: o.error }
          : o.status === "failed"
            ? { status: "failed", lastError: o.error }
            : { status: o.status, sentAt: o.at, lastError: null },
      )
      .where(and(eq(outbox.id, o.id), eq(outbox.status, "sending"))),
  );
  const writes = [
    ...(actions.length > 0 ? [db.insert(mailActions).values(actions)] : []),
    ...updates,
  ];
  const [first, ...rest] = writes;
  if (first) await db.batch([first, ...rest]);
}

/**
 * Forgets mail that is done with (sent, or with nothing left to say) from before `before`, and
 * moderation links that expired: they hold addresses, and nothing reads them after the digest
 * window. Failed mail stays for the operator to see.
 */
export async function pruneOutbox(db: Db, before: string): Promise<void> {
  await db.batch([
    db
      .delete(outbox)
      .where(and(inArray(outbox.status, ["sent", "dropped"]), lt(outbox.createdAt, before))),
    db.delete(mailActions).where(lt(mailActions.expiresAt, before)),
  ]);
}

/** A site's mail in one state, newest first. */
export function listMail(db: Db, siteId: string, status: OutboxRow["status"], limit: number) {
  return db
    .select()
    .from(outbox)
    .where(and(eq(outbox.siteId, siteId), eq(outbox.status, status)))
    .orderBy(desc(outbox.createdAt))
    .limit(limit)
    .all();
}

/** A failed mail back in the queue, due at once with a fresh count of tries. */
export function requeueFailed(db: Db, siteId: string, id: string) {
  return db
    .update(outbox)
    .set({ status: "queued", notBefore: "", attempts: 0 })
    .where(and(eq(outbox.siteId, siteId), eq(outbox.id, id), eq(outbox.status, "failed")))
    .returning()
    .get();
}

export function getMail(db: Db, siteId: string, id: string) {
  return db
    .select()
    .from(outbox)
    .where(and(eq(outbox.siteId, siteId), eq(outbox.id, id)))
    .get();
}
