import { and, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "./client";
import { mailActions, mailAddresses, outbox, subscriptions, threads } from "./schema";

/* What the links in mail change: an address confirmed, subscriptions ended, a one-time action. */

export type MailActionRow = typeof mailActions.$inferSelect;

/** Confirms the address (once; a second click keeps the first time). False for an unknown one. */
export async function confirmAddress(
  db: Db,
  siteId: string,
  addressId: string,
  at: string,
): Promise<boolean> {
  const rows = await db
    .update(mailAddresses)
    .set({ confirmedAt: sql`coalesce(${mailAddresses.confirmedAt}, ${at})` })
    .where(and(eq(mailAddresses.siteId, siteId), eq(mailAddresses.id, addressId)))
    .returning({ id: mailAddresses.id });
  return rows.length > 0;
}

/** The address's subscriptions on the site (or on one thread), with their pages. */
export function subscriptionsOf(db: Db, siteId: string, addressId: string, threadId?: string) {
  return db
    .select({
      kind: subscriptions.kind,
      threadId: threads.id,
      title: threads.title,
      pageKey: threads.pageKey,
      consentWording: subscriptions.consentWording,
      createdAt: subscriptions.createdAt,
    })
    .from(subscriptions)
    .innerJoin(threads, eq(threads.id, subscriptions.threadId))
    .where(
      and(
        eq(subscriptions.siteId, siteId),
        eq(subscriptions.addressId, addressId),
        threadId ? eq(subscriptions.threadId, threadId) : undefined,
      ),
    )
    .orderBy(subscriptions.createdAt);
}

/**
 * Ends the address's subscriptions on the site, or on one thread, and drops the notifications
 * still waiting for it there: one batch. Returns how many subscriptions ended.
 */
export async function endSubscriptions(
  db: Db,
  siteId: string,
  addressId: string,
  threadId?: string,
): Promise<number> {
  const email = db
    .select({ email: mailAddresses.email })
    .from(mailAddresses)
    .where(and(eq(mailAddresses.siteId, siteId), eq(mailAddresses.id, addressId)));
  const [ended] = await db.batch([
    db
      .delete(subscriptions)
      .where(
        and(
          eq(subscriptions.siteId, siteId),
          eq(subscriptions.addressId, addressId),
          threadId ? eq(subscriptions.threadId, threadId) : undefined,
        ),
      )
      .returning({ id: subscriptions.id }),
    db
      .update(outbox)
      .set({ status: "dropped" })
      .where(
        and(
          eq(outbox.siteId, siteId),
          inArray(outbox.recipient, email),
          eq(outbox.kind, "notify"),
          eq(outbox.status, "queued"),
          threadId ? eq(outbox.threadId, threadId) : undefined,
        ),
      ),
  ]);
  return ended.length;
}

/** The link with this token hash, unused and unexpired. */
const stillGood = (tokenHash: string, now: string) =>
  and(
    eq(mailActions.tokenHash, tokenHash),
    isNull(mailActions.usedAt),
    gt(mailActions.expiresAt, now),
  );

/** A moderator's one-time link, if it is still good: unused and unexpired. */
export async function openMailAction(
  db: Db,
  tokenHash: string,
  now: string,
): Promise<MailActionRow | undefined> {
  return db.select().from(mailActions).where(stillGood(tokenHash, now)).get();
}

/** Spends a one-time link: the statement that marks it used is the check, so two clicks act once. */
export async function spendMailAction(
  db: Db,
  tokenHash: string,
  now: string,
): Promise<MailActionRow | undefined> {
  return db
    .update(mailActions)
    .set({ usedAt: now })
    .where(stillGood(tokenHash, now))
    .returning()
    .get();
}
