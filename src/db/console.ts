import { and, count, eq, gt, isNull, lt } from "drizzle-orm";
import type { Db } from "./client";
import { consoleSessions, consoleSignInFailures, moderatorKeys } from "./schema";
import type { KeyRow } from "./sites";

/* The moderators' console: its sessions and the failed sign-ins that limit new attempts. */

export type ConsoleSessionRow = typeof consoleSessions.$inferSelect;

/** Starts a session, and forgets the ones that have expired (the table stays small). */
export async function insertSession(db: Db, row: ConsoleSessionRow, now: string): Promise<void> {
  await db.batch([
    db.delete(consoleSessions).where(lt(consoleSessions.expiresAt, now)),
    db.insert(consoleSessions).values(row),
  ]);
}

/**
 * The unexpired session with this token hash, and its moderator key if the key is unrevoked: a
 * moderator's session whose key was revoked comes back without one, which the caller refuses.
 */
export async function getSession(
  db: Db,
  tokenHash: string,
  now: string,
): Promise<
  | { session: Pick<ConsoleSessionRow, "keyId" | "operatorTokenHash">; key: KeyRow | null }
  | undefined
> {
  // Only the session columns the check needs: with `created_at` from both tables, D1's rows
  // (objects keyed by column name) would fold the two into one and shift every later value.
  return db
    .select({
      session: {
        keyId: consoleSessions.keyId,
        operatorTokenHash: consoleSessions.operatorTokenHash,
      },
      key: moderatorKeys,
    })
    .from(consoleSessions)
    .leftJoin(
      moderatorKeys,
      and(eq(moderatorKeys.id, consoleSessions.keyId), isNull(moderatorKeys.revokedAt)),
    )
    .where(and(eq(consoleSessions.tokenHash, tokenHash), gt(consoleSessions.expiresAt, now)))
    .get();
}

export async function deleteSession(db: Db, tokenHash: string): Promise<void> {
  await db.delete(consoleSessions).where(eq(consoleSessions.tokenHash, tokenHash));
}

/** Failed sign-ins from the network since `since`. */
export async function failuresSince(db: Db, ipHash: string, since: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(consoleSignInFailures)
    .where(and(eq(consoleSignInFailures.ipHash, ipHash), gt(consoleSignInFailures.at, since)));
  return row?.n ?? 0;
}

/** Records a failed sign-in, and forgets the ones older than `forgetBefore`. */
export async function recordFailure(
  db: Db,
  ipHash: string,
  at: string,
  forgetBefore: string,
): Promise<void> {
  await db.batch([
    db.delete(consoleSignInFailures).where(lt(consoleSignInFailures.at, forgetBefore)),
    db.insert(consoleSignInFailures).values({ ipHash, at }),
  ]);
}
