import { and, eq, exists, gt, isNull, notExists, type SQL, sql } from "drizzle-orm";
import type { SubscriptionKind } from "../shared/vocabulary";
import type { Db } from "./client";
import { mailAddresses, outbox, subscriptions, threads } from "./schema";

/** A reader's wish, made with a post, to be mailed about replies or the whole thread. */
export interface NewSubscription {
  siteId: string;
  pageKey: string;
  email: string;
  kind: SubscriptionKind;
  /** The comment posted with it. */
  commentId: string;
  consentWording: string;
  /** Ids for the rows this may create. */
  addressId: string;
  subscriptionId: string;
  confirmMailId: string;
  ipHash: string;
  at: string;
  /** Confirmation mails sent since then count towards the two limits below. */
  dayAgo: string;
  perAddressPerDay: number;
  perReaderPerDay: number;
}

/**
 * The statements that record a subscription, for the posting batch: the address (once per site),
 * the subscription, and, while the address is unconfirmed, one confirmation mail, unless one is
 * already waiting or the address or the reader had their day's confirmation mails. Every branch
 * runs the same statements, so the answer to the post cannot tell which one was taken.
 */
export function subscriptionStatements(db: Db, s: NewSubscription) {
  const address = and(eq(mailAddresses.siteId, s.siteId), eq(mailAddresses.email, s.email));
  const addressId = sql`(SELECT ${mailAddresses.id} FROM ${mailAddresses} WHERE ${address})`;
  const threadId = sql`(SELECT ${threads.id} FROM ${threads} WHERE ${threads.siteId} = ${s.siteId} AND ${threads.pageKey} = ${s.pageKey})`;
  /** Confirmation mails of the last day that match `whose`: to this address, or for this reader. */
  const confirmationsToday = (whose: SQL) =>
    db
      .select({ n: sql<number>`count(*)` })
      .from(outbox)
      .where(
        and(
          eq(outbox.siteId, s.siteId),
          eq(outbox.kind, "confirm"),
          whose,
          gt(outbox.createdAt, s.dayAgo),
        ),
      );
  const unconfirmed = db
    .select({ id: mailAddresses.id })
    .from(mailAddresses)
    .where(and(address, isNull(mailAddresses.confirmedAt)));
  const waiting = db
    .select({ id: outbox.id })
    .from(outbox)
    .where(
      and(
        eq(outbox.siteId, s.siteId),
        eq(outbox.recipient, s.email),
        eq(outbox.kind, "confirm"),
        eq(outbox.status, "queued"),
      ),
    );
  return [
    db
      .insert(mailAddresses)
      .values({ id: s.addressId, siteId: s.siteId, email: s.email, createdAt: s.at })
      .onConflictDoNothing(),
    db
      .insert(subscriptions)
      .values({
        id: s.subscriptionId,
        siteId: s.siteId,
        addressId,
        threadId,
        kind: s.kind,
        commentId: s.commentId,
        consentWording: s.consentWording,
        createdAt: s.at,
      })
      .onConflictDoNothing(),
    db.insert(outbox).select(
      db
        .select({
          id: sql<string>`${s.confirmMailId}`.as("id"),
          siteId: sql<string>`${s.siteId}`.as("site_id"),
          kind: sql<"confirm">`'confirm'`.as("kind"),
          recipient: sql<string>`${s.email}`.as("recipient"),
          threadId: sql<string | null>`${threadId}`.as("thread_id"),
          commentIds: sql<string>`json_array(${s.commentId})`.as("comment_ids"),
          ipHash: sql<string>`${s.ipHash}`.as("ip_hash"),
          status: sql<"queued">`'queued'`.as("status"),
          notBefore: sql<string>`''`.as("not_before"),
          attempts: sql<number>`0`.as("attempts"),
          lastError: sql<null>`NULL`.as("last_error"),
          createdAt: sql<string>`${s.at}`.as("created_at"),
          sentAt: sql<null>`NULL`.as("sent_at"),
        })
        .from(sql`(SELECT 1)`)
        .where(
          and(
            exists(unconfirmed),
            notExists(waiting),
            sql`(${confirmationsToday(eq(outbox.recipient, s.email))}) < ${s.perAddressPerDay}`,
            sql`(${confirmationsToday(eq(outbox.ipHash, s.ipHash))}) < ${s.perReaderPerDay}`,
          ),
        ),
    ),
  ] as const;
}

/**
 * Erasure of an address on a site: its subscriptions (with the address, which they hang from)
 * and every mail to it that the outbox still holds, queued or sent. One batch.
 */
export async function forgetAddress(db: Db, siteId: string, email: string): Promise<void> {
  await db.batch([
    db
      .delete(mailAddresses)
      .where(and(eq(mailAddresses.siteId, siteId), eq(mailAddresses.email, email))),
    db.delete(outbox).where(and(eq(outbox.siteId, siteId), eq(outbox.recipient, email))),
  ]);
}

/** A subscription as its reader's data: the address, the page, what and when they agreed to. */
export const subscriptionColumns = {
  email: mailAddresses.email,
  page: threads.pageKey,
  kind: subscriptions.kind,
  commentId: subscriptions.commentId,
  consentWording: subscriptions.consentWording,
  subscribedAt: subscriptions.createdAt,
  confirmedAt: mailAddresses.confirmedAt,
};

/** The address's subscriptions on the site, oldest first: part of an access request's answer. */
export function subscriptionsOfEmail(db: Db, siteId: string, email: string) {
  return db
    .select(subscriptionColumns)
    .from(subscriptions)
    .innerJoin(mailAddresses, eq(mailAddresses.id, subscriptions.addressId))
    .innerJoin(threads, eq(threads.id, subscriptions.threadId))
    .where(and(eq(mailAddresses.siteId, siteId), eq(mailAddresses.email, email)))
    .orderBy(subscriptions.createdAt)
    .all();
}
