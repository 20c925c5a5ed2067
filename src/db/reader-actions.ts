import { and, count, eq, gt } from "drizzle-orm";
import type { ReaderActionKind } from "../shared/vocabulary";
import type { Db } from "./client";
import { compiledInsert } from "./compiled";
import { readerActions } from "./schema";

export type NewReaderAction = typeof readerActions.$inferInsert;

/**
 * Records a reader's action. Meant to go first in the batch that makes the action: past the
 * limits the row carries, a trigger aborts the insert (0011_reader_action_limits.sql) and with
 * it the whole batch; `exceededLimit` reads which limit from the error.
 */
export function recordReaderAction(db: Db, action: NewReaderAction) {
  return db.insert(readerActions).values(action);
}

/** The same insert as a statement built once per isolate, for a post's batch (db/compiled.ts). */
export const readerActionStatement = compiledInsert(readerActions);

/** "minute" or "day" when `error` is a reader action refused by its limit trigger. */
export function exceededLimit(error: unknown): "minute" | "day" | undefined {
  // drizzle wraps D1's error; the trigger's message is somewhere down the chain of causes.
  for (let e = error; e instanceof Error; e = e.cause) {
    const window = e.message.match(/parley:rate_limited:(minute|day)/)?.[1];
    if (window === "minute" || window === "day") return window;
  }
  return undefined;
}

/**
 * How many actions of a kind the reader made since `since`, counted up to `cap` (no further: a
 * busy reader costs no more rows than the limit). For reading with other facts in a batch.
 */
export function countRecentActions(
  db: Db,
  q: { siteId: string; reader: string; kind: ReaderActionKind; since: string; cap: number },
) {
  return db.select({ n: count() }).from(
    db
      .select({ id: readerActions.id })
      .from(readerActions)
      .where(
        and(
          eq(readerActions.siteId, q.siteId),
          eq(readerActions.reader, q.reader),
          eq(readerActions.kind, q.kind),
          gt(readerActions.at, q.since),
        ),
      )
      .limit(q.cap)
      .as("recent"),
  );
}
