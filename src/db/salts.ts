import { eq, lt } from "drizzle-orm";
import type { Db } from "./client";
import { ipSalts, readerActions } from "./schema";

const DAY_MS = 24 * 3600 * 1000;

/**
 * The salt for `day`, created on first use. Concurrent first uses race harmlessly: the insert is
 * ignored on conflict and every caller then reads the one winning row. Salts of earlier days are
 * deleted in the same batch, so their hashes can no longer be recomputed or linked; so are reader
 * actions older than a day, which no rate limit counts any more.
 */
export async function saltForDay(
  db: Db,
  day: string,
  candidate: string,
  now: Date,
): Promise<string> {
  const [, , , rows] = await db.batch([
    db.insert(ipSalts).values({ day, salt: candidate }).onConflictDoNothing(),
    db.delete(ipSalts).where(lt(ipSalts.day, day)),
    db
      .delete(readerActions)
      .where(lt(readerActions.at, new Date(now.getTime() - DAY_MS).toISOString())),
    db.select({ salt: ipSalts.salt }).from(ipSalts).where(eq(ipSalts.day, day)),
  ]);
  return rows[0]?.salt ?? candidate;
}
