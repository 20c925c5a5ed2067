import type { KeyRow } from "../db/sites";
import { randomToken, sha256Hex } from "./crypto";
import { newId } from "./ids";

/**
 * A new moderator key. The secret names its key id (`pk_<key id>_<random>`) so a presented key
 * is found by id and then compared against the stored SHA-256 in constant time.
 */
export async function newModeratorKey(siteId: string, label: string, now: string) {
  const id = newId("k");
  const secret = `pk_${id}_${randomToken()}`;
  const row: KeyRow = {
    id,
    siteId,
    label,
    secretHash: await sha256Hex(secret),
    createdAt: now,
    revokedAt: null,
  };
  return { row, secret };
}

/** The key id a presented secret claims, if it has our shape. */
export function keyIdOf(secret: string): string | undefined {
  return secret.match(/^pk_(k_[0-9a-z]{26})_[A-Za-z0-9_-]{43}$/)?.[1];
}

export function toKey(row: KeyRow) {
  return { id: row.id, label: row.label, createdAt: row.createdAt, revokedAt: row.revokedAt };
}
