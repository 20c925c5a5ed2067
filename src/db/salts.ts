import { eq, lt } from "drizzle-orm";
import type { Db } from "./client";
import { ipSalts } from "./schema";

/**
 * The salt for `day`, created on first use. Concurrent first uses race harmlessly: the insert is
 * ignored on conflict and every caller then reads the one winning row. Salts of earlier days are
 * deleted in the same batch, so their hashes can no longer be recomputed or linked.
 */
export async function saltForDay(db: Db, day: string, candidate: string): Promise<string> {
  const [, , rows] = await db.batch([
    db.insert(ipSalts).values({ day, salt: candidate }).onConflictDoNothing(),
    db.delete(ipSalts).where(lt(ipSalts.day, day)),
    db.select({ salt: ipSalts.salt }).from(ipSalts).where(eq(ipSalts.day, day)),
  ]);
  return rows[0]?.salt ?? candidate;
}
